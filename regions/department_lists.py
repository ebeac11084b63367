"""Reading the list of an akimat's departments an oblast already has: the budget decision's
table of budget-programme administrators ("261 | Управление образования | Білім
басқармасы"), sometimes with short names, levels and the other names offices write.

The file is read like a service list (services.spreadsheets: title lines, a header over
two rows, sections and totals skipped, any encoding), with the department words of
``vocabulary.toml`` (``[department_headers]``, ``[department_levels]``). What is only a
department list's business lives here: how two spellings of one department's name are
told to be the same, and the code a department gets when the file gives none.
"""

import re
from functools import cache

import tablib

from regions.models import Department, DepartmentAlias
from services.spreadsheets import vocabulary
from services.spreadsheets.dataset import dataset_from_file
from services.spreadsheets.formats import OfficeSpreadsheet
from services.spreadsheets.providers import (
    ABBREVIATION_SKIPS,
    alias_key,
    own_words,
    region_stems,
)

DEPARTMENT_HEADERS: dict[str, list[str]] = vocabulary.WORDS["department_headers"]
DEPARTMENT_LEVELS: dict[str, list[str]] = vocabulary.WORDS["department_levels"]
ALIASES = "aliases"  # the column of other names: not a field of Department
# Column names as the import screens show them, for the columns that are no field.
EXTRA_LABELS = {ALIASES: DepartmentAlias._meta.verbose_name_plural}
COLUMN_FIELDS = (
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "level",
)
MAX_GENERATED_CODE = 12  # initials of a long name; the field allows 20 with the suffix


@cache
def department_header_index() -> dict[str, str]:
    """The listed headers, plus each column's own name in kk, ru and en (what the admin
    shows), so a list written with our column names is read back column for column."""
    index = vocabulary._index(DEPARTMENT_HEADERS)
    for column in COLUMN_FIELDS:
        field = Department._meta.get_field(column)
        for label in vocabulary._in_every_language(lambda field=field: field.verbose_name):
            index.setdefault(vocabulary.normalise(label), column)
    for column, text in EXTRA_LABELS.items():
        for label in vocabulary._in_every_language(lambda text=text: text):
            index.setdefault(vocabulary.normalise(label), column)
    return index


@cache
def level_words() -> dict[str, str]:
    """A level cell's words ("областной", "аудандық") → the level."""
    return vocabulary._index(DEPARTMENT_LEVELS)


def read_department_list(data: bytes, file_name: str) -> tablib.Dataset:
    """The department list of a file, by canonical column, each row with its file row."""
    dataset = dataset_from_file(
        data, file_name, headers=department_header_index, key_columns=("code",)
    )
    return _with_alias_lines(dataset)


def _with_alias_lines(dataset: tablib.Dataset) -> tablib.Dataset:
    """Put back the line breaks of the aliases column: the table reader joins a cell's
    lines into one, but there each line is another name ("УО" / "Облбілім")."""
    table = dataset.table
    index = next((i for i, column in table.columns.items() if column == ALIASES), None)
    if index is None:
        return dataset
    at = dataset.headers.index(ALIASES)
    fixed = tablib.Dataset(headers=dataset.headers)
    for values, record in zip(dataset, table.records, strict=True):
        values = list(values)
        raw = record.cells[index] if index < len(record.cells) else ""
        if values[at] and raw:
            values[at] = raw
        fixed.append(values)
    fixed.title_lines, fixed.table = dataset.title_lines, table
    return fixed


class DepartmentSpreadsheet(OfficeSpreadsheet):
    """The admin's one format for department lists: XLSX or CSV, told by the content."""

    read = staticmethod(read_department_list)


def split_aliases(text: str) -> list[str]:
    """The other names of one cell: one a line or separated by ";" — or, when the cell has
    neither, by ",". (An official name may hold a comma: «Управление культуры, архивов и
    документации» on its own line stays whole.)"""
    separator = r"[\n;]" if re.search(r"[\n;]", text) else ","
    labels, keys = [], set()
    for part in re.split(separator, text):
        label = part.strip()
        key = alias_key(label)
        if key and key not in keys:
            keys.add(key)
            labels.append(label)
    return labels


class NameKeys:
    """How the department names of one region are compared: normalised, legal forms and
    "акимата", "области" dropped (services.spreadsheets.providers.alias_key), and the
    region's own name too, so «ГУ "Управление образования акимата Жамбылской области"»
    and "Управление образования" are one department."""

    def __init__(self, region):
        self.stems = region_stems(region) if region is not None else []

    def words(self, label: str) -> list[str]:
        return own_words(label, self.stems)

    def key(self, label: str) -> str:
        return " ".join(self.words(label)) or alias_key(label)


# Kazakh and Russian letters in Latin, for codes only (capitals, no diacritics).
# fmt: off
LATIN = {
    "а": "A", "ә": "A", "б": "B", "в": "V", "г": "G", "ғ": "G", "д": "D", "е": "E",
    "ё": "E", "ж": "ZH", "з": "Z", "и": "I", "й": "I", "к": "K", "қ": "Q", "л": "L",
    "м": "M", "н": "N", "ң": "N", "о": "O", "ө": "O", "п": "P", "р": "R", "с": "S",
    "т": "T", "у": "U", "ұ": "U", "ү": "U", "ф": "F", "х": "KH", "һ": "H", "ц": "TS",
    "ч": "CH", "ш": "SH", "щ": "SHCH", "ы": "Y", "і": "I", "э": "E", "ю": "YU", "я": "YA",
}
# fmt: on


def initials_code(name: str, keys: NameKeys) -> str:
    """ "Управление образования" → UO, "Білім басқармасы" → BB: the initials of the name's
    own words (no legal form, no region), in Latin."""
    words = [word for word in keys.words(name) if word not in ABBREVIATION_SKIPS]
    letters = "".join(_latin(word[0]) for word in words)
    return letters[:MAX_GENERATED_CODE] or "DEP"


def _latin(letter: str) -> str:
    if letter in LATIN:
        return LATIN[letter]
    return letter.upper() if re.fullmatch(r"[a-z0-9]", letter) else ""


def unique_code(base: str, taken: set[str]) -> str:
    """The base, else the base with the first free number: UO, UO2, UO3…"""
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}{number}"
    return code
