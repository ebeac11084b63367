"""What every import resource here shares: problems named by the row of the person's own
file, columns named in the reader's language, and how a service is recognised."""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DatabaseError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.results import RowResult

from services.models.imports import ImportRecord
from services.spreadsheets import vocabulary
from services.spreadsheets.dataset import FILE_ROW
from tracker.collector import collector_paused
from tracker.db_errors import readable

NAME_FIELDS = ("name_kk", "name_ru", "name_en")


def on_row(row, problem) -> str:
    """A problem (or warning) named by the row of the person's own file."""
    return _("row %(row)s of the file: %(problem)s") % {"row": row[FILE_ROW], "problem": problem}


def drop_damaged(row, names) -> list[str]:
    """Blank every name of the row whose letters became "?" (a Windows-1251 file cannot
    hold Kazakh letters): it is never written nor matched on. Answers the warnings."""
    warnings = []
    for name in names:
        text = row.get(name) or ""
        if vocabulary.is_damaged(text):
            row[name] = ""
            warnings.append(
                on_row(
                    row,
                    _(
                        "the name “%(name)s” has lost letters (“?” in their place; the file "
                        "was saved in an encoding without them). It is not imported: save "
                        "the file as Excel or CSV UTF-8 to bring it."
                    )
                    % {"name": text},
                )
            )
    return warnings


def column_field(attribute: str, widget) -> Field:
    # A blank cell keeps what the service has: office files often leave columns empty.
    return Field(attribute=attribute, column_name=attribute, widget=widget, saves_null_values=False)


class RefusedByDatabase(Exception):
    """A write the database refused, told as tracker.db_errors reads it: the import's
    problems show an error's text, and a database's own text is SQL."""


class FileRowMessages:
    """Every problem an import reports names the row of the person's own file; an import
    that wrote leaves its record (services.models.ImportRecord)."""

    import_kind = ""  # ImportRecord.Kind of what the resource imports

    def import_place(self):
        """(region id, department or None) the import wrote to."""
        raise NotImplementedError

    def import_data(self, dataset, *args, **kwargs):
        # Each row visits the fields its file has, not every field the import knows (a
        # list of five columns spares each row fourteen look-ups), worked out once.
        present = set(dataset.headers or ())
        self._file_fields = [f for f in super().get_import_fields() if f.column_name in present]
        try:
            with collector_paused():  # the admin's imports come here, not through _run
                result = super().import_data(dataset, *args, **kwargs)
        finally:
            self._file_fields = None
        # django-import-export numbers rows 1, 2, 3… in the dataset; people read the
        # file's own row numbers, the dataset's first column.
        result.file_rows = list(dataset[FILE_ROW]) if FILE_ROW in dataset.headers else []
        result.source_table = getattr(dataset, "table", None)
        dry_run = kwargs.get("dry_run", args[0] if args else False)
        if not dry_run and not result.has_errors() and not result.has_validation_errors():
            self._record_import(result, kwargs.get("file_name") or "")
        return result

    def _record_import(self, result, file_name: str) -> None:
        region_id, department = self.import_place()
        user = getattr(self, "user", None)
        ImportRecord.objects.create(
            kind=self.import_kind,
            region_id=region_id,
            department=department,
            file_name=(getattr(self, "file_name", "") or file_name)[:255],
            imported_by=user if getattr(user, "pk", None) else None,
            created=result.totals[RowResult.IMPORT_TYPE_NEW],
            updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
            unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
        )

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        for error in result.errors:  # the library keeps any exception of the row as it is
            if isinstance(error.error, DatabaseError):
                error.error = RefusedByDatabase(on_row(row, readable(error.error)))
        return result

    def handle_import_error(self, result, error, raise_errors=False):
        """A refusal outside any one row (the new services written together): in words."""
        if isinstance(error, DatabaseError):
            error = RefusedByDatabase(readable(error))
        super().handle_import_error(result, error, raise_errors)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError as problem:
            raise ValueError(on_row(row, problem)) from problem

    def get_import_fields(self):
        fields = getattr(self, "_file_fields", None)
        return fields if fields is not None else super().get_import_fields()

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        row_result.file_row = row[FILE_ROW]  # for the preview's list of rows

    @staticmethod
    def _row_error(row, problem: str) -> ValidationError:
        return ValidationError({NON_FIELD_ERRORS: [on_row(row, problem)]})


class ReadableColumns:
    """The import screens name columns as people do, in their language: the list of
    columns the import reads and the preview's headers show "Status", "Мәртебе" or
    "Статус", never the code's field names."""

    def column_label(self, field: Field) -> str:
        if field.column_name == FILE_ROW:
            return _("Row of the file")
        return self.label_of(field.attribute)

    extra_labels: dict = {}  # columns that are no single model field ("channels")

    def label_of(self, name: str) -> str:
        if name in self.extra_labels:
            return as_heading(self.extra_labels[name])
        try:
            return as_heading(self._meta.model._meta.get_field(name).verbose_name)
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
        """For the list of columns the import reads, joined by commas: a name holding a
        comma itself (a criterion's) in quotes, so that the list still reads as one."""
        labels = [self.column_label(field) for field in self.get_user_visible_fields()]
        return [
            _("“%(column)s”") % {"column": label} if "," in label else label for label in labels
        ]


def as_heading(label) -> str:
    """A label with a capital first letter, but brands as they are written ("eGov")."""
    text = str(label)
    return text if text[:1].islower() and text[1:2].isupper() else capfirst(text)


def service_keys(department_id: int, code: str, names: list[str]) -> list[tuple]:
    """What identifies a service in a department: its code, and each of its names."""
    keys = [(department_id, "code", code)] if code else []
    keys += [(department_id, "name", vocabulary.normalise(n)) for n in names if n]
    return keys
