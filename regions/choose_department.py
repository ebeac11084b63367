"""The page an admin action opens to ask "to which department?": moving services to
another department (a split), merging departments into another. One form, one page.

Only the open departments of the objects' own region are offered, and only to those who
manage that region's departments: the list itself would otherwise tell other regions'
department names.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from regions.access import scope_for
from regions.models import Department


class ChooseDepartmentForm(forms.Form):
    to = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.none(),
        widget=UnfoldAdminSelectWidget,
    )
    comment = forms.CharField(
        label=gettext_lazy("Why"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("E.g. the akimat's decision; it goes into the history."),
        widget=UnfoldAdminTextInputWidget,
    )

    def __init__(self, *args, region_id: int, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = (
            Department.objects.filter(region_id=region_id, closed_on__isnull=True)
            .exclude(pk__in=exclude)
            .order_by("code")
        )


def choose_department(
    model_admin,
    request,
    *,
    objects: list,
    region_ids: set[int],
    action: str,
    title: str,
    explanation: str,
    apply: Callable[[Department, str], int],
    done: Callable[[int, Department], str],
    exclude=(),
):
    """Ask for the department, then ``apply(department, comment)`` in one transaction."""
    if len(region_ids) != 1:
        model_admin.message_user(request, _("Choose items of one region."), messages.ERROR)
        return None
    [region_id] = region_ids
    if not scope_for(request.user).may_manage_departments(region_id):
        model_admin.message_user(
            request,
            _("Only the region's digital office reorganises its departments."),
            messages.ERROR,
        )
        return None
    form = ChooseDepartmentForm(
        request.POST if "apply" in request.POST else None, region_id=region_id, exclude=exclude
    )
    if form.is_valid():
        department = form.cleaned_data["to"]
        try:
            with transaction.atomic():  # all of the selection, or none of it
                count = apply(department, form.cleaned_data["comment"])
        except (PermissionDenied, ValidationError) as refusal:
            text = "; ".join(getattr(refusal, "messages", [str(refusal)]))
            model_admin.message_user(request, text, messages.ERROR)
            return None
        model_admin.message_user(request, done(count, department), messages.SUCCESS)
        return None
    return TemplateResponse(
        request,
        "admin/choose_department.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "explanation": explanation,
            "opts": model_admin.model._meta,
            "form": form,
            "objects": objects,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )
