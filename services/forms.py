from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm
from unfold.contrib.import_export.forms import ImportForm
from unfold.forms import ActionForm
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from regions.models import Department
from services.actions import EDITABLE_FIELDS, StaleVersion, check_claim
from services.criteria_form import CriteriaFormMixin, criteria_in_use
from services.models import Channel, Service, Status
from services.spreadsheets.reading import SpreadsheetError, check_file, check_size


class ServiceForm(CriteriaFormMixin, forms.ModelForm):
    """The admin's service form: a status move needs a reason, and a stale copy is refused.
    A service's page also answers its criteria and names its life events
    (services.criteria_form)."""

    # The version the page was opened at (a save over a newer one is refused); hidden.
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, label=_("version when opened")
    )
    status_comment = forms.CharField(
        label=_("Why the status changes"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 2}),
        help_text=_("Required when you change the status; it is kept in the history."),
    )

    class Meta:
        model = Service
        fields = ["status", *sorted(EDITABLE_FIELDS)]
        # Register names run to three lines; a one-line box hides most of them.
        widgets = {
            name: UnfoldAdminTextareaWidget(attrs={"rows": 2})
            for name in ("name_kk", "name_ru", "name_en")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for channel in Channel:
            if channel.field_name in self.fields:
                # Django capitalises labels ("EGov portal"); the brands are "eGov", "mGov".
                self.fields[channel.field_name].label = channel.label
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.add_criteria_fields(criteria_in_use())

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._refuse_stale_copy(cleaned.get("expected_version"))
            if "status" in self.changed_data and not cleaned.get("status_comment", "").strip():
                self.add_error("status_comment", _("Say why the status changes."))
        self._claim_needs_evidence(cleaned)
        if self.instance.pk:
            self.check_criteria_claims(self.instance.department, getattr(self, "user", None))
        return cleaned

    def _claim_needs_evidence(self, cleaned):
        """A head moving a service to electronic must link the proof: the actions' rule,
        asked here so the refusal shows on the field."""
        department = cleaned.get("department") or getattr(self.instance, "department", None)
        moving = not self.instance.pk or "status" in self.changed_data
        user = getattr(self, "user", None)
        if moving and department and user is not None and cleaned.get("status"):
            try:
                check_claim(
                    department,
                    cleaned["status"],
                    user,
                    evidence_url=cleaned.get("evidence_url") or "",
                )
            except forms.ValidationError as refusal:
                self.add_error(None, refusal)

    def _refuse_stale_copy(self, expected_version):
        current = Service.objects.filter(pk=self.instance.pk).first()
        if current is not None and current.version != expected_version:
            raise forms.ValidationError(StaleVersion(current).message, code="stale")


class SetStatusActionForm(ActionForm):
    """Extra fields beside the changelist's action menu, used by the "set status" action."""

    status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", "—"), *Status.choices],
        widget=UnfoldAdminSelectWidget(attrs={"class": "!text-base-700 lg:w-48"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=UnfoldAdminTextInputWidget(attrs={"class": "!text-base-700 lg:w-72"}),
    )
    withdraw_on = forms.DateField(
        label=_("Withdraw from"),
        required=False,
        help_text=_("Empty: today."),
        # the browser's own date picker; the value comes as YYYY-MM-DD in every language
        widget=UnfoldAdminTextInputWidget(
            attrs={"type": "date", "class": "!text-base-700 lg:w-40"}
        ),
    )


class SpreadsheetImportForm(ImportForm):
    """The upload of every spreadsheet import: a file past the budgets (its size, an
    XLSX's zip directory, declared dimensions and merged ranges) is refused here, in the
    reader's words, before django-import-export stores it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)  # told before a byte is read
            data = upload.read()
            upload.seek(0)
            check_file(data)
        except SpreadsheetError as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from refusal
        return upload


class SignedConfirmImportForm(ConfirmImportForm):
    """The confirmation of an import. The stored upload is named only inside a signed
    token (services.import_admin.sign_upload); the name django-import-export would take
    from the browser is no field. The format and resource are one of those offered."""

    import_file_name = None
    original_file_name = None
    stored_upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, formats: int = 1, resources: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"] = forms.TypedChoiceField(
            choices=[(str(index), str(index)) for index in range(formats)],
            coerce=int,
            widget=forms.HiddenInput,
        )
        self.fields["resource"] = forms.TypedChoiceField(
            choices=[("", ""), *((str(index), str(index)) for index in range(resources))],
            coerce=int,
            empty_value=0,
            required=False,
            widget=forms.HiddenInput,
        )


class ServiceImportForm(SpreadsheetImportForm):
    """The admin's import form, with the department the file belongs to."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        widget=UnfoldAdminSelectWidget,
        help_text=_(
            "Rows without a department column go here; rows naming another "
            "department must be ones you may change."
        ),
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        if departments is not None and len(departments) == 1:
            self.fields["department"].initial = departments[0]


class ServiceConfirmImportForm(SignedConfirmImportForm):
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
