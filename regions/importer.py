"""One call to import a region's department list: read the file, check every row, write
all or none (regions.resources), and say which departments still need a name in the
other official language."""

from dataclasses import dataclass, field

from regions.department_lists import read_department_list
from regions.resources import DepartmentResource, refusal
from services.spreadsheets.importer import ImportOutcome, outcome_of
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
    outcome = outcome_of(result, resource, dataset, dry_run=dry_run, kind=DepartmentImportOutcome)
    # Only when the file goes in: a refused file wrote nothing to complete.
    if outcome.ok:
        outcome.missing_translation = list(resource.missing_translation)
    return outcome
