"""Importing a service list with django-import-export.

The file is read by services.spreadsheets (messy layouts, encodings, office spellings);
this resource matches each row to a department — by the provider label the office wrote
(services.spreadsheets.providers), else the one chosen — and to a service — by register
code, else by name within the department — and writes through services.actions, so every
status a file changes gets its history row naming the file. django-import-export runs it
all in one transaction and rolls it back if any row has a problem: nothing is
half-imported. Every problem of a row is reported in one pass, and what only deserves a
second look (a name damaged by a lost encoding, a title naming another region) is a
warning that does not stop the import.
"""

import copy
from collections import Counter, defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field

from regions.access import scope_for
from regions.models import Department, ProviderLevel, Region
from regions.translated import pick
from services import actions, criteria_bulk, criteria_writes
from services.models import (
    AWAITING_YES,
    Answer,
    Channel,
    Criterion,
    ImportRecord,
    LifeEvent,
    Service,
    ServiceChange,
    Sphere,
    Status,
)
from services.resources.base import (
    NAME_FIELDS,
    FileRowMessages,
    ReadableColumns,
    as_heading,
    column_field,
    drop_damaged,
    on_row,
    service_keys,
)
from services.resources.criteria import (
    CRITERION_COLUMN,
    LIFE_EVENTS,
    CriterionField,
    LifeEventsField,
    StoredCriteria,
    changes_of,
    criterion_column,
)
from services.spreadsheets.dataset import FILE_ROW
from services.spreadsheets.providers import ProviderDirectory
from services.spreadsheets.widgets import (
    ChannelsWidget,
    ChoiceWidget,
    CountWidget,
    DayWidget,
    NameWidget,
    PaidWidget,
    RegisterCodeWidget,
    StatusWidget,
    TermWidget,
    TextWidget,
    YesNoWidget,
)
from tracker.db_errors import constraint_message, readable, violated_constraint


class ChannelsField(Field):
    """One "how to apply" cell sets every channel: those it names on, the others off."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        channels = self.clean(row, **kwargs)
        if channels is not None:
            for channel in Channel:
                setattr(instance, channel.field_name, channel.value in channels)

    def get_value(self, instance):
        return tuple(getattr(instance, channel.field_name) for channel in Channel)


class TermField(Field):
    """A term cell sets the days, and the unit where the cell says it."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        term = self.clean(row, **kwargs)
        if term is None:
            return
        instance.term_days = term.days
        instance.term_hours = term.hours
        if term.working_days is not None:
            instance.term_working_days = term.working_days

    def get_value(self, instance):
        return (instance.term_days, instance.term_hours, instance.term_working_days)


# What a row may change of a service but its department (the row's provider column, read
# apart).
EDITABLE_HERE = tuple(name for name in actions.EDITABLE_FIELDS if name != "department")


class ServiceResource(ReadableColumns, FileRowMessages, resources.ModelResource):
    file_row = Field(column_name=FILE_ROW, readonly=True)
    register_code = column_field("register_code", RegisterCodeWidget())
    name_kk = column_field("name_kk", NameWidget())
    name_ru = column_field("name_ru", NameWidget())
    name_en = column_field("name_en", NameWidget())
    sphere = column_field(
        "sphere", ChoiceWidget(Sphere, gettext_lazy("“%(value)s” is not a sphere we know."))
    )
    status = column_field("status", StatusWidget())
    provider_level = column_field(
        "provider_level",
        ChoiceWidget(ProviderLevel, gettext_lazy("“%(value)s” is not a provider level.")),
    )
    channels = ChannelsField(attribute="channels", column_name="channels", widget=ChannelsWidget())
    paid = column_field("paid", PaidWidget())
    socially_significant = column_field("socially_significant", YesNoWidget())
    documents_required = column_field("documents_required", CountWidget())
    term_days = TermField(attribute="term_days", column_name="term_days", widget=TermWidget())
    term_working_days = column_field("term_working_days", YesNoWidget())
    term_hours = column_field("term_hours", CountWidget())
    blocker = column_field("blocker", TextWidget())
    evidence_url = column_field("evidence_url", TextWidget())
    target_status = column_field("target_status", StatusWidget())
    target_date = column_field("target_date", DayWidget())

    extra_labels = {"channels": gettext_lazy("channels")}

    class Meta:
        model = Service
        fields = (
            "file_row",
            "register_code",
            *NAME_FIELDS,
            "sphere",
            "status",
            "provider_level",
            "channels",
            "paid",
            "socially_significant",
            "documents_required",
            "term_days",
            "term_working_days",
            "term_hours",
            "blocker",
            "evidence_url",
            "target_status",
            "target_date",
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
        # The preview lists each change old → new itself (save_instance): the library's
        # copy of every row's service and its HTML diff of every column are not needed.
        skip_diff = True

    import_kind = ImportRecord.Kind.SERVICES

    def import_place(self):
        return self.department.region_id, self.department

    def __init__(self, *, department: Department | None, user, file_name: str = ""):
        super().__init__()
        self.department = department
        self.user = user
        self.file_name = file_name
        self.new_services = []  # checked rows waiting for bulk_create
        self.new_rows = []  # (number in the dataset, row) of each, to name its problems
        self.refusals = []  # (error, [(service, (number, row))]): writes the database refused
        self.warnings: list[str] = []  # for the preview: worth a look, not a refusal
        self.unknown_providers: dict[str, list[int]] = defaultdict(list)  # label -> rows
        self.elsewhere: Counter = Counter()  # rows going to another department than chosen
        # The moment of the file's new services' first history rows: one for the whole
        # file, set as it is read, not the clock asked again for each of its rows.
        self.imported_at = None
        self._add_criteria_fields()

    def _add_criteria_fields(self) -> None:
        """A column per criterion in use and one of life events: data the national level
        edits, so added to each import's own fields."""
        self.stored = StoredCriteria()
        self.criteria = {criterion_column(c): c for c in Criterion.objects.filter(active=True)}
        for column, criterion in self.criteria.items():
            self.fields[column] = CriterionField(criterion, self.stored)
        self.life_events = {event.code: event for event in LifeEvent.objects.all()}
        self.fields[LIFE_EVENTS] = LifeEventsField(list(self.life_events.values()), self.stored)

    def label_of(self, name: str) -> str:
        if name in self.criteria:
            return as_heading(self.criteria[name].name)
        if name == LIFE_EVENTS:
            return as_heading(LifeEvent._meta.verbose_name_plural)
        return super().label_of(name)

    # --- before any row: may this user import here? what exists already? -----------------

    def before_import(self, dataset, **kwargs):
        self.file_name = kwargs.get("file_name") or self.file_name
        self.imported_at = timezone.now()
        scope = scope_for(self.user)
        if self.department is None or not scope.may_edit_department(self.department):
            raise PermissionDenied(
                _("You may not change services of %(department)s; nothing was imported.")
                % {"department": self.department}
            )
        self.scope = scope
        self.providers = ProviderDirectory(self.department.region)
        self._check_title(getattr(dataset, "title_lines", []))
        self.existing = {}
        services = Service.objects.filter(department__region_id=self.department.region_id)
        for service in services:
            for key in service_keys(
                service.department_id,
                service.register_code,
                [getattr(service, name) for name in NAME_FIELDS],
            ):
                self.existing.setdefault(key, service)
        if {LIFE_EVENTS, *self.criteria} & set(dataset.headers or ()):
            self.stored.load(services)
        self.seen = {}  # key -> (file row, values): a service listed twice

    def _check_title(self, lines: list[str]) -> None:
        """A file whose title names another region, or another department, was probably
        sent to the wrong place: say so before anything is written."""
        title = " ".join(lines)
        if not title:
            return
        regions = self.providers.regions_named_in(title, Region.objects.all())
        if regions and self.department.region not in regions:
            self.warnings.append(
                _(
                    "The file's title names %(named)s, but you are importing into "
                    "%(department)s of %(region)s. Check that this is the right file."
                )
                % {
                    "named": ", ".join(sorted(str(r) for r in regions)),
                    "department": self.department,
                    "region": self.department.region,
                }
            )
        departments = self.providers.named_in(title)
        if departments and self.department not in departments:
            self.warnings.append(
                _(
                    "The file's title names %(named)s, but you chose %(department)s. Rows "
                    "without a provider of their own will go to %(department)s."
                )
                % {
                    "named": ", ".join(sorted(str(d) for d in departments)),
                    "department": self.department,
                }
            )

    # --- each row ---------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        row["_problems"] = problems = []
        department, level = self._provider_of(row, problems)
        if not self.scope.may_edit_department(department):
            problems.append(
                _(
                    "it belongs to %(department)s, whose services you may not change; "
                    "nothing was imported"
                )
                % {"department": department}
            )
        if department != self.department:
            self.elsewhere[department] += 1
        row["_department"], row["_level"] = department, level
        self._drop_damaged_names(row, problems)
        try:
            code = RegisterCodeWidget().clean(row.get("register_code")) or ""
        except ValueError:
            code = ""  # not a code: matched by name; the field import reports it by row
        row["_keys"] = service_keys(
            department.pk, code, [row.get(name) or "" for name in NAME_FIELDS]
        )
        self._check_repeat(row, problems)

    # Columns that may differ between two rows of one service: real lists name it once per
    # body that delivers it ("Управление образования", "отделы образования районов").
    REPEAT_MAY_DIFFER = {FILE_ROW, "department", "provider_level", *NAME_FIELDS}

    def _check_repeat(self, row, problems: list) -> None:
        """A service listed again (once per body that delivers it) is read once, from its
        first row; the preview says which of its columns the repeat gave otherwise. A
        repeat with another status is refused: the file must say which is right."""
        values = {
            column: str(value).strip()
            for column, value in row.items()
            if not column.startswith("_") and column not in self.REPEAT_MAY_DIFFER
        }
        first = next((self.seen[key] for key in row["_keys"] if key in self.seen), None)
        if first is not None:
            first_row, first_values = first
            if first_values.get("status") != values.get("status"):
                problems.append(_("the same service as row %(row)s") % {"row": first_row})
            else:
                row["_repeat_of"] = first_row
                self._warn_repeat(row, first_row, first_values, values)
        for key in row["_keys"]:
            self.seen.setdefault(key, (row[FILE_ROW], values))

    def _warn_repeat(self, row, first_row: int, first_values: dict, values: dict) -> None:
        differing = sorted(
            c
            for c in values.keys() | first_values.keys()
            if values.get(c, "") != first_values.get(c, "")
        )
        if differing:
            problem = _(
                "the same service as row %(row)s: read once, from row %(row)s (this row "
                "gives other %(columns)s)"
            ) % {"row": first_row, "columns": ", ".join(self.label_of(c) for c in differing)}
        else:
            problem = _("the same service as row %(row)s, with the same values: read once") % {
                "row": first_row
            }
        self.warnings.append(on_row(row, problem))

    def _provider_of(self, row, problems: list) -> tuple[Department, str]:
        named = (row.get("department") or "").strip()
        if not named:
            return self.department, self.department.level
        provider = self.providers.resolve(named)
        if provider is not None:
            return provider.department, provider.level
        self.unknown_providers[named].append(row[FILE_ROW])
        problems.append(
            _("no department “%(name)s” in %(region)s; choose which department it is")
            % {"name": named, "region": self.department.region}
        )
        # The chosen department stands in, so the rest of the row is still checked now.
        return self.department, self.department.level

    def _drop_damaged_names(self, row, problems: list) -> None:
        """A name whose letters became "?" (a Windows-1251 file that could not hold Kazakh
        letters) is never written: the stored name stays, the rest of the row imports."""
        self.warnings.extend(drop_damaged(row, NAME_FIELDS))
        has_name = any(row.get(name) for name in NAME_FIELDS) or row.get("register_code")
        if not has_name:
            problems.append(_("no name is left that is not damaged, so it cannot be matched"))

    def get_instance(self, instance_loader, row):
        # By register code first, then by any of its names, within the department. The
        # row's values go into a copy; the service as read stays for skip_row to compare.
        found = next((self.existing[key] for key in row["_keys"] if key in self.existing), None)
        if found is None:
            return None
        row["_as_read"] = found
        return copy.copy(found)

    def import_instance(self, instance, row, **kwargs):
        self._current_row = row
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            self._check_target(instance, row)
            self._note_unplaced_channels(row)

    def _note_unplaced_channels(self, row) -> None:
        for words in row.pop("_unplaced", []):
            self.warnings.append(
                on_row(
                    row,
                    _(
                        "“%(words)s” names no channel we know; the cell's other channels "
                        "are imported"
                    )
                    % {"words": words},
                )
            )

    def _check_target(self, instance, row) -> None:
        if bool(instance.target_status) != bool(instance.target_date):
            row["_problems"].append(_("a target needs both a status and a deadline"))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's own problems (provider, duplicates, target) beside its cells' ones."""
        errors = dict(import_validation_errors or {})
        row = getattr(self, "_current_row", {})
        if row.get("_problems"):
            errors[NON_FIELD_ERRORS] = [on_row(row, problem) for problem in row["_problems"]]
        if errors:
            raise ValidationError(errors)

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.previewing = dry_run  # the real import shows no changes: spared listing them
        result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        self._warn_about_other_departments()
        # For the preview: what to look at, what to map, and the refused rows as sent.
        result.warnings = self.warnings
        result.unknown_providers = dict(self.unknown_providers)
        return result

    def _warn_about_other_departments(self) -> None:
        if not self.elsewhere:
            return
        self.warnings.append(
            _("The provider column sends rows to other departments than %(chosen)s: %(list)s.")
            % {
                "chosen": self.department,
                "list": ", ".join(f"{d} ({count})" for d, count in self.elsewhere.most_common()),
            }
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A known service whose every imported field is as it was read: left alone.

        Compared with the service as read, not with django-import-export's deep copy of
        each row's instance, which the real import spares itself (see import_data)."""
        if import_validation_errors or row.get("_problems"):
            return False
        if row.get("_repeat_of"):
            return True  # its service is the earlier row's
        as_read = row.get("_as_read")
        if as_read is None:
            return False
        return not changes_of(row, as_read.pk, self.stored) and all(
            field.get_value(instance) == field.get_value(as_read)
            for field in self.get_import_fields()
        )

    def after_import_row(self, row, row_result, **kwargs):
        # What the preview shows for the row: each changed field, old → new.
        super().after_import_row(row, row_result, **kwargs)
        row_result.changes = row.get("_changes", [])
        row_result.outcome = row.get("_outcome")
        known = row.get("_as_read")  # the stored service, named in the reader's language
        row_result.name = known.name if known is not None else pick(row, "name")

    def init_instance(self, row=None):
        return Service(department=row["_department"], provider_level=row["_level"])

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """New services of the file, every row checked, written together at its end."""
        if not self.new_services:
            return
        try:
            created = actions.create_services(self.new_services)
            criteria_bulk.answer_unanswered(
                [
                    self._first_answers(service, row)
                    for service, (_number, row) in zip(created, self.new_rows, strict=True)
                ],
                by=self.user,
            )
        except DatabaseError as refused:
            if raise_errors:
                self.handle_import_error(result, refused, raise_errors)
            # Which rows broke what is asked in after_import, once the database answers
            # again: the refused write spoilt the savepoint this runs in.
            written = list(zip(self.new_services, self.new_rows, strict=True))
            self.refusals.append((refused, written))
        except Exception as problem:
            self.handle_import_error(result, problem, raise_errors)
        finally:
            self.new_services.clear()
            self.new_rows.clear()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        for refused, written in self.refusals:
            if not self._name_refused_rows(refused, written, result):
                self.handle_import_error(result, refused)
        self.refusals.clear()

    def _name_refused_rows(self, refused: DatabaseError, written: list, result) -> bool:
        """Each new service that breaks the constraint the database named, as a problem
        of its row, in the constraint's words (a query a row, only when a write failed).
        False if none does on its own: the refusal is then the file's."""
        constraint = violated_constraint(refused)
        if constraint is None or constraint not in Service._meta.constraints:
            return False
        found = False
        for prepared, (number, row) in written:
            try:
                constraint.validate(Service, prepared.service)
            except ValidationError:
                problem = self._row_error(row, constraint_message(constraint))
                result.append_invalid_row(number, row, problem)
                found = True
        return found

    def _comment(self, row) -> str:
        return _("Imported from %(file)s, row %(row)s.") % {
            "file": self.file_name or _("a spreadsheet"),
            "row": row[FILE_ROW],
        }

    def save_instance(self, instance, is_create, row, **kwargs):
        comment = self._comment(row)
        try:
            if is_create:  # checked now, written with the others in bulk_create below
                self._check_criteria_claim(instance, row)
                self.new_services.append(
                    actions.prepare_service(
                        department=instance.department,
                        by=self.user,
                        status=instance.status or Status.PAPER,
                        comment=comment,
                        at=self.imported_at,
                        service=instance,  # the row's own, not a copy: 10,000 fewer to make
                    )
                )
                self.new_rows.append((kwargs.get("row_number"), row))
                if self.previewing:  # the preview lists what a new service will hold
                    row["_changes"] = [
                        (self.label_of(name), "", shown(instance, name))
                        for name in ("status", *sorted(EDITABLE_HERE))
                        if not _is_default(instance, name)
                    ] + self._criteria_shown(instance, changes_of(row, None, self.stored))
            else:
                current = Service.objects.get(pk=instance.pk)
                editable = {name: getattr(instance, name) for name in EDITABLE_HERE}
                changes = {
                    name: value
                    for name, value in {**editable, "status": instance.status}.items()
                    if value != getattr(current, name)
                }
                criteria = changes_of(row, current.pk, self.stored)
                # What the confirmation must do again exactly (import_admin.outcome_of).
                row["_outcome"] = sorted(
                    (name, str(getattr(current, name)), str(value))
                    for name, value in changes.items()
                ) + self._criteria_outcome(current, criteria)
                if self.previewing:
                    row["_changes"] = [
                        (self.label_of(name), shown(current, name), shown(instance, name))
                        for name in changes
                    ] + self._criteria_shown(current, criteria)
                actions.update_service(
                    current,
                    by=self.user,
                    changes=changes,
                    expected_version=instance.version,
                    comment=comment,
                    kind=ServiceChange.Kind.IMPORTED,
                )
                self._write_criteria(current, criteria, comment)
        except ValidationError as problem:
            raise self._row_error(row, "; ".join(problem.messages)) from problem
        except actions.StaleVersion as conflict:
            raise self._row_error(row, conflict.message) from conflict
        except DatabaseError as refused:  # a constraint: its own message, not the SQL
            raise self._row_error(row, readable(refused)) from refused

    # --- criteria and life events (services.resources.criteria) --------------------------

    def _check_criteria_claim(self, service: Service, row) -> None:
        """A new service's claimed "yes" needs its evidence link, as an existing one's."""
        claims = Answer.YES in row.get("_answers", {}).values()
        if claims and not self.scope.may_verify_department(service.department):
            criteria_writes.require_evidence(service.evidence_url)

    def _first_answers(self, service: Service, row) -> criteria_bulk.FirstAnswers:
        """A new service's answers and life events, written with the others'."""
        return criteria_bulk.FirstAnswers(
            service,
            answers=row.get("_answers", {}),
            events=[self.life_events[code] for code in sorted(row.get("_events") or ())],
            comment=self._comment(row),
            evidence_url=service.evidence_url,
        )

    def _write_criteria(self, service: Service, criteria, comment: str) -> None:
        if criteria.answers:
            criteria_writes.answer_criteria(
                service,
                answers=criteria.answers,
                by=self.user,
                comment=comment,
                evidence_url=service.evidence_url,
                expected_version=service.version,
            )
        if criteria.events is not None:
            criteria_writes.set_life_events(
                service,
                events=[self.life_events[code] for code in sorted(criteria.events)],
                by=self.user,
                comment=comment,
                expected_version=service.version,
            )

    def _criteria_outcome(self, service: Service, criteria) -> list[tuple[str, str, str]]:
        outcome = [
            (code, self.stored.answer(service.pk, code), answer)
            for code, answer in sorted(criteria.answers.items())
        ]
        if criteria.events is not None:
            old = self.stored.events_of(service.pk)
            outcome.append((LIFE_EVENTS, ";".join(sorted(old)), ";".join(sorted(criteria.events))))
        return outcome

    def _criteria_shown(self, service: Service, criteria) -> list[tuple[str, str, str]]:
        """The preview's lines for the row's answers and life events, old → new."""
        if not self.previewing:
            return []
        claims = not self.scope.may_verify_department(service.department)
        lines = []
        for code, answer in criteria.answers.items():
            old = self.stored.shown_answer(service.pk, code) if service.pk else ""
            new = AWAITING_YES if claims and answer == Answer.YES else Answer(answer).label
            lines.append((self.label_of(CRITERION_COLUMN + code), old, str(new)))
        if criteria.events is not None:
            old = self._event_names(self.stored.events_of(service.pk)) if service.pk else ""
            lines.append((self.label_of(LIFE_EVENTS), old, self._event_names(criteria.events)))
        return lines

    def _event_names(self, codes) -> str:
        return "; ".join(self.life_events[c].name for c in self.life_events if c in codes) or "—"


def _is_default(service: Service, name: str) -> bool:
    """Nothing worth listing for a new service: empty, or the field's own default."""
    value = getattr(service, name)
    return value in (None, "", False) or value == Service._meta.get_field(name).get_default()


def shown(service: Service, name: str) -> str:
    """A field's value as the reader says it: a choice's label, yes or no, a date."""
    value = getattr(service, name)
    field = Service._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
