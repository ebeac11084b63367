"""One call to import a service list: read the file, check every row, write all or none."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from import_export.results import RowResult

from regions.access import scope_for
from services.resources import ServiceResource, UsageResource
from services.spreadsheets.dataset import dataset_from_file, usage_dataset_from_file
from services.spreadsheets.reading import SpreadsheetError
from tracker.collector import collector_paused


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth a look; nothing was refused
    unknown_providers: dict[str, list[int]] = field(default_factory=dict)  # label -> rows
    refused: dict[int, list[str]] = field(default_factory=dict)  # file row -> its reasons
    table: object = None  # the table as read (services.spreadsheets.table.Table)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def import_usage(
    data: bytes, file_name: str, *, department, user, dry_run: bool = False
) -> ImportOutcome:
    """Monthly deliveries by channel for a department's services, all rows or none."""
    return _run(
        UsageResource,
        usage_dataset_from_file,
        data,
        file_name,
        department=department,
        user=user,
        dry_run=dry_run,
    )


def import_services(
    data: bytes, file_name: str, *, department, user, dry_run: bool = False
) -> ImportOutcome:
    return _run(
        ServiceResource,
        dataset_from_file,
        data,
        file_name,
        department=department,
        user=user,
        dry_run=dry_run,
    )


@collector_paused()
def _run(resource_class, read, data, file_name, *, department, user, dry_run):
    if department is None or not scope_for(user).may_edit_department(department):
        # One sentence for the whole file, before a single row is read.
        return ImportOutcome(
            problems=[
                _("You may not change services of %(department)s; nothing was imported.")
                % {"department": department}
            ]
        )
    try:
        dataset = read(data, file_name)
    except SpreadsheetError as problem:
        return ImportOutcome(problems=[str(problem)])
    resource = resource_class(department=department, user=user, file_name=file_name)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        file_name=file_name,
    )
    return outcome_of(result, resource, dataset, dry_run=dry_run)


def outcome_of(result, resource, dataset, *, dry_run: bool, kind=ImportOutcome):
    """What an import of ``dataset`` by ``resource`` came to, for the person who sent it."""
    outcome = kind(
        created=result.totals[RowResult.IMPORT_TYPE_NEW],
        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
        unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
        problems=problems_of(result),
        warnings=list(getattr(resource, "warnings", [])),
        unknown_providers=dict(getattr(resource, "unknown_providers", {})),
        refused=refused_rows(result),
        table=getattr(dataset, "table", None),
    )
    outcome.written = outcome.ok and not dry_run
    return outcome


def problems_of(result) -> list[str]:
    """Every problem of an import result, as sentences for the person who sent the file."""
    problems = [_readable(error.error) for error in result.base_errors]
    for invalid in result.invalid_rows:
        for messages in invalid.error_dict.values():
            problems.extend(str(message) for message in messages)
    for _number, errors in result.row_errors():
        problems.extend(_readable(error.error) for error in errors)
    return problems


def refused_rows(result) -> dict[int, list[str]]:
    """The file's row number of each refused row, with its reasons."""
    file_rows = getattr(result, "file_rows", [])

    def file_row(number: int) -> int:
        return int(file_rows[number - 1]) if 0 < number <= len(file_rows) else number

    refused: dict[int, list[str]] = {}
    for invalid in result.invalid_rows:
        reasons = [str(m) for messages in invalid.error_dict.values() for m in messages]
        refused.setdefault(file_row(invalid.number), []).extend(reasons)
    for number, errors in result.row_errors():
        refused.setdefault(file_row(number), []).extend(_readable(e.error) for e in errors)
    return refused


def _readable(error: Exception) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    return str(error) or error.__class__.__name__
