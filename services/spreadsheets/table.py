"""Finding the table in an office's spreadsheet: the header, then the service rows.

Real lists have title lines above the header, a header over two rows with merged cells,
section lines inside ("1. Образование"), blank lines, subtotals and a total at the
bottom, and a signature line after. The header is the row (or pair of rows) whose
cells name the most known columns; after it, only rows that name a service are kept.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from services.spreadsheets import vocabulary
from services.spreadsheets.reading import Row, SpreadsheetError

HEADER_SEARCH_ROWS = 25
NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
AUTO_NAME = "name"  # a name column that does not say its language: each cell decides
SECTION = re.compile(r"^((\d+(\.\d+)*\.?)|([IVXLC]+\.)|раздел|бөлім|section)\s", re.IGNORECASE)


@dataclass
class Record:
    """One service row: its number in the file and its cells by canonical column."""

    number: int
    values: dict[str, str]


@dataclass
class Table:
    header_row: int
    columns: dict[int, str]  # column index -> canonical column
    records: list[Record] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        names = set(self.columns.values())
        if AUTO_NAME in names:
            names = (names - {AUTO_NAME}) | set(NAME_COLUMNS)
        return sorted(names)


def find_table(rows: list[Row]) -> Table:
    header_row, columns, header_cells = _find_header(rows)
    table = Table(header_row=header_row, columns=columns)
    for row in rows:
        if row.number <= header_row or _is_not_a_service(row, columns, header_cells):
            continue
        values = _values(row, columns)
        if any(values.get(name) for name in NAME_COLUMNS) or values.get("register_code"):
            table.records.append(Record(row.number, values))
    if not table.records:
        raise SpreadsheetError(_("The table has a header but no service rows under it."))
    return table


def map_header(label: str) -> str | None:
    """The canonical column a header means, or None for columns we do not import."""
    words = vocabulary.normalise(label).split()
    for length in range(len(words), 0, -1):  # "Срок оказания (раб. дней)" -> "срок оказания"
        prefix = " ".join(words[:length])
        column = vocabulary.header_index().get(prefix)
        if column is None:
            continue
        if column in NAME_COLUMNS or prefix in vocabulary.NAME_WITHOUT_LANGUAGE:
            language = vocabulary.language_of_header(label)
            if language:
                return f"name_{language}"
            if prefix in vocabulary.NAME_WITHOUT_LANGUAGE:
                return AUTO_NAME
        return column
    return None


def _find_header(rows: list[Row]) -> tuple[int, dict[int, str], list[str]]:
    best = (0, 0, {}, [])  # score, row number, columns, labels
    candidates = rows[:HEADER_SEARCH_ROWS]
    for index, row in enumerate(candidates):
        options = [row.cells]
        if index:  # a header over two rows: "Наименование услуги" above "рус" / "каз"
            options.append(_stacked(candidates[index - 1].cells, row.cells))
        for labels in options:
            columns = _columns(labels)
            names = [c for c in columns.values() if c in (*NAME_COLUMNS, AUTO_NAME)]
            score = len(columns) + (2 if names else -100)
            if score > best[0]:
                best = (score, row.number, columns, labels)
    score, number, columns, labels = best
    if score <= 0:
        raise SpreadsheetError(
            _(
                "No header row was found. The table needs a column named like "
                "“Наименование услуги”, “Қызмет атауы” or “Service name”."
            )
        )
    return number, columns, [vocabulary.normalise(label) for label in labels]


def _stacked(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return [a if a == b else f"{a} {b}".strip() for a, b in zip(upper, lower, strict=True)]


def _columns(labels: list[str]) -> dict[int, str]:
    columns = {}
    for index, label in enumerate(labels):
        column = map_header(label) if label else None
        if column and column not in columns.values():  # the first of two alike wins
            columns[index] = column
    return columns


def _is_not_a_service(row: Row, columns: dict[int, str], header_cells: list[str]) -> bool:
    filled = [(index, cell) for index, cell in enumerate(row.cells) if cell]
    distinct = {cell for _index, cell in filled}
    if not filled:
        return True
    first = vocabulary.normalise(filled[0][1])
    if first.startswith(vocabulary.TOTAL_WORDS):
        return True  # "Итого", "Барлығы": a sum, not a service
    if [vocabulary.normalise(cell) for cell in row.cells[: len(header_cells)]] == header_cells:
        return True  # the header repeated on a printed page
    if len(distinct) == 1:  # one text, maybe merged across the row
        index, text = filled[0]
        in_name_column = columns.get(index) in (*NAME_COLUMNS, AUTO_NAME)
        return not in_name_column or bool(SECTION.match(text))
    return False


def _values(row: Row, columns: dict[int, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for index, column in columns.items():
        cell = row.cells[index] if index < len(row.cells) else ""
        if column == AUTO_NAME:
            if cell:
                language_column = f"name_{vocabulary.language_of_text(cell)}"
                values.setdefault(language_column, cell)
        elif cell or column not in values:
            values[column] = cell
    return values
