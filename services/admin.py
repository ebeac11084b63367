from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import display

from regions.access import can_edit, scope_for
from regions.admin import ReadOnlyScopedAdmin, ScopedAdmin, person_field
from regions.models import Department
from services import (
    actions,
    criteria_admin,  # noqa: F401  (registers the criteria's and life events' admin)
    criteria_writes,
)
from services.criteria_form import PREFIX as CRITERION_PREFIX
from services.criteria_form import criteria_in_use, field_name
from services.filters import ADMIN_LIST_FILTERS, SEARCHED_FIELDS, ServiceFilter, search
from services.forms import ServiceForm, SetStatusActionForm
from services.import_admin import DepartmentImportMixin
from services.levels import answers_shown, level_shown
from services.models import Channel, Service, Status, StatusChange, Usage
from services.moves import move_services_view
from services.readable_history import entries
from services.resources import ServiceResource, UsageResource
from services.spreadsheets.formats import OfficeSpreadsheet, OfficeUsageSpreadsheet
from services.spreadsheets.importer import import_services, import_usage
from services.status_move import status_cell, status_move_view
from tracker.admin_counts import EstimatingPaginator, counted_once
from tracker.widgets import QuickSelect, RegionDepartmentChoice

CRITERIA = "criteria"  # the fieldset's place for the criteria in use (get_fieldsets)


def _with_criteria(fieldsets, criteria: list[str]):
    return [
        (
            title,
            {
                **options,
                "fields": [
                    name
                    for field in options["fields"]
                    for name in (criteria if field == CRITERIA else [field])
                ],
            },
        )
        for title, options in fieldsets
    ]


def _status_claims(services):
    """The selection's status claims awaiting review: each one's latest move (read inside
    the review's transaction, when called)."""
    return lambda: (
        service.status_changes.order_by("-changed_at", "-pk").first()
        for service in services.filter(awaiting_verification=True)
    )


def _criteria_claims(services):
    """The selection's criteria claims awaiting review, in one query."""
    return lambda: (
        criteria_writes.criterion_claims_awaiting(services)
        .select_related("criterion")
        .order_by("service_id", "pk")
    )


def _id_or_none(object_id: str) -> int | None:
    return int(object_id) if str(object_id).isdigit() else None


def _refusal_text(refusal) -> str:
    return "; ".join(refusal.messages) if hasattr(refusal, "messages") else str(refusal)


@admin.register(Usage)
class UsageAdmin(DepartmentImportMixin, ScopedAdmin):
    """All usage rows the user may see, to check and correct what was entered, and the
    import of the monthly tables offices keep (a row per service and month, a column per
    channel)."""

    resource_classes = [UsageResource]
    import_formats = [OfficeUsageSpreadsheet]
    run_import = staticmethod(import_usage)

    list_display = ["month", "service", "channel", "count"]
    list_filter = ["channel", ("service__department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["service"]
    date_hierarchy = "month"
    raw_id_fields = ["service"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        # A service's page links here with the service filled in (ServiceAdmin.display_usage)
        return scope_for(request.user).edits_anything

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope_for(request.user).edits_anything
        return can_edit(request.user, obj.service)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "service":  # a row moves only between services the user edits
            kwargs["queryset"] = Service.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The form offers the user's own services only; this is the last word on the one
        # the row is saved under (the page checked the one it was opened with).
        if not can_edit(request.user, obj.service):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # A month's figure is added from its service's page (ServiceAdmin.display_usage):
        # saved, the person is back there, not on every service's deliveries.
        response = super().response_add(request, obj, post_url_continue)
        if {"_continue", "_addanother", IS_POPUP_VAR} & set(request.POST):
            return response
        return HttpResponseRedirect(reverse("admin:services_service_change", args=[obj.service_id]))


@admin.register(Service)
class ServiceAdmin(DepartmentImportMixin, ScopedAdmin):
    form = ServiceForm
    resource_classes = [ServiceResource]
    import_formats = [OfficeSpreadsheet]
    run_import = staticmethod(import_services)
    # the import button (django-import-export) plus our export links
    import_export_change_list_template = "admin/services/service/change_list.html"
    action_form = SetStatusActionForm
    actions = [
        "set_status_of_selected",
        "confirm_selected",
        "accept_claims",
        "reject_claims",
        "accept_criteria_claims",
        "reject_criteria_claims",
        "withdraw_selected",
        "restore_selected",
        "move_selected",
    ]
    object_history_template = "admin/services/service/object_history.html"
    # Read on a laptop without scrolling sideways: the name gets the width (two lines, the
    # whole of it on hover), its department and social significance beneath it; the
    # status cell holds an awaiting claim and the one-step move (get_list_display).
    list_display = [
        "display_name",
        "display_status",
        "display_level",
        "display_channels",
        "display_target",
        "last_confirmed",
    ]
    list_display_links = ["display_name"]
    list_select_related = ["department", "department__region"]
    # ServiceFilter's own filters and search (services.filters): the list's query string
    # is what its export links pass on, so the files hold the rows the list shows.
    list_filter = ADMIN_LIST_FILTERS
    list_per_page = 50
    # Counted once, and estimated for the whole of a very large table (tracker.admin_counts):
    # the list of every service stays as fast at ten times the country.
    paginator = EstimatingPaginator
    show_full_result_count = False  # counted_once shows the total itself
    search_fields = SEARCHED_FIELDS  # shows the search box; get_search_results searches
    # A region with more departments than this offers them by typing (a service's page at
    # ten times the country: 300 departments a region), not in one select.
    departments_in_a_select = 100
    readonly_fields = [
        "display_history",
        "display_usage",
        "display_usage_to_read",
        "display_level",
        "display_criteria",
        "display_life_events",
        "withdrawn_on",
        "last_confirmed",
        "version",
        "created_at",
        "updated_at",
    ]
    # The page leads with what a head edits and checks — the status, why, its proof, the
    # target and what blocks it — then the history of every change; the answers and the
    # service's particulars follow.
    fieldsets = [
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "status_comment",
                    "evidence_url",
                    ("target_status", "target_date"),
                    "blocker",
                    "expected_version",
                ]
            },
        ),
        (_("History"), {"fields": ["display_history"], "classes": ["history"]}),
        # The criteria in use take this fieldset's place holder (get_fieldsets).
        (
            _("How electronic"),
            {"fields": ["display_level", CRITERIA, "criteria_evidence_url", "life_events"]},
        ),
        # Deliveries are months of figures (often two years, by channel): a link to their
        # own list, not a table of rows between the history and the service's particulars.
        (_("Monthly deliveries"), {"fields": ["display_usage"]}),
        (
            _("Service"),
            {
                "fields": [
                    "department",
                    "register_code",
                    "name_kk",
                    "name_ru",
                    "name_en",
                    "sphere",
                    "socially_significant",
                    "provider_level",
                    "paid",
                ]
            },
        ),
        (_("Channels"), {"fields": [channel.field_name for channel in Channel]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "documents_before",
                    "documents_required",
                    "term_days_before",
                    "term_days",
                    "term_working_days",
                    "term_hours",
                ]
            },
        ),
        (
            _("Record"),
            {"fields": ["withdrawn_on", "last_confirmed", "version", "created_at", "updated_at"]},
        ),
    ]

    # --- who sees and changes what (regions.access) -------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).with_claims()

    def get_list_display(self, request):
        """The status column knows whom it is drawn for: the move is offered on the rows
        this person may change."""
        scope = scope_for(request.user)
        listed = request.get_full_path()

        @display(description=_("status"), ordering="status")
        def display_status(obj):
            return status_cell(
                obj,
                editable=scope.may_edit_department(obj.department),
                withdrawn=obj.is_withdrawn(),
                back_to=listed,
            )

        return [display_status if name == "display_status" else name for name in self.list_display]

    def get_urls(self):
        move = path(
            "<path:object_id>/status/",
            self.admin_site.admin_view(partial(status_move_view, self)),
            name="services_service_status_move",
        )
        return [move, *super().get_urls()]

    def get_changelist(self, request, **kwargs):
        return counted_once(super().get_changelist(request, **kwargs))

    def has_verify_permission(self, request):
        return scope_for(request.user).verifies_anything

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope_for(request.user).edits_anything
        return can_edit(request.user, obj)

    def has_add_permission(self, request):
        return scope_for(request.user).edits_anything

    def has_delete_permission(self, request, obj=None):
        return False  # a service's history must outlive any mistake; nobody deletes here

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # a new service has no history yet, nor answers: added once saved
            later = {_("History"), _("How electronic")}
            return [(title, options) for title, options in fieldsets if title not in later]
        if self.has_change_permission(request, obj):
            return _with_criteria(fieldsets, [field_name(c) for c in self._criteria(request)])
        # Read-only readers get the stored fields only: no comment box, no lock token, the
        # answers as a table.
        form_only = {"status_comment", "expected_version", "criteria_evidence_url"}
        shown = {
            CRITERIA: ["display_criteria"],
            "life_events": ["display_life_events"],
            "display_usage": ["display_usage_to_read"],
        }
        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        name
                        for field in options["fields"]
                        if field not in form_only
                        for name in shown.get(field, [field])
                    ],
                },
            )
            for title, options in fieldsets
        ]

    @staticmethod
    def _criteria(request):
        """The criteria in use, read once a request (the admin asks for the fieldsets
        several times a page)."""
        if not hasattr(request, "criteria_in_use"):
            request.criteria_in_use = criteria_in_use()
        return request.criteria_in_use

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The criteria's fields are the form's own (services.criteria_form), not the
        # model's: the form factory is not asked for them.
        fields = kwargs.get("fields") or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [
            name
            for name in fields
            if not name.startswith(CRITERION_PREFIX)
            and name not in ("criteria_evidence_url", "life_events")
            and name not in self.get_readonly_fields(request, obj)
        ]
        # formfield_for_foreignkey below offers the departments of this service's region
        request.service_region_id = obj.department.region_id if obj is not None else None
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # the form checks whether this person's move is a claim
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            editable = Department.objects.editable_by(request.user).select_related("region")
            region_id = getattr(request, "service_region_id", None)
            if region_id is not None:
                # A service moves between the departments of its own region only, as a
                # restructuring moves them: its page offers those, not every department
                # of the country (thousands of options on each page of a superuser's).
                editable = editable.filter(region_id=region_id)
            kwargs["queryset"] = editable
            # Enough of them to know whether a select of them all is worth its page; not
            # all of them (the select reads them anew).
            first_few = list(
                editable.values_list("pk", flat=True)[: self.departments_in_a_select + 1]
            )
            if region_id is not None and len(first_few) > self.departments_in_a_select:
                kwargs["widget"] = RegionDepartmentChoice(db_field, self.admin_site, region_id)
            else:
                kwargs["widget"] = QuickSelect()  # a region's dozens of departments, quickly
            if len(first_few) == 1:
                kwargs["initial"] = first_few[0]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        return search(queryset, search_term), False  # the exports' q, word by word

    def lookup_allowed(self, lookup, value, request):
        # ServiceFilter's parameters only: another lookup (Django's own department__id__exact)
        # would narrow the list but not the export its links ask for.
        return lookup in ServiceFilter.base_filters

    def history_view(self, request, object_id, extra_context=None):
        """The "History" button: every change of the service (services.readable_history),
        not Django's own change log."""
        service = self.get_queryset(request).filter(pk=_id_or_none(object_id)).first()
        context = {"history": entries(service)} if service else {}
        return super().history_view(request, object_id, {**(extra_context or {}), **context})

    @display(description=_("history"))
    def display_history(self, obj):
        return render_to_string("admin/services/service/_history.html", {"history": entries(obj)})

    @display(description=_("monthly deliveries"))
    def display_usage(self, obj):
        return self._usage_links(obj, may_add=True)

    @display(description=_("monthly deliveries"))
    def display_usage_to_read(self, obj):  # for readers, who add none (get_fieldsets)
        return self._usage_links(obj, may_add=False)

    def _usage_links(self, obj, *, may_add: bool):
        recorded = obj.usage.aggregate(rows=Count("pk"), latest=Max("month"))
        listed = f"{reverse('admin:services_usage_changelist')}?service__id__exact={obj.pk}"
        added = f"{reverse('admin:services_usage_add')}?service={obj.pk}"
        return render_to_string(
            "admin/services/service/_usage.html",
            {**recorded, "list_url": listed, "add_url": added if may_add else ""},
        )

    def changelist_view(self, request, extra_context=None):
        # The list's own query string, as it is: its filters are the exports' filters.
        query = request.GET.urlencode()
        links = {
            f"export_{kind}_url": f"{reverse(f'exports:services_{kind}')}?{query}"
            for kind in ("xlsx", "csv")
        }
        return super().changelist_view(request, {**(extra_context or {}), **links})

    # --- writes go through services.actions --------------------------------------------

    def save_model(self, request, obj, form, change):
        comment = form.cleaned_data.get("status_comment", "")
        if change:
            edited = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in actions.EDITABLE_FIELDS or name == "status"
            }
            actions.update_service(
                obj,
                by=request.user,
                changes=edited,
                expected_version=form.cleaned_data["expected_version"],
                comment=comment,
            )
            self._save_criteria(request, obj, form)
        else:
            fields = {
                name: form.cleaned_data[name]
                for name in actions.EDITABLE_FIELDS
                if name in form.cleaned_data and name != "department"
            }
            created = actions.create_service(
                department=form.cleaned_data["department"],
                by=request.user,
                status=form.cleaned_data["status"],
                comment=comment,
                **fields,
            )
            obj.pk = created.pk
            obj.__dict__.update(
                {f.attname: getattr(created, f.attname) for f in Service._meta.concrete_fields}
            )
            obj._state.adding = False

    def _save_criteria(self, request, obj, form):
        """The answers and life events the form changed, through their writes, on the
        version update_service left (same transaction: all of the page, or none)."""
        answers = form.criteria_answers()
        if answers:
            criteria_writes.answer_criteria(
                obj,
                answers=answers,
                by=request.user,
                evidence_url=form.cleaned_data.get("criteria_evidence_url") or "",
                expected_version=obj.version,
            )
        if "life_events" in form.changed_data:
            criteria_writes.set_life_events(
                obj,
                events=form.cleaned_data["life_events"],
                by=request.user,
                expected_version=obj.version,
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form already refuses a stale copy; this catches the rare race in between.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except actions.StaleVersion as conflict:
            self.message_user(request, conflict.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except ValidationError as refusal:  # the actions' last word, e.g. a claim's proof
            self.message_user(request, _refusal_text(refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("Set status of selected services"), permissions=["change"])
    def set_status_of_selected(self, request, queryset):
        status = request.POST.get("status", "")
        comment = request.POST.get("comment", "").strip()
        if status not in Status.values or not comment:
            self.message_user(
                request,
                _("Choose the new status and write a comment, then run the action again."),
                messages.ERROR,
            )
            return None
        try:
            changes = actions.set_status_many(
                queryset.select_related("department"),
                status=status,
                by=request.user,
                comment=comment,
            )
        except (PermissionDenied, ValidationError) as refusal:
            self.message_user(request, _refusal_text(refusal), messages.ERROR)
            return None
        self.message_user(
            request,
            ngettext(
                "%(count)d service moved to “%(status)s”.",
                "%(count)d services moved to “%(status)s”.",
                len(changes),
            )
            % {"count": len(changes), "status": Status(status).label},
            messages.SUCCESS,
        )
        return None

    @admin.action(
        description=_("Confirm the selected services' data are current"), permissions=["change"]
    )
    def confirm_selected(self, request, queryset):
        try:
            count = actions.confirm_services(queryset.select_related("department"), by=request.user)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d service confirmed.", "%(count)d services confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Accept the claims of the selected services"), permissions=["verify"]
    )
    def accept_claims(self, request, queryset):
        self._review(request, _status_claims(queryset), actions.verify_claim)

    @admin.action(
        description=_("Reject the claims of the selected services (reason: Comment)"),
        permissions=["verify"],
    )
    def reject_claims(self, request, queryset):
        self._reject(request, _status_claims(queryset), actions.reject_claim)

    @admin.action(
        description=_("Accept the criteria claims of the selected services"),
        permissions=["verify"],
    )
    def accept_criteria_claims(self, request, queryset):
        self._review(request, _criteria_claims(queryset), criteria_writes.verify_criterion_claim)

    @admin.action(
        description=_("Reject the criteria claims of the selected services (reason: Comment)"),
        permissions=["verify"],
    )
    def reject_criteria_claims(self, request, queryset):
        self._reject(request, _criteria_claims(queryset), criteria_writes.reject_criterion_claim)

    def _reject(self, request, claims, reject):
        """A rejection needs its reason, from the action bar's Comment."""
        reason = request.POST.get("comment", "").strip()
        if not reason:
            self.message_user(
                request, _("Write the reason in Comment, then run it again."), messages.ERROR
            )
            return
        self._review(request, claims, lambda claim, by: reject(claim, by=by, reason=reason))

    def _review(self, request, claims, decide):
        """Decide every claim of the selection, or none of them (a refusal undoes all)."""
        reviewed = 0
        try:
            with transaction.atomic():
                for claim in claims():
                    decide(claim, by=request.user)
                    reviewed += 1
        except (PermissionDenied, ValidationError) as refusal:
            self.message_user(request, _refusal_text(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d claim reviewed.", "%(count)d claims reviewed.", reviewed)
            % {"count": reviewed},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Withdraw the selected from the register (reason: Comment, from: date)"),
        permissions=["verify"],
    )
    def withdraw_selected(self, request, queryset):
        form = SetStatusActionForm(request.POST)
        on = form.fields["withdraw_on"].clean(request.POST.get("withdraw_on") or None)
        self._write(
            request,
            lambda: actions.withdraw_services(
                queryset.select_related("department"),
                by=request.user,
                on=on or timezone.localdate(),
                reason=request.POST.get("comment", ""),
            ),
            ngettext(
                "%(count)d service withdrawn from the register.",
                "%(count)d services withdrawn from the register.",
                queryset.count(),
            ),
        )

    @admin.action(
        description=_("Return the selected to the register (reason: Comment)"),
        permissions=["verify"],
    )
    def restore_selected(self, request, queryset):
        self._write(
            request,
            lambda: actions.restore_services(
                queryset.select_related("department"),
                by=request.user,
                reason=request.POST.get("comment", ""),
            ),
            ngettext(
                "%(count)d service returned to the register.",
                "%(count)d services returned to the register.",
                queryset.count(),
            ),
        )

    @admin.action(
        description=_("Move the selected to another department of the region"),
        permissions=["manage_departments"],
    )
    def move_selected(self, request, queryset):
        return move_services_view(self, request, queryset)

    def has_manage_departments_permission(self, request):
        return scope_for(request.user).manages_any_departments

    def _write(self, request, write, done: str) -> None:
        try:
            count = write()
        except (PermissionDenied, ValidationError) as refusal:
            self.message_user(request, _refusal_text(refusal), messages.ERROR)
            return
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    # --- columns ------------------------------------------------------------------------

    @display(description=_("level"), ordering="level_verified")
    def display_level(self, obj):
        return level_shown(obj)

    @display(description=_("criteria"))
    def display_criteria(self, obj):
        return render_to_string(
            "admin/services/service/_criteria.html", {"answers": answers_shown(obj)}
        )

    @display(description=_("life events"))
    def display_life_events(self, obj):
        return ", ".join(event.name for event in obj.life_events.all()) or "—"

    @display(description=_("service"), ordering="name_ru")
    def display_name(self, obj):
        about = [obj.department.short_name]
        if obj.socially_significant:
            about.append(str(_("socially significant")))
        return format_html(
            '<span class="service-name" title="{}">{}</span><span class="service-about">{}</span>',
            obj.name,
            obj.name,
            " · ".join(about),
        )

    @display(description=_("status"), ordering="status")
    def display_status(self, obj):
        """The status in words; the list draws each person's own cell (get_list_display)."""
        if obj.is_withdrawn():
            return _("withdrawn from the register")
        return obj.get_status_display()

    @display(description=_("channels"))
    def display_channels(self, obj):
        # Badges written at once, not one theme template a row: a fifth of the list's time.
        return format_html(
            '<span class="channel-badges">{}</span>',
            format_html_join(
                "",
                '<span class="channel-badge">{}</span>',
                ((c.short_label,) for c in obj.channels),
            ),
        )

    @display(description=_("target"), ordering="target_date")
    def display_target(self, obj):
        if not obj.target_status:
            return "—"
        deadline = date_format(obj.target_date, "SHORT_DATE_FORMAT")
        target = f"{Status(obj.target_status).label} · {deadline}"
        if obj.is_overdue(on=timezone.localdate()):
            overdue = _("overdue")
            return f"{target} — {overdue}"
        return target


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyScopedAdmin):
    """The whole history, to read and search. Nobody adds, edits or deletes a row here."""

    list_display = ["changed_at", "service", "old_status", "new_status", "changed_by", "comment"]
    list_filter = ["new_status", ("service__department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["service", "changed_by"]
    search_fields = ["service__name_kk", "service__name_ru", "service__name_en", "comment"]
    date_hierarchy = "changed_at"
    fields = [
        "service",
        "old_status",
        "new_status",
        "changed_at",
        "display_changed_by",
        "comment",
        "evidence_url",
        "needs_verification",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    display_changed_by = person_field("changed_by", _("changed by"))
