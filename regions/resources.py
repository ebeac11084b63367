"""Importing a region's departments from a spreadsheet with django-import-export.

The file is read by regions.department_lists (the budget decision's list, in whatever
layout and encoding). Each row is matched to a department of the region — by its code,
else by any of its names compared as regions.department_lists.NameKeys does, else by an
alias — so importing the list again updates it and never doubles it. A department
known in one language only is created all the same and listed as missing a translation;
one without a code gets its name's initials in Latin. The aliases cell adds the other
names offices write to the department's aliases (services' imports read them).
django-import-export runs it all in one transaction and rolls it back if any row has a
problem: a file is imported whole or not at all, every problem named by its row.
"""

import copy
import re
from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets
from import_export.fields import Field

from regions import restructure
from regions.access import scope_for
from regions.department_lists import (
    ALIASES,
    COLUMN_FIELDS,
    EXTRA_LABELS,
    NameKeys,
    initials_code,
    level_words,
    split_aliases,
    unique_code,
)
from regions.models import Department, DepartmentAlias, DepartmentChange, ProviderLevel
from services.models import ImportRecord
from services.resources.base import (
    FileRowMessages,
    ReadableColumns,
    column_field,
    drop_damaged,
    on_row,
)
from services.spreadsheets import vocabulary
from services.spreadsheets.dataset import FILE_ROW
from services.spreadsheets.providers import alias_key, level_of
from services.spreadsheets.widgets import ChoiceWidget, TextWidget

NAMES = ("name_kk", "name_ru", "name_en")
TEXTS = (*NAMES, "short_name_kk", "short_name_ru", "short_name_en")


def refusal(region) -> str:
    """The one sentence for someone who may not manage this region's departments."""
    return _("You may not manage the departments of %(region)s; nothing was imported.") % {
        "region": region if region is not None else _("this region")
    }


def shown(department: Department) -> str:
    """A department as lists of them name it: code and name."""
    return f"{department.code} — {department.name}"


# --- cells ---------------------------------------------------------------------------------


class CodeWidget(widgets.Widget):
    """A department's code as budget decisions write it: "261" (Excel may give 261.0),
    or letters ("EDU"), upper-cased."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = re.sub(r"\s+", "", str(value or ""))
        if not text:
            return None
        code = re.sub(r"^(\d+)[.,]0+$", r"\1", text).upper()
        if not re.fullmatch(r"[A-Z0-9_-]{1,20}", code):
            raise ValueError(
                _(
                    "“%(value)s” is not a department code: up to 20 Latin letters, digits, "
                    "- and _, e.g. 261 or EDU."
                )
                % {"value": value}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return value or ""


class LevelWidget(ChoiceWidget):
    """A provider level in any language ("областной", "аудандық", "district offices"),
    or as the bodies below the oblast are named ("отделы районов", "сельские округа")."""

    def __init__(self):
        super().__init__(ProviderLevel, gettext_lazy("“%(value)s” is not a provider level."))

    def labels(self) -> dict[str, str]:
        return {**level_words(), **super().labels()}

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            level = level_of(value)
            if level != ProviderLevel.OBLAST:  # level_of answers "oblast" for anything else
                return level
            raise


class AliasesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return split_aliases(str(value or "")) or None

    def render(self, value, obj=None, **kwargs):
        return "; ".join(value or ())


class AliasesField(Field):
    """The other names of a department, added to its aliases and never removed by a file
    (an office may still write an old one). Which labels are new is the resource's
    finding for the row (``row["_new_aliases"]``); this keeps them on the instance, so
    the preview and the unchanged-row check see them."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.clean(row, **kwargs):
            instance._new_aliases = list(row.get("_new_aliases", []))

    def get_value(self, instance):
        return (*getattr(instance, "_known_aliases", ()), *getattr(instance, "_new_aliases", ()))


# --- the resource --------------------------------------------------------------------------


class DepartmentResource(ReadableColumns, FileRowMessages, resources.ModelResource):
    """The departments of one region, imported by one user from one file."""

    file_row = Field(column_name=FILE_ROW, readonly=True)
    code = column_field("code", CodeWidget())
    name_kk = column_field("name_kk", TextWidget())
    name_ru = column_field("name_ru", TextWidget())
    name_en = column_field("name_en", TextWidget())
    short_name_kk = column_field("short_name_kk", TextWidget())
    short_name_ru = column_field("short_name_ru", TextWidget())
    short_name_en = column_field("short_name_en", TextWidget())
    level = column_field("level", LevelWidget())
    aliases = AliasesField(attribute=ALIASES, column_name=ALIASES, widget=AliasesWidget())

    extra_labels = EXTRA_LABELS

    class Meta:
        model = Department
        fields = ("file_row", *COLUMN_FIELDS, ALIASES)
        import_id_fields = ()  # matched by get_instance below
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = False  # validate_instance cleans, naming the row

    import_kind = ImportRecord.Kind.DEPARTMENTS

    def import_place(self):
        return getattr(self.region, "pk", self.region), None

    def __init__(self, *, region=None, user=None, file_name: str = ""):
        super().__init__()
        self.region = region
        self.user = user
        self.file_name = file_name
        self.warnings: list[str] = []  # worth a look; nothing was refused for them
        self.missing_translation: list[str] = []  # written with a kk or a ru name only

    def may_import(self) -> bool:
        return self.region is not None and scope_for(self.user).may_manage_departments(self.region)

    def import_data(self, dataset, dry_run=False, **kwargs):
        if not self.may_import():
            # One sentence for the whole file: no row is read, nothing else is said.
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            self.handle_import_error(result, PermissionDenied(refusal(self.region)))
            return self._annotated(result)
        # All rows or none, whoever calls: a row refused rolls the others back.
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        self._show_refused_cells(dataset, result)
        return self._annotated(result)

    def _show_refused_cells(self, dataset, result) -> None:
        """A refused row's cells for the preview, column by column: django-import-export
        looks them up by the headers shown, which here are readable names, not columns."""
        for invalid in result.invalid_rows:
            row = dict(zip(dataset.headers, dataset[invalid.number - 1], strict=True))
            invalid.values = tuple(
                row.get(field.column_name, "") for field in self.get_import_fields()
            )

    def _annotated(self, result):
        # For the admin's preview and its message after the import.
        result.warnings = self.warnings
        result.missing_translation = self.missing_translation
        result.region = self.region
        return result

    # --- before any row: what the region has, what the file names -----------------------

    def before_import(self, dataset, **kwargs):
        self.file_name = kwargs.get("file_name") or self.file_name
        self.keys = NameKeys(self.region)
        self._read_region()
        self._read_file(dataset)

    def _read_region(self) -> None:
        self.departments = {d.pk: d for d in Department.objects.filter(region=self.region)}
        self.by_code = {d.code: d for d in self.departments.values()}
        self.by_name: dict[str, set[int]] = defaultdict(set)  # name key -> department ids
        for department in self.departments.values():
            for name in NAMES:
                if getattr(department, name):
                    self.by_name[self.keys.key(getattr(department, name))].add(department.pk)
        self.aliases = {
            alias.key: alias for alias in DepartmentAlias.objects.filter(region=self.region)
        }
        self.alias_labels: dict[int, list[str]] = defaultdict(list)
        for alias in sorted(self.aliases.values(), key=lambda a: a.label):
            self.alias_labels[alias.department_id].append(alias.label)
        self.taken_codes = set(self.by_code)

    def _read_file(self, dataset) -> None:
        """What every row names, before any is imported: a department listed twice is
        found whichever row comes first, and a generated code never takes one the file
        gives further down."""
        self.first_row: dict[tuple, int] = {}  # ("code", c) or ("name", key) -> file row
        for row in dataset.dict:
            for key in self._row_keys(row):
                self.first_row.setdefault(key, row[FILE_ROW])
            self.taken_codes.add(self._code_of(row))
        self.claimed: dict[int, int] = {}  # department id -> the row that matched it
        self.alias_rows: dict[str, int] = {}  # alias key -> the row that gave it

    def _code_of(self, row) -> str:
        try:
            return CodeWidget().clean(row.get("code")) or ""
        except ValueError:
            return ""  # not a code: the field's import reports it by row

    def _name_keys(self, row) -> set[str]:
        return {
            self.keys.key(row[name])
            for name in NAMES
            if row.get(name) and not vocabulary.is_damaged(row[name])
        }

    def _row_keys(self, row) -> list[tuple]:
        code = self._code_of(row)
        return ([("code", code)] if code else []) + [
            ("name", key) for key in sorted(self._name_keys(row))
        ]

    # --- each row ---------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        row["_problems"] = problems = []
        # A damaged name is never written: the rest of the row imports, the preview says so.
        self.warnings.extend(drop_damaged(row, TEXTS))
        number = row[FILE_ROW]
        for key in self._row_keys(row):
            first = self.first_row.get(key, number)
            if first != number:
                problems.append(_("the same department as row %(row)s") % {"row": first})
                break
        department = self._match(row, problems)
        if department is not None:
            first = self.claimed.setdefault(department.pk, number)
            if first != number and not problems:
                problems.append(_("the same department as row %(row)s") % {"row": first})
        row["_match"] = department
        row["_new_aliases"] = self._new_aliases(row, department, problems)

    def _match(self, row, problems: list) -> Department | None:
        """The department a row is: by code, else by name, else by a known alias."""
        named = set()
        for key in self._name_keys(row):
            named |= self.by_name.get(key, set())
        for name in NAMES:
            alias = self.aliases.get(alias_key(row.get(name) or ""))
            if alias is not None:
                named.add(alias.department_id)
        code = self._code_of(row)
        if code in self.by_code:
            department = self.by_code[code]
            others = sorted(named - {department.pk})
            if others:
                problems.append(
                    _(
                        "the code %(code)s is that of %(department)s, but the name is that "
                        "of %(other)s; correct one of the two"
                    )
                    % {
                        "code": code,
                        "department": shown(department),
                        "other": shown(self.departments[others[0]]),
                    }
                )
            return department
        if len(named) > 1:
            problems.append(
                _("the name fits several departments (%(list)s); give the code of the one it is")
                % {"list": ", ".join(shown(self.departments[pk]) for pk in sorted(named))}
            )
            return None
        return self.departments[named.pop()] if named else None

    def _new_aliases(self, row, department, problems: list) -> list[str]:
        """The aliases cell's labels this row adds; one that already means another
        department, or is another one's name, is a problem of the row."""
        own = {alias_key(row[name]) for name in NAMES if row.get(name)}
        new = []
        for label in split_aliases(row.get(ALIASES) or ""):
            key = alias_key(label)
            alias = self.aliases.get(key)
            if key in own or (alias and department and alias.department_id == department.pk):
                continue  # known already: nothing to add
            problem = self._alias_problem(label, row, department)
            if problem:
                problems.append(problem)
            else:
                new.append(label)
        return new

    def _alias_problem(self, label: str, row, department) -> str | None:
        key, name_key = alias_key(label), self.keys.key(label)
        alias = self.aliases.get(key)
        if alias is not None:
            return _("“%(alias)s” already means %(department)s") % {
                "alias": label,
                "department": shown(self.departments[alias.department_id]),
            }
        owners = self.by_name.get(name_key, set()) - {getattr(department, "pk", None)}
        if owners:
            return _("“%(alias)s” is the name of %(department)s") % {
                "alias": label,
                "department": shown(self.departments[min(owners)]),
            }
        number = row[FILE_ROW]
        named_in = self.first_row.get(("name", name_key), number)
        if named_in != number:
            return _("“%(alias)s” is the name of the department in row %(row)s") % {
                "alias": label,
                "row": named_in,
            }
        given_in = self.alias_rows.setdefault(key, number)
        if given_in != number:
            return _("“%(alias)s” is also given as another name in row %(row)s") % {
                "alias": label,
                "row": given_in,
            }
        return None

    def get_instance(self, instance_loader, row):
        found = row.get("_match")
        if found is None:
            return None
        instance = copy.copy(found)
        instance._known_aliases = list(self.alias_labels.get(found.pk, ()))
        return instance

    def init_instance(self, row=None):
        return Department(region=self.region)

    def import_instance(self, instance, row, **kwargs):
        self._current_row = row
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if instance.pk is None and not instance.code:
                instance.code = self._generated_code(instance)

    def _generated_code(self, department: Department) -> str:
        """A list without codes still imports: "Управление образования" is UO (UO2 when
        UO is taken)."""
        name = department.name_ru or department.name_kk or department.name_en
        code = unique_code(initials_code(name, self.keys), self.taken_codes)
        self.taken_codes.add(code)
        return code

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if row.get("_problems"):
            return False  # reported by validate_instance, even for an unchanged row
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's own problems, its cells' and the model's checks, each naming the row."""
        row = self._current_row
        errors = {name: list(found) for name, found in (import_validation_errors or {}).items()}
        try:
            instance.full_clean(exclude=list(errors), validate_unique=validate_unique)
        except ValidationError as invalid:
            for name, messages in invalid.message_dict.items():
                errors.setdefault(name, []).extend(on_row(row, message) for message in messages)
        if row["_problems"]:
            errors[NON_FIELD_ERRORS] = [
                *(on_row(row, problem) for problem in row["_problems"]),
                *errors.get(NON_FIELD_ERRORS, []),
            ]
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        found = row.get("_match")
        restructure.record(
            instance,
            by=self.user,
            kind=DepartmentChange.Kind.CREATED if found is None else DepartmentChange.Kind.EDITED,
            before=None if found is None else restructure.state_of(found),
            comment=_("Imported from %(file)s.") % {"file": self.file_name or _("a spreadsheet")},
        )
        for label in row.get("_new_aliases", []):
            DepartmentAlias.objects.create(department=instance, label=label, created_by=self.user)
        if instance.translation_missing:
            self.missing_translation.append(shown(instance))
