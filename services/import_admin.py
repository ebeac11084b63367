"""The admin's import of service lists and usage tables: upload, preview, confirm.

django-import-export does the upload, the dry run and the confirmed import. Around it,
the preview here shows what an official can act on: warnings (a title naming another
region, names damaged by a lost encoding), each changed field old → new, each refused
row with its cells and reasons, a choice of department for every provider label nobody
knows yet (remembered as the department's alias, then the same file is checked again
without uploading it twice), and the refused rows as an XLSX to fix in Excel.

The stored upload is named to the browser only inside a signed token bound to the user
and department, so nobody can point the import at a file they did not upload.
"""

import io
import os

import xlsxwriter
from django import forms
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, HttpResponseBadRequest
from django.urls import path
from django.utils.translation import gettext as _
from import_export.admin import ImportMixin
from unfold.widgets import UnfoldAdminSelectWidget

from regions.access import scope_for
from regions.models import Department, ProviderLevel
from services.forms import ServiceConfirmImportForm, ServiceImportForm
from services.spreadsheets.importer import refused_rows
from services.spreadsheets.providers import level_of, remember_alias
from services.spreadsheets.reading import SpreadsheetError

UPLOAD_SALT = "services.import.upload"
UPLOAD_MAX_AGE = 24 * 3600  # an upload left in the preview overnight is uploaded again
PREVIEW_ROWS = 500


def sign_upload(user, stored_name: str, original_name: str, department_id: int) -> str:
    stored = os.path.basename(stored_name)  # a name in the temporary folder, never a path
    return signing.dumps(
        {"user": user.pk, "stored": stored, "name": original_name, "dep": department_id},
        salt=UPLOAD_SALT,
    )


def read_upload_token(user, token: str) -> dict:
    """The stored upload a token names, if it is this user's and still fresh."""
    try:
        upload = signing.loads(token, salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature as refusal:
        raise PermissionDenied(_("This preview has expired; upload the file again.")) from refusal
    if upload.get("user") != user.pk or os.path.basename(upload["stored"]) != upload["stored"]:
        raise PermissionDenied(_("This preview is not yours."))
    return upload


class ProviderChoiceForm(forms.Form):
    """One unknown provider label of the file, and the department it means."""

    label = forms.CharField(widget=forms.HiddenInput)
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, widget=UnfoldAdminSelectWidget
    )
    level = forms.ChoiceField(
        choices=ProviderLevel.choices, required=False, widget=UnfoldAdminSelectWidget
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].label = _("Department")
        self.fields["level"].label = _("provider level")


ProviderChoices = forms.formset_factory(ProviderChoiceForm, extra=0)


class DepartmentImportMixin(ImportMixin):
    """django-import-export's upload, preview and confirm, into a department one may change."""

    import_form_class = ServiceImportForm
    confirm_form_class = ServiceConfirmImportForm
    import_template_name = "admin/services/import.html"
    # services.spreadsheets.importer.import_services or import_usage, as a staticmethod
    run_import = None

    def has_import_permission(self, request):
        return scope_for(request.user).edits_anything

    def _editable_departments(self, request):
        return Department.objects.editable_by(request.user).select_related("region")

    def get_import_form_kwargs(self, request):
        return {
            **super().get_import_form_kwargs(request),
            "departments": self._editable_departments(request),
        }

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form),
            "departments": self._editable_departments(request),
        }

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["department"] = import_form.cleaned_data["department"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        # Also called with the empty form, only to list the columns the import knows.
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", {})
        return {"department": cleaned.get("department"), "user": request.user}

    def add_data_read_fail_error_to_form(self, form, e):
        # The reader's own sentence ("This is an Excel 97–2003 (.xls) file…"), not
        # "'SpreadsheetError' encountered while trying to read file".
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/refused-rows/",
                self.admin_site.admin_view(self.refused_rows_view),
                name=f"{info[0]}_{info[1]}_refused_rows",
            ),
            *super().get_urls(),
        ]

    # --- the preview ------------------------------------------------------------------

    def import_action(self, request, **kwargs):
        if request.method == "POST" and request.POST.get("stored_upload"):
            self._check_again_with_choices(request)
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "fields_list" in context:  # the columns the import reads, named for people
            resources = [
                resource_class(**self.get_import_resource_kwargs(request))
                for resource_class in self.get_import_resource_classes(request)
            ]
            context["fields_list"] = [
                (resource.get_display_name(), resource.readable_column_names())
                for resource in resources
            ]
        result, form = context.get("result"), context.get("form")
        if result is not None and form is not None and form.is_valid():
            context.update(self._preview_context(request, result, form))
        return response

    def _preview_context(self, request, result, form) -> dict:
        upload = form.cleaned_data["import_file"]
        department = form.cleaned_data["department"]
        token = sign_upload(request.user, upload.tmp_storage_name, upload.name, department.pk)
        table = getattr(result, "source_table", None)
        cells = {record.number: record.cells for record in table.records} if table else {}
        refused = [
            (number, cells.get(number, []), reasons)
            for number, reasons in sorted(refused_rows(result).items())
        ]
        unknown = getattr(result, "unknown_providers", {})
        choices = ProviderChoices(
            initial=[{"label": label, "level": level_of(label)} for label in unknown],
            form_kwargs={"departments": self._mapping_departments(request, department)},
            prefix="map",
        )
        return {
            "stored_upload": token,
            "import_warnings": getattr(result, "warnings", []),
            "provider_choices": choices if unknown else None,
            "unknown_rows": unknown,
            "refused": refused,
            "file_labels": table.labels if table else [],
            **self._changes_shown(result),
            "refused_rows_url": f"admin:{self.opts.app_label}_{self.opts.model_name}_refused_rows",
        }

    @staticmethod
    def _changes_shown(result) -> dict:
        """The rows that change something, the first PREVIEW_ROWS of them: a page of ten
        thousand rows helps nobody check a file."""
        changing = [
            row
            for row in result.valid_rows()
            if getattr(row, "changes", None) or row.import_type == "new"
        ]
        return {
            "row_changes": changing[:PREVIEW_ROWS],
            "more_changes": max(0, len(changing) - PREVIEW_ROWS),
        }

    def _mapping_departments(self, request, department):
        return self._editable_departments(request).filter(region_id=department.region_id)

    def _check_again_with_choices(self, request) -> None:
        """The person chose departments for unknown labels: remember them as aliases,
        then run the preview again on the file already uploaded."""
        upload = read_upload_token(request.user, request.POST["stored_upload"])
        department = self._editable_departments(request).filter(pk=upload["dep"]).first()
        if department is None:
            raise PermissionDenied
        choices = ProviderChoices(
            request.POST,
            form_kwargs={"departments": self._mapping_departments(request, department)},
            prefix="map",
        )
        if choices.is_valid():
            for choice in choices.cleaned_data:
                if choice.get("department"):
                    remember_alias(
                        choice["label"], choice["department"], choice["level"], request.user
                    )
        request.POST = request.POST.copy()
        request.POST["department"] = str(department.pk)
        # The upload is checked again as a new one (and stored anew): this copy goes.
        request.FILES["import_file"] = SimpleUploadedFile(
            upload["name"], self._stored_bytes(upload["stored"], remove=True)
        )

    def _stored_bytes(self, stored_name: str, *, remove: bool = False) -> bytes:
        storage = self.get_tmp_storage_class()(
            name=stored_name, read_mode="rb", **self.get_tmp_storage_class_kwargs()
        )
        try:
            data = storage.read()
        except OSError as gone:
            raise PermissionDenied(_("This preview has expired; upload the file again.")) from gone
        if remove:
            storage.remove()
        return data

    # --- refused rows, to fix in Excel ----------------------------------------------

    def refused_rows_view(self, request):
        if request.method != "POST" or not self.has_import_permission(request):
            raise PermissionDenied
        upload = read_upload_token(request.user, request.POST.get("stored_upload", ""))
        department = self._editable_departments(request).filter(pk=upload["dep"]).first()
        if department is None:
            raise PermissionDenied
        data = self._stored_bytes(upload["stored"])
        outcome = self.run_import(
            data, upload["name"], department=department, user=request.user, dry_run=True
        )
        if outcome.table is None:
            return HttpResponseBadRequest("; ".join(outcome.problems))
        stem = os.path.splitext(upload["name"])[0]
        return FileResponse(
            refused_workbook(outcome.table, outcome.refused),
            as_attachment=True,
            filename=_("%(file)s — refused rows.xlsx") % {"file": stem},
        )


def refused_workbook(table, refused: dict[int, list[str]]) -> io.BytesIO:
    """The refused rows with the file's own header and a column saying why: fixed in
    Excel, the file is sent again as it is."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}
    )
    sheet = workbook.add_worksheet(_("Refused rows")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#FDE68A", "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    header = [*table.labels, _("Why the row was refused")]
    for column, label in enumerate(header):
        sheet.write_string(0, column, label, bold)
    cells = {record.number: record.cells for record in table.records}
    for line, number in enumerate(sorted(refused), start=1):
        row = cells.get(number, [])
        for column, value in enumerate(row[: len(table.labels)]):
            sheet.write_string(line, column, str(value), wrap)
        sheet.write_string(line, len(table.labels), "\n".join(refused[number]), wrap)
    sheet.set_column(0, len(header), 30)
    sheet.freeze_panes(1, 0)
    workbook.close()
    buffer.seek(0)
    return buffer
