"""Forms of the regions admin: the department list's import, and department aliases."""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget

from regions.models import DepartmentAlias, Region
from services.forms import SignedConfirmImportForm, SpreadsheetImportForm
from services.spreadsheets.providers import alias_key


class DepartmentImportForm(SpreadsheetImportForm):
    """The admin's import form, with the region whose departments the file lists: only
    regions the person manages are offered."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        widget=UnfoldAdminSelectWidget,
        help_text=_(
            "Departments already in the region are matched by code or name and updated; "
            "the others are added."
        ),
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if regions is not None and len(regions) == 1:
            self.fields["region"].initial = regions[0]


class DepartmentConfirmImportForm(SignedConfirmImportForm):
    """The confirmation carries the region; one the person no longer manages is refused."""

    region = forms.ModelChoiceField(queryset=Region.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class DepartmentAliasFormSet(forms.BaseInlineFormSet):
    """A department's aliases, each unique in the region once normalised: "УО" and "уо."
    are one, and one that already means another department is refused here, not by the
    database."""

    def clean(self):
        super().clean()
        department = self.instance
        seen = {}
        editing = [form.instance.pk for form in self.forms if form.instance.pk]
        taken = {
            alias.key: alias
            for alias in DepartmentAlias.objects.filter(region_id=department.region_id)
            .exclude(pk__in=editing)
            .select_related("department")
        }
        for form in self.forms:
            label = (getattr(form, "cleaned_data", None) or {}).get("label")
            if not label or form.cleaned_data.get("DELETE"):
                continue
            key = alias_key(label)
            if key in seen:
                form.add_error("label", _("Given twice: “%(label)s”.") % {"label": label})
            elif key in taken:
                form.add_error(
                    "label",
                    _("“%(label)s” already means %(department)s.")
                    % {"label": label, "department": taken[key].department},
                )
            seen[key] = form
