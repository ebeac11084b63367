"""Spreadsheet files into rows of text, each with the row number a person sees.

The kind of file is told by its content, never by its name or a choice someone could
get wrong: XLSX streamed within budgets (services.spreadsheets.xlsx: merged cells filled
from their top-left cell, so a header merged over two columns names both); CSV in UTF-8
(with or without BOM), UTF-16 (Excel's "Unicode text") or Windows-1251, with ";" or ","
or tab, all detected. Every cell comes back as clean text: non-breaking spaces and runs of
spaces folded into one space, line breaks kept as one "\n" (a cell may list several
channels, a line each). A CSV row's number is the one Excel shows, however many lines its
cells span.

Every import reads its file here (the admin, the commands, department lists), so every
one is held to the same budgets (services.spreadsheets.limits), each checked before the
work it guards.
"""

import csv
import io
import re
from collections import Counter

from django.conf import settings
from django.utils.translation import gettext as _

from services.spreadsheets import limits, xlsx
from services.spreadsheets.cells import (
    Row,
    SpreadsheetError,
    clean,
    grouped,
    megabytes,
    nothing_imported,
    rectangular,
    too_many_rows,
)

__all__ = ["Row", "SpreadsheetError", "check_file", "check_size", "clean", "read_sheets"]

OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls (and .doc)
ZIP = b"PK\x03\x04"


def read_sheets(data: bytes, file_name: str) -> list[list[Row]]:
    """Each visible sheet's rows (a CSV is one sheet) that hold a value, as wide as the
    farthest value, refusing a file past the budgets before reading what it declares."""
    _check_as_a_whole(data)
    # An XLSX is held to its budgets as it is read (xlsx.check_workbook is its first part).
    sheets = xlsx.read_workbook(data) if data[:4] == ZIP else [_read_csv(data)]
    return [_within_limits(rectangular(rows)) for rows in sheets]


def check_file(data: bytes) -> None:
    """What can be refused before a row is read: the size, emptiness, an old .xls, and an
    XLSX's zip directory, declared dimensions and merged ranges. Milliseconds for what a
    hostile file claims (its bytes are searched, never parsed), so an upload is checked
    with it before it is stored."""
    _check_as_a_whole(data)
    if data[:4] == ZIP:
        xlsx.check_workbook(data)


def _check_as_a_whole(data: bytes) -> None:
    check_size(len(data))
    if not data or data.isspace():
        raise SpreadsheetError(_("The file is empty."))
    if data[:8] == OLD_EXCEL:
        raise SpreadsheetError(
            _(
                "This is an Excel 97–2003 (.xls) file. Open it in Excel, save it as an Excel "
                "workbook (.xlsx) or as CSV, and import that file."
            )
        )


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise SpreadsheetError(
            _("The file is %(size)s MB; files of up to %(limit)s MB can be imported.")
            % {"size": megabytes(size), "limit": megabytes(settings.IMPORT_MAX_BYTES)}
        )


def _within_limits(rows: list[Row]) -> list[Row]:
    if len(rows) > settings.IMPORT_MAX_ROWS:
        raise too_many_rows(len(rows))
    return rows


ENCODINGS = ("utf-8-sig", "cp1251")


def _read_csv(data: bytes) -> list[Row]:
    """The rows that hold a value. Each row is held to MAX_ROW_CHARACTERS before the csv
    module splits it (a line of a million columns is refused unsplit) and to MAX_COLUMNS
    after; rows past IMPORT_MAX_ROWS are counted, not kept."""
    text = _decode(data)
    delimiter = _delimiter(text)
    lines = _RowLines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    rows, filled, line = [], 0, 1
    try:
        # Numbered by record, as Excel numbers rows: a cell over three lines is one row.
        for number, record in enumerate(reader, start=1):
            lines.row_ended()
            while record and not record[-1]:
                record.pop()  # the empty columns a file drags after its table
            if len(record) > limits.MAX_COLUMNS:
                raise _too_wide(number, len(record))
            cells = [clean(cell) for cell in record]
            if any(cells):
                filled += 1
                if filled <= settings.IMPORT_MAX_ROWS:
                    rows.append(Row(number, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)d of the file cannot be read as CSV: %(reason)s")
            % {"line": line, "reason": error}
        ) from error
    if filled > settings.IMPORT_MAX_ROWS:
        raise too_many_rows(filled)
    return rows


class _RowLines:
    """The text's lines, one at a time (no copy of the whole text), each kept with its
    line break as the csv module needs, refusing a row longer than MAX_ROW_CHARACTERS
    before the csv module holds it."""

    LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")

    def __init__(self, text: str):
        self.matches = self.LINE.finditer(text)
        self.row_length = 0
        self.line = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        match = next(self.matches)
        self.line += 1
        self.row_length += match.end() - match.start()
        if self.row_length > limits.MAX_ROW_CHARACTERS:
            raise nothing_imported(
                _(
                    "Line %(line)d of the file makes a row of more than %(limit)s characters; "
                    "a row of a list is far shorter."
                )
                % {"line": self.line, "limit": grouped(limits.MAX_ROW_CHARACTERS)}
            )
        return match.group()

    def row_ended(self) -> None:
        self.row_length = 0


def _too_wide(row: int, columns: int) -> SpreadsheetError:
    return nothing_imported(
        _("Row %(row)d of the file has %(count)s columns; a list has at most %(limit)s.")
        % {"row": row, "count": grouped(columns), "limit": grouped(limits.MAX_COLUMNS)}
    )


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
    sample = "\n".join(text[: limits.DELIMITER_SAMPLE_CHARACTERS].splitlines()[:50])
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
