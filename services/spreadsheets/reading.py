"""Spreadsheet files into rows of text, each with the row number a person sees.

XLSX through openpyxl (merged cells filled from their top-left cell, so a header merged
over two columns names both), CSV in UTF-8 (with or without BOM) or Windows-1251, with
";" or "," or tab, all detected. Every cell comes back as clean text: non-breaking
spaces, line breaks and runs of spaces folded into one space.
"""

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is for the person who sent it."""


@dataclass(frozen=True)
class Row:
    number: int  # as the person sees it: Excel's row number, or the CSV line
    cells: list[str]

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)


def read_rows(data: bytes, file_name: str) -> list[Row]:
    """The file's rows, refusing files over the configured size or row count."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise SpreadsheetError(
            _("The file is %(size)s MB; files of up to %(limit)s MB can be imported.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(settings.IMPORT_MAX_BYTES)}
        )
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    rows = _read_xlsx(data) if _looks_like_xlsx(data, file_name) else _read_csv(data)
    rows = [row for row in rows if not row.is_blank]
    if len(rows) > settings.IMPORT_MAX_ROWS:
        raise SpreadsheetError(
            _(
                "The file has %(count)d rows; up to %(limit)d can be imported at once. "
                "Split it into smaller files."
            )
            % {"count": len(rows), "limit": settings.IMPORT_MAX_ROWS}
        )
    return rows


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
    text = re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # our CSV exports guard formulas with an apostrophe: take it off
    return text


def _looks_like_xlsx(data: bytes, file_name: str) -> bool:
    return data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm"))


def _read_xlsx(data: bytes) -> list[Row]:
    import openpyxl  # imported here: only XLSX imports need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SpreadsheetError(
            _(
                "This is not an Excel (.xlsx) file that can be read. Save it again as .xlsx "
                "or .csv and try once more."
            )
        ) from error
    sheet = workbook.worksheets[0]
    merged = {}
    for cells in sheet.merged_cells.ranges:
        top_left = sheet.cell(cells.min_row, cells.min_col).value
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, cells.max_col + 1):
                merged[(row, column)] = top_left
    rows = []
    for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if index > settings.IMPORT_MAX_ROWS * 2:  # far past any real list: stop reading
            break
        cells = [
            clean(merged.get((index, column), value))
            for column, value in enumerate(values, start=1)
        ]
        rows.append(Row(index, cells))
    return rows


ENCODINGS = ("utf-8-sig", "cp1251")


def _read_csv(data: bytes) -> list[Row]:
    text = _decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    try:
        for record in reader:
            rows.append(Row(line, [clean(cell) for cell in record]))
            line = reader.line_num + 1
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)d of the file cannot be read as CSV: %(reason)s")
            % {"line": line, "reason": error}
        ) from error
    return rows


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(_("The file's text encoding is not UTF-8 or Windows-1251."))


def _delimiter(text: str) -> str:
    """The separator that cuts the first lines into the most rows of one same width.

    Parsing (not counting characters) keeps a ";" inside a quoted cell from fooling it.
    """
    sample = "\n".join(text.splitlines()[:50])
    best, best_score = ",", (0, 0)
    for candidate in (";", ",", "\t"):
        widths = [
            len(record)
            for record in csv.reader(io.StringIO(sample), delimiter=candidate)
            if len(record) > 1
        ]
        if widths:
            width, rows = Counter(widths).most_common(1)[0]
            if (rows, width) > best_score:
                best, best_score = candidate, (rows, width)
    return best


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"
