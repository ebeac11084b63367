"""The admin's import of service lists and usage tables: upload, preview, confirm.

django-import-export does the upload, the dry run and the confirmed import. Around it,
the preview here shows what an official can act on: warnings (a title naming another
region, names damaged by a lost encoding), each changed field old → new, each refused
row with its cells and reasons, a choice of department for every provider label nobody
knows yet (remembered as the department's alias, then the same file is checked again
without uploading it twice), and the refused rows as an XLSX to fix in Excel.

Every spreadsheet import of the admin (these, and regions' department lists) shares
SpreadsheetImportMixin: the upload is checked against the reading budgets before it is
stored, kept under a random name in a folder of its own, named to the browser only
inside a signed token bound to the user, the admin and the department (or region), and
removed once it is refused, imported or expired. The confirmation reads no file name from
the browser: a forged, foreign, expired or path-like token, or a format or resource not
offered, is refused in words, and nothing is imported.

The confirmation does what its preview showed, or nothing: the token carries a digest of
the preview's outcome row by row, and the import commits only if it comes out the same.
Two people confirming one file, or an edit between the preview and the confirmation,
leave the second with a page saying nothing of their file was written, who changed what
since, and a button to preview the same file again.
"""

import hashlib
import io
import json
import logging
import os
import re
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import FileResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin
from import_export.tmp_storages import TempFolderStorage
from unfold.widgets import UnfoldAdminSelectWidget

from regions.access import scope_for
from regions.models import Department, ProviderLevel
from services.forms import ServiceConfirmImportForm, ServiceImportForm
from services.readable_history import changes_since
from services.spreadsheets.importer import problems_of, refused_rows
from services.spreadsheets.providers import level_of, remember_alias
from services.spreadsheets.reading import SpreadsheetError
from tracker.xlsx_cells import LimitedWorkbook

logger = logging.getLogger(__name__)

UPLOAD_SALT = "services.import.upload"
UPLOAD_MAX_AGE = 24 * 3600  # an upload left in the preview overnight is uploaded again
PREVIEW_ROWS = 500
STORED_NAME = re.compile(r"[0-9a-f]{32}")  # what UploadStorage names a file: nothing else


def upload_folder() -> Path:
    """Where uploads wait between the preview and the confirmation: IMPORT_UPLOAD_DIR, or
    a folder of their own under the system's temporary folder (never the folder itself,
    where other programs' files lie)."""
    configured = getattr(settings, "IMPORT_UPLOAD_DIR", "")
    return Path(configured or os.path.join(tempfile.gettempdir(), "tracker-import-uploads"))


class UploadStorage(TempFolderStorage):
    """django-import-export's temporary storage, in upload_folder(), under a random name
    that is all a token names; uploads older than UPLOAD_MAX_AGE go when another comes."""

    def save(self, data):
        folder = upload_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        remove_expired_uploads(folder)
        self.name = secrets.token_hex(16)
        descriptor = os.open(self.get_full_path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stored:
            stored.write(data.encode("utf-8") if isinstance(data, str) else data)

    def read(self):
        with open(self.get_full_path(), "rb") as stored:
            return stored.read()

    def remove(self):
        Path(self.get_full_path()).unlink(missing_ok=True)

    def get_full_path(self):
        if not isinstance(self.name, str) or not STORED_NAME.fullmatch(self.name):
            raise FileNotFoundError("not the name of an upload")
        return str(upload_folder() / self.name)


def remove_expired_uploads(folder: Path) -> None:
    cutoff = time.time() - UPLOAD_MAX_AGE
    for stored in folder.iterdir():
        try:
            if STORED_NAME.fullmatch(stored.name) and stored.stat().st_mtime < cutoff:
                stored.unlink()
        except OSError:
            continue  # taken by another request meanwhile


def forget_upload(stored_name: str | None) -> None:
    if stored_name and STORED_NAME.fullmatch(stored_name):
        UploadStorage(name=stored_name).remove()


def sign_upload(
    user, stored_name: str, original_name: str, place_id: int, *, purpose: str, outcome=""
) -> str:
    """A token naming one stored upload: for this user, this admin (``purpose``, the
    model's label) and this department or region; with the confirmation's, what the
    preview showed (``outcome``) and when."""
    return signing.dumps(
        {
            "user": user.pk,
            "stored": os.path.basename(stored_name),  # a name in the upload folder, no path
            "name": original_name,
            "place": place_id,
            "for": purpose,
            "outcome": outcome,
            "at": time.time(),
        },
        salt=UPLOAD_SALT,
    )


def outcome_of(result) -> str:
    """A digest of what an import does, row by row: new, updated (which fields, from what
    to what, where the resource says), unchanged or refused. The confirmation must do
    what its preview showed; if anything was changed in between (another import, an
    edit), the digests differ."""
    rows = [[row.import_type, getattr(row, "outcome", None)] for row in result.rows]
    refused = sorted(invalid.number for invalid in result.invalid_rows)
    summary = json.dumps([rows, refused, bool(result.base_errors)], default=str)
    return hashlib.sha256(summary.encode()).hexdigest()


def read_upload_token(user, token: str, *, purpose: str) -> dict:
    """The stored upload a token names, if it is this user's, for this admin, still fresh,
    and names a stored upload (never a path)."""
    try:
        upload = signing.loads(token or "", salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature as refusal:  # SignatureExpired is one
        raise PermissionDenied(_("This preview has expired; upload the file again.")) from refusal
    if (
        not isinstance(upload, dict)
        or upload.get("user") != user.pk
        or upload.get("for") != purpose
        or not isinstance(upload.get("stored"), str)
        or not STORED_NAME.fullmatch(upload["stored"])
        or not isinstance(upload.get("name"), str)
        or not isinstance(upload.get("place"), int)
    ):
        raise PermissionDenied(_("This preview is not yours."))
    return upload


class SpreadsheetImportMixin(ImportMixin):
    """django-import-export's upload, preview and confirm, with the upload kept safe: see
    the module's docstring. ``place_field`` is the form field the upload is bound to."""

    tmp_storage_class = UploadStorage
    place_field = "department"
    import_refused_template_name = "admin/services/import_refused.html"

    def _create_log_entry(self, user_pk, rows, import_type, action_flag):
        """The admin log's record of an import, kept as data (tracker.admin_log reads it
        in the reader's language), not django-import-export's English sentence "update
        through import_export". (Its hook for one entry per kind of change.)"""
        if rows:
            LogEntry.objects.log_actions(
                user_pk,
                rows,
                action_flag,
                change_message=json.dumps([{"imported": import_type}]),
                single_object=len(rows) == 1,
            )

    def upload_token(
        self, request, stored_name: str, original_name: str, place_id: int, outcome=""
    ):
        return sign_upload(
            request.user,
            stored_name,
            original_name,
            place_id,
            purpose=self.opts.label_lower,
            outcome=outcome,
        )

    def read_upload(self, request, token: str) -> dict:
        return read_upload_token(request.user, token, purpose=self.opts.label_lower)

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form),
            "formats": len(self.get_import_formats()),
            "resources": len(self.get_import_resource_classes(request)),
        }

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is None:
            return initial
        upload = import_form.cleaned_data["import_file"]
        place = import_form.cleaned_data[self.place_field]
        del initial["import_file_name"], initial["original_file_name"]
        initial["stored_upload"] = self.upload_token(
            request, upload.tmp_storage_name, upload.name, place.pk
        )
        initial[self.place_field] = place.pk
        return initial

    def add_data_read_fail_error_to_form(self, form, e):
        # The reader's own sentence ("This is an Excel 97–2003 (.xls) file…"), never
        # "'SpreadsheetError' encountered while trying to read file".
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
            return
        logger.exception("An upload could not be read", exc_info=e)
        form.add_error(
            "import_file",
            _(
                "This file cannot be read as a spreadsheet. Save it again as .xlsx or .csv "
                "and try once more."
            ),
        )

    # --- the upload ---------------------------------------------------------------------

    def import_action(self, request, **kwargs):
        try:
            response = super().import_action(request, **kwargs)
        except Exception:
            self._forget_this_upload(request)
            raise
        context = getattr(response, "context_data", None) or {}
        if not self.upload_kept(context):
            self._forget_this_upload(request)  # refused, or unreadable: of no more use
        elif context.get("confirm_form") is not None and context.get("result") is not None:
            self._bind_outcome(request, context["confirm_form"], context["result"])
        return response

    def _bind_outcome(self, request, confirm_form, result) -> None:
        """Sign what the preview showed into the confirmation's token."""
        upload = self.read_upload(request, confirm_form.initial["stored_upload"])
        confirm_form.initial["stored_upload"] = self.upload_token(
            request, upload["stored"], upload["name"], upload["place"], outcome_of(result)
        )

    def upload_kept(self, context) -> bool:
        """Whether the page answered names the stored upload: a confirmation does."""
        return context.get("confirm_form") is not None

    @staticmethod
    def _forget_this_upload(request) -> None:
        upload = request.FILES.get("import_file") if request.method == "POST" else None
        forget_upload(getattr(upload, "tmp_storage_name", None))

    # --- the confirmation -----------------------------------------------------------------

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Import the upload a signed token names, checked again for the user's rights;
        every refusal is a page saying why (400, or 403 for another's upload)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if self.place_field in form.errors:
            return self.refuse_confirmation(request, self._place_refused(), 403)
        if not form.is_valid():
            return self.refuse_confirmation(request, self._confirm_form_problem(form), 400)
        try:
            upload = self.read_upload(request, form.cleaned_data["stored_upload"])
        except PermissionDenied as refusal:
            return self.refuse_confirmation(request, str(refusal), 403)
        if upload["place"] != form.cleaned_data[self.place_field].pk:
            return self.refuse_confirmation(request, self._place_refused(), 403)
        storage = UploadStorage(name=upload["stored"])
        keep = False  # kept only to be checked again, when the data moved under the preview
        try:
            try:
                data = storage.read()
            except OSError:
                return self.refuse_confirmation(
                    request, _("This preview has expired; upload the file again."), 400
                )
            input_format = self.get_import_formats()[form.cleaned_data["format"]]()
            try:
                dataset = input_format.create_dataset(data)
            except SpreadsheetError as problem:
                return self.refuse_confirmation(request, str(problem), 400)
            # The import and the check that it did what the preview showed commit together,
            # or not at all.
            with transaction.atomic():
                result = self.process_dataset(
                    dataset, form, request, file_name=upload["name"], **kwargs
                )
                moved = outcome_of(result) != upload.get("outcome")
                failed = result.has_errors() or result.has_validation_errors()
                if moved or failed:
                    transaction.set_rollback(True)
            if moved or failed:
                keep = moved and self.can_check_again
                return self.refuse_unlike_preview(request, result, upload, form, moved=moved)
        finally:
            if not keep:
                storage.remove()  # imported, refused or failed: uploaded again if wanted
        return self.process_result(result, request)

    # Whether the refusal page may offer to preview the stored file again (an admin whose
    # import_action reads the token back: DepartmentImportMixin).
    can_check_again = False

    def refuse_unlike_preview(self, request, result, upload: dict, form, *, moved: bool):
        """Nothing was written: say so, and why — the rows the import now refuses, and
        who changed the data since the preview."""
        problems = problems_of(result)[:20]
        if moved:
            why = _(
                "Since your preview the data changed, so this import would no longer do "
                "what the preview showed."
            )
            changed = self.changes_since_preview(request, upload)
            if changed:
                why += " " + _("Changed since: %(changes)s.") % {"changes": changed}
            problems.insert(0, why)
        return self.refuse_confirmation(
            request,
            _("Nothing of your file was written."),
            409,
            problems=problems,
            check_again=(
                {
                    "stored_upload": form.cleaned_data["stored_upload"],
                    "format": form.cleaned_data["format"],
                    "resource": form.cleaned_data.get("resource") or 0,
                }
                if moved and self.can_check_again
                else None
            ),
        )

    def changes_since_preview(self, request, upload: dict) -> str:
        """Who changed what since the preview, in a few words; empty when unknown."""
        return ""

    @staticmethod
    def _place_refused() -> str:
        return _(
            "This confirmation names a department or region you may not import into; "
            "nothing was imported."
        )

    @staticmethod
    def _confirm_form_problem(form) -> str:
        if "stored_upload" in form.errors:
            return _("This preview has expired; upload the file again.")
        return _("This confirmation is not one the preview offered; upload the file again.")

    def refuse_confirmation(
        self, request, message: str, status: int, *, problems=(), check_again=None
    ):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "refusal": message,
            "problems": problems,
            "check_again": check_again,
            "import_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import",
                current_app=self.admin_site.name,
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, [self.import_refused_template_name], context, status=status
        )


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


class DepartmentImportMixin(SpreadsheetImportMixin):
    """django-import-export's upload, preview and confirm, into a department one may change."""

    import_form_class = ServiceImportForm
    confirm_form_class = ServiceConfirmImportForm
    import_template_name = "admin/services/import.html"
    # services.spreadsheets.importer.import_services or import_usage, as a staticmethod
    run_import = None
    can_check_again = True

    def changes_since_preview(self, request, upload: dict) -> str:
        department = Department.objects.filter(pk=upload["place"]).first()
        if department is None or not isinstance(upload.get("at"), float):
            return ""
        return changes_since(department.region_id, datetime.fromtimestamp(upload["at"], tz=UTC))

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

    def get_import_resource_kwargs(self, request, **kwargs):
        # Also called with the empty form, only to list the columns the import knows.
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", {})
        return {"department": cleaned.get("department"), "user": request.user}

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

    def upload_kept(self, context) -> bool:
        # A preview with refused rows still names the upload: to download them, or to
        # check it again once its unknown providers are chosen.
        return context.get("result") is not None

    def _preview_context(self, request, result, form) -> dict:
        upload = form.cleaned_data["import_file"]
        department = form.cleaned_data["department"]
        token = self.upload_token(request, upload.tmp_storage_name, upload.name, department.pk)
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
        upload = self.read_upload(request, request.POST["stored_upload"])
        department = self._editable_departments(request).filter(pk=upload["place"]).first()
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
        storage = UploadStorage(name=stored_name)
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
        upload = self.read_upload(request, request.POST.get("stored_upload", ""))
        department = self._editable_departments(request).filter(pk=upload["place"]).first()
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
    workbook = LimitedWorkbook(
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
