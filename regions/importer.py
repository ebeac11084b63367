"""One call to import a region's department list: read the file, check every row, write
all or none (regions.resources), and say which departments still need a name in the
other official language."""

from dataclasses import dataclass, field

from import_export.results import RowResult

from regions.department_lists import read_department_list
from regions.resources import DepartmentResource, refusal
from services.spreadsheets.importer import ImportOutcome, problems_of, refused_rows
from services.spreadsheets.reading import SpreadsheetError


@dataclass
class DepartmentImportOutcome(ImportOutcome):
    """An import's outcome, with the departments written that have a Kazakh or a Russian
    name only ("CODE — name"): the digital office completes them."""

    missing_translation: list[str] = field(default_factory=list)


def import_departments(
    data: bytes, file_name: str, *, region, user, dry_run: bool = False
) -> DepartmentImportOutcome:
    resource = DepartmentResource(region=region, user=user, file_name=file_name)
    if not resource.may_import():
        # One sentence for the whole file, before a single row is read.
        return DepartmentImportOutcome(problems=[refusal(region)])
    try:
        dataset = read_department_list(data, file_name)
    except SpreadsheetError as problem:
        return DepartmentImportOutcome(problems=[str(problem)])
    result = resource.import_data(
        dataset, dry_run=dry_run, raise_errors=False, file_name=file_name, user=user
    )
    problems = problems_of(result)
    outcome = DepartmentImportOutcome(
        created=result.totals[RowResult.IMPORT_TYPE_NEW],
        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
        unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
        problems=problems,
        warnings=list(resource.warnings),
        refused=refused_rows(result),
        # Only when the file goes in: a refused file wrote nothing to complete.
        missing_translation=[] if problems else list(resource.missing_translation),
    )
    outcome.written = outcome.ok and not dry_run
    return outcome
