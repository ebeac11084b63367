"""Spreadsheet files into rows of text, each with the row number a person sees.

The kind of file is told by its content, never by its name or a choice someone could
get wrong: XLSX through openpyxl (merged cells filled from their top-left cell, so a
header merged over two columns names both); CSV in UTF-8 (with or without BOM),
UTF-16 (Excel's "Unicode text") or Windows-1251, with ";" or "," or tab, all detected.
Every cell comes back as clean text: non-breaking spaces and runs of spaces folded into
one space, line breaks kept as one "\n" (a cell may list several channels, a line each).
A CSV row's number is the one Excel shows, however many lines its cells span.
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


def read_sheets(data: bytes, file_name: str) -> list[list[Row]]:
    """Each visible sheet's rows (a CSV is one sheet), refusing files over the configured
    size or row count."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise SpreadsheetError(
            _("The file is %(size)s MB; files of up to %(limit)s MB can be imported.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(settings.IMPORT_MAX_BYTES)}
        )
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data[:8] == OLD_EXCEL:
        raise SpreadsheetError(
            _(
                "This is an Excel 97–2003 (.xls) file. Open it in Excel, save it as an Excel "
                "workbook (.xlsx) or as CSV, and import that file."
            )
        )
    sheets = _read_xlsx(data) if data[:4] == b"PK\x03\x04" else [_read_csv(data)]
    return [_within_limits([row for row in rows if not row.is_blank]) for rows in sheets]


def _within_limits(rows: list[Row]) -> list[Row]:
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
    lines = re.split(r"\r\n|\r|\n|\u2028", str(value).replace("\u00a0", " "))
    text = "\n".join(filter(None, (re.sub(r"\s+", " ", line).strip() for line in lines)))
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # our CSV exports guard formulas with an apostrophe: take it off
    return text


OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls (and .doc)


def _read_xlsx(data: bytes) -> list[list[Row]]:
    """Every visible sheet: a list may follow a cover sheet or a sheet of notes."""
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
    sheets = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    return [_sheet_rows(sheet) for sheet in sheets or workbook.worksheets[:1]]


def _sheet_rows(sheet) -> list[Row]:
    """A sheet's rows; a merged cell's value fills every cell of it (a header over two
    columns names both, a provider merged down over five rows is each row's)."""
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
        # Numbered by record, as Excel numbers rows: a cell over three lines is one row.
        for number, record in enumerate(reader, start=1):
            rows.append(Row(number, [clean(cell) for cell in record]))
            line = reader.line_num + 1
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)d of the file cannot be read as CSV: %(reason)s")
            % {"line": line, "reason": error}
        ) from error
    return rows


def _decode(data: bytes) -> str:
    utf16 = _utf16(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_("The file's UTF-16 text is damaged.")) from error
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(_("The file's text encoding is not UTF-8, UTF-16 or Windows-1251."))


def _utf16(data: bytes) -> str | None:
    """UTF-16 by its byte-order mark, or by the zero bytes between ASCII letters."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = data[:2000]
    if len(sample) < 4:
        return None
    # Latin, digits and tabs have a zero high byte; Cyrillic letters have 0x04.
    high_odd = sum(byte in (0, 4) for byte in sample[1::2]) / len(sample[1::2])
    high_even = sum(byte in (0, 4) for byte in sample[0::2]) / len(sample[0::2])
    if sample.count(0) and max(high_odd, high_even) > 0.9:
        return "utf-16-le" if high_odd > high_even else "utf-16-be"
    return None


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
