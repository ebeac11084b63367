"""What the report's workbooks share: sheets, headers, numbers and dates, names."""

from datetime import date, datetime

from regions.translated import pick


def new_sheet(workbook, title: str):
    # Excel allows 31 characters and none of []:*?/\ in a sheet name.
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    return workbook.add_worksheet(clean)


def write_header(sheet, styles, titles: list[str], widths: list[int], row: int = 0) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True)):
        sheet.write_string(row, column, title, styles["header"])
        sheet.set_column(column, column, width)


def write_number(sheet, row: int, column: int, value, cell_format=None) -> None:
    if value is not None:
        sheet.write_number(row, column, value, cell_format)


def as_datetime(iso: str) -> datetime:
    return datetime.combine(date.fromisoformat(iso), datetime.min.time())


def department_name(row: dict) -> str:
    """A row's department in the reader's language (its full name where the short one is
    empty; reports before names were kept beside each row: their code, all they hold)."""
    return (
        pick(row, "department_short_name")
        or pick(row, "department_name")
        or row.get("department_code", "")
    )
