"""What every reader of a spreadsheet makes: rows of clean text, or one refusal in words."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from services.spreadsheets import limits


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is for the person who sent it."""


@dataclass(frozen=True)
class Row:
    number: int  # as the person sees it: Excel's row number, or the CSV line
    cells: list[str]

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)


def clean(value) -> str:
    """One cell as text: numbers without ".0", dates as dd.mm.yyyy, spaces folded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and _is_clean(value):
        return value  # most cells: a short text of printable words, nothing to fold
    lines = re.split(r"\r\n|\r|\n|\u2028", str(value).replace("\u00a0", " "))
    text = "\n".join(filter(None, (re.sub(r"\s+", " ", line).strip() for line in lines)))
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # our CSV exports guard formulas with an apostrophe: take it off
    return text


def _is_clean(text: str) -> bool:
    """Nothing for clean() to change: no line break, tab, non-breaking or double space
    (all unprintable but the plain space), no space at either end, no apostrophe first."""
    return (
        text.isprintable() and "  " not in text and text[:1] not in (" ", "'") and text[-1:] != " "
    )


def rectangular(rows: list[Row]) -> list[Row]:
    """Every row as wide as the farthest cell with a value, and no wider: the empty
    columns a file drags after its table are dropped, short rows are padded."""
    width = max((_last_filled(row.cells) for row in rows), default=0)
    return [Row(row.number, (row.cells + [""] * width)[:width]) for row in rows]


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells), 0, -1):
        if cells[index - 1]:
            return index
    return 0


def nothing_imported(sentence: str) -> SpreadsheetError:
    return SpreadsheetError(_("%(problem)s Nothing was imported.") % {"problem": sentence})


def too_many_rows(count: int) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file has %(count)d rows; up to %(limit)d can be imported at once. "
            "Split it into smaller files."
        )
        % {"count": count, "limit": settings.IMPORT_MAX_ROWS}
    )


def cell_too_long() -> SpreadsheetError:
    return nothing_imported(
        _("A cell of the file holds more than %(limit)s characters, more than Excel allows.")
        % {"limit": grouped(limits.MAX_CELL_CHARACTERS)}
    )


def grouped(number: int) -> str:
    """16384 as the reader writes it: "16,384", "16 384"."""
    return number_format(number, force_grouping=True)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"
