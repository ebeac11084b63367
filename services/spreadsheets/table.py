"""Finding the table in an office's spreadsheet: the header, then the rows under it.

Real lists have title lines above the header, a header over two rows (merged cells in
XLSX; in CSV the merged cell shows as blanks beside it), a line of column numbers or of
sub-headers under it, section lines inside ("1. Образование"), blank lines, subtotals
and a total at the bottom, and a signature line after. The header is the row (or pair of
rows) whose cells name the most known columns; after it, only rows that name a service
(or, for a department list, a department) are kept.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from services.spreadsheets import vocabulary
from services.spreadsheets.reading import Row, SpreadsheetError

HEADER_SEARCH_ROWS = 25
NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
AUTO_NAME = "name"  # a name column that does not say its language: each cell decides
SECTION = re.compile(r"^((\d+(\.\d+)*\.?)|([IVXLC]+\.)|раздел|бөлім|section)\s", re.IGNORECASE)
# Cells whose line breaks mean something: several channels or forms, one per line.
MULTILINE_COLUMNS = {"channels", "status", "paid", "department", "life_events"}
# Cells read by the vocabulary, not kept as text: one that only points to the standard
# ("согласно стандарту") gives no value. A blocker or a name saying so is kept.
WORDED_COLUMNS = {
    "status",
    "term_days",
    "channels",
    "paid",
    "socially_significant",
    "documents_required",
    "sphere",
    "provider_level",
    "target_status",
}


@dataclass
class Record:
    """One row of the table: its number in the file, its cells by canonical column, and
    the cells as they were (to hand a refused row back to its sender)."""

    number: int
    values: dict[str, str]
    cells: list[str] = field(default_factory=list)


@dataclass
class Table:
    header_row: int
    columns: dict[int, str]  # column index -> canonical column
    labels: list[str] = field(default_factory=list)  # the header as the file writes it
    title: list[str] = field(default_factory=list)  # the lines above the header
    records: list[Record] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        names = set(self.columns.values())
        if AUTO_NAME in names:
            names = (names - {AUTO_NAME}) | set(NAME_COLUMNS)
        return sorted(names)


def find_table(
    rows: list[Row],
    *,
    headers: Callable[[], dict[str, str]] = vocabulary.header_index,
    key_columns: tuple[str, ...] = ("register_code",),
) -> Table:
    """The table of a service list; ``headers`` and ``key_columns`` read other lists
    (departments) the same way."""
    first_row, header_row, columns, labels = _find_header(rows, headers)
    header_cells = [vocabulary.normalise(label) for label in labels]
    units = term_units(labels, columns)
    table = Table(
        header_row=header_row,
        columns=columns,
        labels=labels,
        title=[" ".join(filter(None, r.cells)) for r in rows if r.number < first_row],
    )
    for row in rows:
        if row.number <= header_row or _is_not_a_record(row, columns, header_cells):
            continue
        values = _values(row, columns, units)
        names = [values.get(name, "") for name in NAME_COLUMNS]
        if any(_is_a_name(name) for name in names) or any(values.get(k) for k in key_columns):
            table.records.append(Record(row.number, values, list(row.cells)))
    if not table.records:
        raise SpreadsheetError(_("The table has a header but no rows under it."))
    return table


def map_header(label: str, headers=vocabulary.header_index) -> str | None:
    """The canonical column a header means, or None for columns we do not import."""
    words = vocabulary.normalise(label).split()
    for length in range(len(words), 0, -1):  # "Срок оказания (раб. дней)" -> "срок оказания"
        prefix = " ".join(words[:length])
        column = headers().get(prefix)
        if column is None:
            continue
        if column in NAME_COLUMNS or prefix in vocabulary.NAME_WITHOUT_LANGUAGE:
            language = vocabulary.language_of_header(label)
            if language:
                return f"name_{language}"
            if prefix in vocabulary.NAME_WITHOUT_LANGUAGE:
                return AUTO_NAME
        return column
    column = vocabulary.column_by_keywords(label)
    if column == "name":
        language = vocabulary.language_of_header(label)
        if language is None and "атауы" in vocabulary.normalise(label).split():
            language = "kk"  # the Kazakh word for "name"
        return f"name_{language}" if language else AUTO_NAME
    return column


def _find_header(rows: list[Row], headers) -> tuple[int, int, dict[int, str], list[str]]:
    """The header's first and last line, its columns and its labels."""
    best = (0, 0, 0, {}, [])  # score, first line, last line, columns, labels
    candidates = rows[:HEADER_SEARCH_ROWS]
    for index, row in enumerate(candidates):
        options = [(row.number, row.cells)]
        if index:  # a header over two rows: "Наименование услуги" above "рус" / "каз"
            upper = candidates[index - 1]
            options.append((upper.number, _stacked(upper.cells, row.cells)))
        for first, labels in options:
            columns = _columns(labels, headers)
            names = [c for c in columns.values() if c in (*NAME_COLUMNS, AUTO_NAME)]
            score = len(columns) + (2 if names else -100)
            if score > best[0]:
                best = (score, first, row.number, columns, labels)
    score, first, number, columns, labels = best
    if score <= 0:
        raise SpreadsheetError(
            _(
                "No header row was found. The table needs a column named like "
                "“Наименование услуги”, “Қызмет атауы” or “Service name”."
            )
        )
    return first, number, columns, labels


def _stacked(upper: list[str], lower: list[str]) -> list[str]:
    """Two header lines as one. A header merged over several columns shows, in CSV, only
    in its first column: the blanks beside it take its text where the line below
    names a sub-column ("Наименование" over "на русском языке" | "на казахском языке")."""
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    filled, spanning = [], ""
    for above, below in zip(upper, lower, strict=True):
        if above:
            spanning = above if below else ""
        elif below and spanning:
            above = spanning
        filled.append(above)
    return [a if a == b else f"{a} {b}".strip() for a, b in zip(filled, lower, strict=True)]


def _columns(labels: list[str], headers) -> dict[int, str]:
    columns = {}
    for index, label in enumerate(labels):
        column = map_header(label, headers) if label else None
        if column and column not in columns.values():  # the first of two alike wins
            columns[index] = column
    return columns


def _is_not_a_record(row: Row, columns: dict[int, str], header_cells: list[str]) -> bool:
    filled = [(index, cell) for index, cell in enumerate(row.cells) if cell]
    distinct = {cell for _index, cell in filled}
    if not filled:
        return True
    first = vocabulary.normalise(filled[0][1])
    if first.startswith(vocabulary.TOTAL_WORDS):
        return True  # "Итого", "Барлығы": a sum, not a service
    if _repeats_header(row, header_cells):
        return True  # the header repeated on a printed page
    if _is_column_numbers(filled) or _is_sub_header(filled):
        return True
    if len(distinct) == 1:  # one text, maybe merged across the row
        index, text = filled[0]
        in_name_column = columns.get(index) in (*NAME_COLUMNS, AUTO_NAME)
        # In a table of three columns or more a service fills more than its name: a lone
        # text is a heading ("Сфера образования"), whichever column it stands in.
        return not in_name_column or bool(SECTION.match(text)) or len(columns) >= 3
    return False


def _repeats_header(row: Row, header_cells: list[str]) -> bool:
    cells = row.cells[: len(header_cells)]
    if not cells or vocabulary.normalise(cells[0]) != header_cells[0]:
        return False  # most rows stop here, one cell normalised
    return [vocabulary.normalise(cell) for cell in cells] == header_cells


def _is_column_numbers(filled) -> bool:
    """ "1 | 2 | 3 | 4": the numbers printed under a header, not a row."""
    numbers = [cell for _index, cell in filled]
    if len(numbers) < 3 or not all(cell.isdigit() for cell in numbers):
        return False
    values = [int(cell) for cell in numbers]
    return values == sorted(values) and len(set(values)) == len(values)


# Letters every sub-header naming a language has ("на русском языке", "қазақ тілінде"):
# a service row is told apart before any cell is normalised.
SUB_HEADER_HINTS = ("рус", "каз", "қаз", "орыс", "ағыл", "англ", "rus", "kaz", "eng", "тіл", "язык")


def _is_sub_header(filled) -> bool:
    """ "на русском языке | на казахском языке": a second header line, not a service."""
    return all(
        len(cell) <= 40
        and len(cell.split()) <= 4
        and any(hint in cell.casefold() for hint in SUB_HEADER_HINTS)
        and vocabulary.language_of_header(cell)
        for _index, cell in filled
    )


def _is_worded(column: str) -> bool:
    return column in WORDED_COLUMNS or column.startswith(vocabulary.CRITERION_COLUMN)


def _is_a_name(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _values(row: Row, columns: dict[int, str], units: dict[int, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for index, column in columns.items():
        cell = row.cells[index] if index < len(row.cells) else ""
        if vocabulary.is_blank(cell, value=_is_worded(column)):
            cell = ""
        if column == AUTO_NAME:
            _names_by_language(cell, values)
            continue
        if column not in MULTILINE_COLUMNS:
            cell = cell.replace("\n", " ")
        if index in units and cell.isdigit():
            cell = f"{cell} {units[index]}"  # "15" under "Срок (рабочих дней)"
        if cell or column not in values:
            values[column] = cell
    return values


def _names_by_language(cell: str, values: dict[str, str]) -> None:
    """A name column that does not say its language. A cell holding a Russian name over
    a Kazakh one ("Выдача справки об обучении" / "Оқу туралы анықтама беру") gives both;
    otherwise the cell is one name, its lines joined, in the language its letters show."""
    lines = [line for line in cell.split("\n") if line]
    kazakh = [vocabulary.language_of_text(line) == "kk" for line in lines]
    if True in kazakh and not kazakh[0]:
        split = kazakh.index(True)
        russian, other = " ".join(lines[:split]), " ".join(lines[split:])
        if len(russian.split()) >= 3 and len(other.split()) >= 2:
            values.setdefault("name_ru", russian)
            values.setdefault("name_kk", other)
            return
    name = " ".join(lines)
    if name:
        values.setdefault(f"name_{vocabulary.language_of_text(name)}", name)


def term_units(labels: list[str], columns: dict[int, str]) -> dict[int, str]:
    """The unit a term column's header gives its bare numbers: "Срок (рабочих дней)"."""
    units = {}
    for index, column in columns.items():
        if column == "term_days" and index < len(labels):
            unit = vocabulary.unit_of_header(labels[index])
            if unit:
                units[index] = unit
    return units
