"""Importing a department's service list with django-import-export.

The file is read by services.spreadsheets (messy layouts, encodings, office spellings);
this resource matches each row to a service — by register code, else by name within
the department — and writes through services.actions, so every status a file changes
gets its history row naming the file. django-import-export runs it all in one
transaction and rolls it back if any row has a problem: nothing is half-imported.
"""

import copy

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field

from regions.access import scope_for
from regions.models import Department
from services import actions
from services.models import Service, Status, Usage
from services.spreadsheets import vocabulary
from services.spreadsheets.dataset import FILE_ROW
from services.spreadsheets.widgets import (
    CountWidget,
    RegisterCodeWidget,
    StatusWidget,
    TextWidget,
    YesNoWidget,
)

NAME_FIELDS = ("name_kk", "name_ru", "name_en")


def _field(attribute: str, widget) -> Field:
    # A blank cell keeps what the service has: office files often leave columns empty.
    return Field(attribute=attribute, column_name=attribute, widget=widget, saves_null_values=False)


class FileRowMessages:
    """Every problem an import reports names the row of the person's own file."""

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError as problem:
            raise ValueError(
                _("row %(row)s of the file: %(problem)s")
                % {"row": row[FILE_ROW], "problem": problem}
            ) from problem

    @staticmethod
    def _row_error(row, problem: str) -> ValidationError:
        return ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("row %(row)s of the file: %(problem)s")
                    % {"row": row[FILE_ROW], "problem": problem}
                ]
            }
        )


class ReadableColumns:
    """The import screens name columns as people do, in their language: the list of
    columns the import reads and the preview's headers show "Status", "Мәртебе" or
    "Статус", never the code's field names."""

    def column_label(self, field: Field) -> str:
        if field.column_name == FILE_ROW:
            return _("Row of the file")
        return self.label_of(field.attribute)

    def label_of(self, name: str) -> str:
        try:
            return capfirst(str(self._meta.model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            return name

    def get_diff_headers(self):
        return [self.column_label(field) for field in self.get_import_fields()]

    def import_row(self, row, instance_loader, **kwargs):
        """A row's problems under the column's name, not the field's."""
        result = super().import_row(row, instance_loader, **kwargs)
        problem = result.validation_error
        if problem is not None and hasattr(problem, "error_dict"):
            result.validation_error = ValidationError(
                {
                    name if name == NON_FIELD_ERRORS else self.label_of(name): errors
                    for name, errors in problem.error_dict.items()
                }
            )
        return result

    def readable_column_names(self) -> list[str]:
        return [self.column_label(field) for field in self.get_user_visible_fields()]


class ServiceResource(ReadableColumns, FileRowMessages, resources.ModelResource):
    file_row = Field(column_name=FILE_ROW, readonly=True)
    register_code = _field("register_code", RegisterCodeWidget())
    name_kk = _field("name_kk", TextWidget())
    name_ru = _field("name_ru", TextWidget())
    name_en = _field("name_en", TextWidget())
    status = _field("status", StatusWidget())
    socially_significant = _field("socially_significant", YesNoWidget())
    documents_required = _field("documents_required", CountWidget())
    term_days = _field("term_days", CountWidget())
    blocker = _field("blocker", TextWidget())
    evidence_url = _field("evidence_url", TextWidget())

    class Meta:
        model = Service
        fields = (
            "file_row",
            "register_code",
            *NAME_FIELDS,
            "status",
            "socially_significant",
            "documents_required",
            "term_days",
            "blocker",
            "evidence_url",
        )
        import_id_fields = ()  # matched by get_instance below
        # Rows are checked one by one and new services written together (bulk_create
        # below): one insert per thousand, not a savepoint and two inserts per row.
        # Changed services are still written one by one, each with its own lock.
        use_bulk = True
        batch_size = 1000
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = False  # actions validate, the database enforces the rest

    def __init__(self, *, department: Department | None, user, file_name: str = ""):
        super().__init__()
        self.department = department
        self.user = user
        self.file_name = file_name
        self.new_services = []  # checked rows waiting for bulk_create

    # --- before any row: may this user import here? what exists already? -----------------

    def before_import(self, dataset, **kwargs):
        self.file_name = kwargs.get("file_name") or self.file_name
        scope = scope_for(self.user)
        if self.department is None or not scope.may_edit_department(self.department):
            raise PermissionDenied(
                _("You may not change services of %(department)s; nothing was imported.")
                % {"department": self.department}
            )
        # Every way a file may name one of the region's departments (code, names, short
        # names in three languages), normalised once: looked up for every row.
        self.departments_by_name = {}
        for department in Department.objects.filter(region_id=self.department.region_id):
            names = [department.code] + [
                getattr(department, f"{base}_{code}")
                for base in ("name", "short_name")
                for code in ("kk", "ru", "en")
            ]
            for name in filter(None, names):
                self.departments_by_name.setdefault(vocabulary.normalise(name), department)
        self.scope = scope
        self.existing = {}
        services = Service.objects.filter(department__region_id=self.department.region_id)
        for service in services:
            for key in _keys(
                service.department_id,
                service.register_code,
                [getattr(service, name) for name in NAME_FIELDS],
            ):
                self.existing.setdefault(key, service)
        self.seen = {}  # key -> file row, to report a service listed twice

    # --- each row ---------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        department = self._department_of(row)
        if not self.scope.may_edit_department(department):
            raise self._row_error(
                row,
                _(
                    "it belongs to %(department)s, whose services you may not change; "
                    "nothing was imported"
                )
                % {"department": department},
            )
        row["_department"] = department
        try:
            code = RegisterCodeWidget().clean(row.get("register_code")) or ""
        except ValueError:
            code = ""  # not a code: matched by name; the field import reports it by row
        row["_keys"] = _keys(department.pk, code, [row.get(name) or "" for name in NAME_FIELDS])
        for key in row["_keys"]:
            if key in self.seen:
                raise self._row_error(
                    row, _("the same service as row %(row)s") % {"row": self.seen[key]}
                )
        for key in row["_keys"]:
            self.seen[key] = row[FILE_ROW]

    def get_instance(self, instance_loader, row):
        # By register code first, then by any of its names, within the department. The
        # row's values go into a copy; the service as read stays for skip_row to compare.
        found = next((self.existing[key] for key in row["_keys"] if key in self.existing), None)
        if found is None:
            return None
        row["_as_read"] = found
        return copy.copy(found)

    def import_data(self, dataset, dry_run=False, **kwargs):
        # The preview shows each row's changes; the real import shows none, so it is spared
        # working them out (a copy of the options: the class's stay as they are).
        self._meta = copy.copy(type(self)._meta)
        self._meta.skip_diff = not dry_run
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A known service whose every imported field is as it was read: left alone.

        Compared with the service as read, not with django-import-export's deep copy of
        each row's instance, which the real import spares itself (see import_data)."""
        as_read = row.get("_as_read")
        if as_read is None or import_validation_errors:
            return False
        return all(
            field.get_value(instance) == field.get_value(as_read)
            for field in self.get_import_fields()
        )

    def init_instance(self, row=None):
        return Service(department=row["_department"])

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """New services of the file, every row checked, written together at its end."""
        if self.new_services:
            try:
                actions.create_services(self.new_services)
            except Exception as problem:
                self.handle_import_error(result, problem, raise_errors)
            finally:
                self.new_services.clear()

    def save_instance(self, instance, is_create, row, **kwargs):
        comment = _("Imported from %(file)s, row %(row)s.") % {
            "file": self.file_name or _("a spreadsheet"),
            "row": row[FILE_ROW],
        }
        editable = {
            name: getattr(instance, name)
            for name in actions.EDITABLE_FIELDS
            if name != "department"
        }
        try:
            if is_create:  # checked now, written with the others in bulk_create below
                self.new_services.append(
                    actions.prepare_service(
                        department=instance.department,
                        by=self.user,
                        status=instance.status or Status.PAPER,
                        comment=comment,
                        **editable,
                    )
                )
            else:
                current = Service.objects.get(pk=instance.pk)
                changes = {
                    name: value
                    for name, value in {**editable, "status": instance.status}.items()
                    if value != getattr(current, name)
                }
                actions.update_service(
                    current,
                    by=self.user,
                    changes=changes,
                    expected_version=instance.version,
                    comment=comment,
                )
        except ValidationError as problem:
            raise self._row_error(row, "; ".join(problem.messages)) from problem
        except actions.StaleVersion as conflict:
            raise self._row_error(row, conflict.message) from conflict

    # --- helpers ------------------------------------------------------------------------

    def _department_of(self, row) -> Department:
        named = (row.get("department") or "").strip()
        if not named:
            return self.department
        department = self.departments_by_name.get(vocabulary.normalise(named))
        if department is not None:
            return department
        raise self._row_error(
            row,
            _("no department “%(name)s” in %(region)s")
            % {"name": named, "region": self.department.region},
        )


def _keys(department_id: int, code: str, names: list[str]) -> list[tuple]:
    """What identifies a service in a department: its code, and each of its names."""
    keys = [(department_id, "code", code)] if code else []
    keys += [(department_id, "name", vocabulary.normalise(n)) for n in names if n]
    return keys


class MonthWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        month = vocabulary.month_of(value or "")
        if month is None:
            raise ValueError(
                _("“%(value)s” is not a month (write 01.2026 or январь 2026).") % {"value": value}
            )
        return month


class DeliveriesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        digits = str(value).replace(" ", "").replace("\u00a0", "")
        if digits.endswith((".0", ",0")):
            digits = digits[:-2]
        if not digits.isdigit() or len(digits) > 9:
            raise ValueError(_("“%(value)s” is not a number of deliveries.") % {"value": value})
        return int(digits)


class UsageResource(ReadableColumns, FileRowMessages, resources.ModelResource):
    """Monthly deliveries by channel for one department's services; same rules as the
    service list: all or nothing, every problem with its row, only departments one may
    change."""

    file_row = Field(column_name=FILE_ROW, readonly=True)
    month = Field(attribute="month", column_name="month", widget=MonthWidget())
    channel = Field(attribute="channel", column_name="channel")
    count = Field(attribute="count", column_name="count", widget=DeliveriesWidget())

    class Meta:
        model = Usage
        fields = ("file_row", "month", "channel", "count")
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, department: Department | None, user, file_name: str = ""):
        super().__init__()
        self.department = department
        self.user = user

    def before_import(self, dataset, **kwargs):
        scope = scope_for(self.user)
        if self.department is None or not scope.may_edit_department(self.department):
            raise PermissionDenied(
                _("You may not change services of %(department)s; nothing was imported.")
                % {"department": self.department}
            )
        self.services = {}
        for service in Service.objects.filter(department=self.department):
            for key in _keys(
                service.department_id,
                service.register_code,
                [getattr(service, name) for name in NAME_FIELDS],
            ):
                self.services.setdefault(key, service)
        self.existing = {
            (u.service_id, u.month, u.channel): u
            for u in Usage.objects.filter(service__department=self.department)
        }
        self.seen = {}

    def before_import_row(self, row, **kwargs):
        try:
            code = RegisterCodeWidget().clean(row.get("register_code")) or ""
        except ValueError:
            code = ""
        keys = _keys(self.department.pk, code, [row.get(name) or "" for name in NAME_FIELDS])
        service = next((self.services[key] for key in keys if key in self.services), None)
        if service is None:
            named = next((row.get(n) for n in ("register_code", *NAME_FIELDS) if row.get(n)), "")
            raise self._row_error(
                row,
                _("%(department)s has no service “%(name)s”; add it to the service list first")
                % {"department": self.department, "name": named},
            )
        month = vocabulary.month_of(row.get("month") or "")
        key = (service.pk, month, row["channel"])
        if month and key in self.seen:
            raise self._row_error(
                row,
                _("the same service, month and channel as row %(row)s") % {"row": self.seen[key]},
            )
        self.seen[key] = row[FILE_ROW]
        row["_service"], row["_key"] = service, key

    def get_instance(self, instance_loader, row):
        return self.existing.get(row["_key"])

    def init_instance(self, row=None):
        return Usage(service=row["_service"])
