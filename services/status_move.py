"""A service's status moved in one step, from the service list or the service's page: a
small form (new status, why, evidence link) that goes through ``actions.update_service``
like the service's own form — the version the person saw is checked (a move over someone
else's newer one is refused), and a head's move to electronic is a claim with its proof.

Without JavaScript it is a page of its own that returns to where the person came from; with
it (services/static/services/status_move.js) the same form opens in place and the list's
status cell is rewritten from the answer."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from regions.access import can_edit
from services import actions
from services.actions import StaleVersion, check_claim
from services.models import Service, Status

# What the page's script sends, so the answer is the fragment it puts in place.
IN_PLACE_HEADER = "X-Status-Move"

# The status badges: their shape ours (tracker/static/tracker/admin.css, a long status
# wraps), their colours the theme's.
BADGE = "status-badge {}"
BADGE_COLOURS = {
    Status.PAPER: "bg-red-100 text-red-700 dark:bg-red-500/20 dark:text-red-400",
    Status.PARTIAL: "bg-orange-100 text-orange-700 dark:bg-orange-500/20 dark:text-orange-400",
    Status.ELECTRONIC: "bg-green-100 text-green-700 dark:bg-green-500/20 dark:text-green-400",
    Status.PROACTIVE: "bg-blue-100 text-blue-700 dark:bg-blue-500/20 dark:text-blue-400",
    "withdrawn": "bg-base-500/8 text-base-700 dark:bg-base-500/20 dark:text-base-200",
}


class StatusMoveForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("New status"), choices=Status.choices, widget=UnfoldAdminSelectWidget
    )
    comment = forms.CharField(
        label=gettext_lazy("Why the status changes"),
        max_length=1000,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 2}),
        help_text=gettext_lazy("It is kept in the history."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, service: Service, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.service, self.user = service, user
        # the model's own field: the same length and the same check of the address
        self.fields["evidence_url"] = Service._meta.get_field("evidence_url").formfield(
            widget=UnfoldAdminTextInputWidget(attrs={"inputmode": "url"}),
            help_text=_(
                "Needed for a move to electronic: the service's page on egov.kz or an order."
            ),
        )
        self.initial = {
            "status": _next_status(service.status),
            "evidence_url": service.evidence_url,
            "expected_version": service.version,
            **self.initial,
        }
        self.is_claim = False

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        seen = cleaned.get("expected_version")  # required: a form without it is refused
        if seen is not None and seen != self.service.version:
            raise forms.ValidationError(StaleVersion(self.service).message, code="stale")
        if status == self.service.status:
            self.add_error("status", _("The service already has this status; choose another."))
        elif status:
            evidence = cleaned.get("evidence_url") or self.service.evidence_url
            try:
                self.is_claim = check_claim(
                    self.service.department, status, self.user, evidence_url=evidence
                )
            except ValidationError as refusal:
                self.add_error(None, refusal)
        return cleaned

    def changes(self) -> dict:
        changes = {"status": self.cleaned_data["status"]}
        evidence = self.cleaned_data.get("evidence_url") or ""
        if evidence and evidence != self.service.evidence_url:
            changes["evidence_url"] = evidence
        return changes


def _next_status(status: str) -> str:
    """The form's first offer: the next step from paper, or the same at the top."""
    values = Status.values
    return values[min(values.index(status) + 1, len(values) - 1)]


def move_url(service: Service, back_to: str = "") -> str:
    url = reverse("admin:services_service_status_move", args=[service.pk])
    return f"{url}?{urlencode({'next': back_to})}" if back_to else url


def status_cell(service: Service, *, editable: bool, withdrawn: bool, back_to: str = "") -> str:
    """The service list's status cell: the badge, an awaiting claim, and the move (whose
    page, without the script, returns to ``back_to``: the list as it was filtered)."""
    key = "withdrawn" if withdrawn else service.status
    label = _("withdrawn from the register") if withdrawn else service.get_status_display()
    parts = [format_html('<span class="{}">{}</span>', BADGE.format(BADGE_COLOURS[key]), label)]
    if getattr(service, "awaiting_verification", False):
        parts.append(format_html('<span class="status-note">{}</span>', _("awaiting verification")))
    if editable and not withdrawn:
        parts.append(
            format_html(
                '<a class="status-move" href="{}" data-status-move>{}</a>',
                move_url(service, back_to),
                _("Change status"),
            )
        )
    return format_html(
        '<span class="status-cell" data-service="{}">{}</span>',
        service.pk,
        mark_safe("".join(parts)),  # each part escaped by format_html above
    )


def status_move_view(model_admin, request, object_id):
    service = model_admin.get_object(request, object_id)  # None outside the person's scope
    if service is None:
        raise Http404
    if not can_edit(request.user, service) or service.is_withdrawn():
        raise PermissionDenied
    in_place = request.headers.get(IN_PLACE_HEADER) == "1"
    back_to = _safe_back(request)
    form = StatusMoveForm(
        request.POST if request.method == "POST" else None, service=service, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = actions.update_service(
                service,
                by=request.user,
                changes=form.changes(),
                expected_version=form.cleaned_data["expected_version"],
                comment=form.cleaned_data["comment"],
            )
        except StaleVersion as conflict:
            form.add_error(None, conflict.message)
        except (PermissionDenied, ValidationError) as refusal:
            form.add_error(None, "; ".join(getattr(refusal, "messages", [str(refusal)])))
        else:
            return _moved(model_admin, request, moved, form.is_claim, in_place, back_to)
    context = {
        "form": form,
        "service": service,
        "action": request.get_full_path(),
        "back_to": back_to,
    }
    if in_place:
        fragment = render_to_string(
            "admin/services/service/_status_move_form.html", context, request=request
        )
        if request.method == "POST":
            return JsonResponse({"form_html": fragment}, status=400)
        return HttpResponse(fragment)
    return TemplateResponse(
        request,
        "admin/services/service/status_move.html",
        {
            **model_admin.admin_site.each_context(request),
            **context,
            "title": _("Change the status of “%(service)s”") % {"service": service},
            "opts": Service._meta,
            "original": service,
        },
    )


def _moved(model_admin, request, service, claim: bool, in_place: bool, back_to: str):
    status = service.get_status_display()
    if claim:
        message = _(
            "“%(service)s” is claimed “%(status)s”; the digital office checks the evidence."
        ) % {"service": service, "status": status}
    else:
        message = _("“%(service)s” moved to “%(status)s”.") % {
            "service": service,
            "status": status,
        }
    if in_place:
        service = Service.objects.with_claims().get(pk=service.pk)
        cell = status_cell(service, editable=True, withdrawn=False)
        return JsonResponse({"message": message, "status_html": cell, "version": service.version})
    model_admin.message_user(request, message, messages.SUCCESS)
    return HttpResponseRedirect(back_to)


def _safe_back(request) -> str:
    """Where the person came from (the filtered list, the service's page), if it is ours."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("admin:services_service_changelist")
