"""XLSX files read as a stream, within budgets checked before the work they guard.

An XLSX is a zip of XML parts. Before a part is unpacked, the zip's directory says how big
each will be: one part or all of them past their budget, or packed more tightly than a
real workbook is (a zip bomb), refuse the file from the directory alone. Then each sheet's
own claims: the dimension it declares (the first bytes of its XML) and its merged ranges.
Only then are the rows read, one at a time, by expat: a cell the XML does not hold is never
made, so a file declaring 16,384 columns costs what its real cells cost.

openpyxl is not used to read: its normal mode makes an object for every cell of the
declared dimension and of every merged range (one cell at XFD2000 took six gigabytes), and
its read-only mode pads every row to the declared width and has no merged ranges. Its
date and number-format rules are used as they are.
"""

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from services.spreadsheets import limits
from services.spreadsheets.cells import (
    Row,
    SpreadsheetError,
    cell_too_long,
    clean,
    grouped,
    megabytes,
    nothing_imported,
    too_many_rows,
)

EXCEL_COLUMNS = 16_384  # XFD: a column past it is no Excel file
CHUNK = 1024 * 1024
END_OF_DIRECTORY = b"PK\x05\x06"
OFFICE_DOCUMENT = "/officeDocument"  # relationship types end so, in either OOXML flavour
WORKSHEET = "/worksheet"
SHARED_STRINGS = "/sharedStrings"
STYLES = "/styles"

CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
# Searched in the unpacked bytes, not parsed: every part of each pattern is bounded, so no
# match is longer than MATCH_SPAN and a match cut between two chunks is found whole.
ATTRIBUTE_REF = rb"\b[^>]{0,200}?\bref\s{0,5}=\s{0,5}[\"']([^\"']{0,40})"
DIMENSION = re.compile(rb"<(?:[\w.-]{1,20}:)?dimension" + ATTRIBUTE_REF)
MERGE_CELL = re.compile(rb"<(?:[\w.-]{1,20}:)?mergeCell" + ATTRIBUTE_REF)
MATCH_SPAN = 300
SHEET_DATA = re.compile(rb"<(?:[\w.-]{1,20}:)?sheetData\b")
# What zipfile raises for a part it cannot unpack: damaged, cut off, or packed by a
# method it does not know.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how OOXML writes a control character


def unreadable() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "This is not an Excel (.xlsx) file that can be read. Save it again as .xlsx "
            "or .csv and try once more."
        )
    )


@dataclass
class Sheet:
    name: str
    part: str  # its XML inside the zip
    visible: bool
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # cols, rows


def check_workbook(data: bytes) -> None:
    """The refusals that need no row read: the zip's directory, each sheet's declared
    dimension and merged ranges. Milliseconds, whatever the file claims."""
    Workbook(data).sheets_to_read()


def read_workbook(data: bytes) -> list[list[Row]]:
    """Every visible sheet's rows that hold a value: a list may follow a cover sheet or a
    sheet of notes. A workbook whose sheets are all hidden is read by its first."""
    workbook = Workbook(data)
    sheets = workbook.sheets_to_read()
    strings = workbook.shared_strings()
    styles = workbook.styles()
    return [SheetReader(sheet, strings, styles).read(workbook.archive) for sheet in sheets]


class Workbook:
    """The zip, checked from its directory, and the sheets its workbook part lists."""

    def __init__(self, data: bytes):
        _check_directory_size(data)
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise unreadable() from error
        self.parts = {info.filename: info for info in self.archive.infolist()}
        _check_parts(self.archive.infolist())
        self.book = self._target(
            _relations(self, "_rels/.rels"), OFFICE_DOCUMENT, "xl/workbook.xml"
        )
        if self.book is None:
            raise unreadable()
        self.relations = _relations(self, _relations_part(self.book))
        self.epoch = WINDOWS_EPOCH

    def sheets_to_read(self) -> list[Sheet]:
        sheets = self._sheets()
        chosen = [sheet for sheet in sheets if sheet.visible] or sheets[:1]
        if not chosen:
            raise unreadable()
        for sheet in chosen:
            check_declared(self.archive, sheet)
        return chosen

    def _sheets(self) -> list[Sheet]:
        sheets: list[Sheet] = []

        def start(name, attributes):
            local = local_name(name)
            if local == "workbookPr" and attributes.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif local == "sheet":
                relation = next(
                    (value for key, value in attributes.items() if key.endswith(" id")), ""
                )
                kind, target = self.relations.get(relation, ("", ""))
                if kind.endswith(WORKSHEET) and target in self.parts:
                    visible = attributes.get("state", "visible") == "visible"
                    sheets.append(Sheet(attributes.get("name", ""), target, visible))

        parse_part(self.archive, self.book, start)
        return sheets

    def _target(self, relations, kind: str, default: str | None) -> str | None:
        for relation_kind, target in relations.values():
            if relation_kind.endswith(kind) and target in self.parts:
                return target
        return default if default and default in self.parts else None

    def shared_strings(self) -> list[str]:
        part = self._target(self.relations, SHARED_STRINGS, None)
        return read_shared_strings(self.archive, part) if part else []

    def styles(self) -> "Styles":
        part = self._target(self.relations, STYLES, None)
        return read_styles(self.archive, part, self.epoch) if part else Styles(self.epoch)


def _check_directory_size(data: bytes) -> None:
    """The zip's directory, told from its last bytes: zipfile reads all of it at once (a
    hundred thousand empty parts cost nine seconds), so its size is checked first."""
    end = data.rfind(END_OF_DIRECTORY, max(0, len(data) - 22 - 65_535))
    if end < 0 or len(data) < end + 22:
        raise unreadable()
    entries = int.from_bytes(data[end + 10 : end + 12], "little")
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    if entries > limits.MAX_PARTS:
        raise _too_many_parts(entries)
    if size > limits.MAX_DIRECTORY_BYTES:
        raise nothing_imported(
            _("The file's zip directory takes %(size)s MB; a workbook's takes a few KB.")
            % {"size": megabytes(size)}
        )


def _too_many_parts(count: int) -> SpreadsheetError:
    return nothing_imported(
        _("The file is a zip of %(count)s parts; a workbook has at most %(limit)s.")
        % {"count": grouped(count), "limit": grouped(limits.MAX_PARTS)}
    )


def _check_parts(parts: list[zipfile.ZipInfo]) -> None:
    """Each part's unpacked size as the directory declares it (zipfile stops reading a
    part there, so the declaration binds), its packing ratio, and all parts together."""
    if len(parts) > limits.MAX_PARTS:
        raise _too_many_parts(len(parts))
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise unreadable()  # encrypted
        if part.file_size > limits.MAX_PART_BYTES:
            raise nothing_imported(
                _(
                    "The part “%(part)s” of the file unpacks to %(size)s MB; a part of a "
                    "workbook may unpack to at most %(limit)s MB."
                )
                % {
                    "part": part.filename,
                    "size": megabytes(part.file_size),
                    "limit": megabytes(limits.MAX_PART_BYTES),
                }
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > limits.RATIO_CHECKED_FROM and ratio > limits.MAX_COMPRESSION_RATIO:
            raise nothing_imported(
                _(
                    "The part “%(part)s” of the file is packed %(ratio)s times over; real "
                    "workbooks pack at most %(limit)s times. This is how a zip bomb looks."
                )
                % {
                    "part": part.filename,
                    "ratio": grouped(int(ratio)),
                    "limit": grouped(limits.MAX_COMPRESSION_RATIO),
                }
            )
        total += part.file_size
    if total > limits.MAX_UNPACKED_BYTES:
        raise nothing_imported(
            _("The file unpacks to %(size)s MB; a workbook may unpack to at most %(limit)s MB.")
            % {"size": megabytes(total), "limit": megabytes(limits.MAX_UNPACKED_BYTES)}
        )


def _relations_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relations(workbook: Workbook, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, the target's name inside the zip)."""
    if part not in workbook.parts:
        return {}
    source_folder = posixpath.dirname(posixpath.dirname(part))  # "xl/_rels/…" → "xl"
    relations = {}

    def start(name, attributes):
        if local_name(name) != "Relationship" or attributes.get("TargetMode") == "External":
            return
        target = attributes.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(source_folder, target))
        relations[attributes.get("Id", "")] = (attributes.get("Type", ""), target)

    parse_part(workbook.archive, part, start)
    return relations


def parse_part(archive, part: str, start, end=None, text=None) -> None:
    """Stream one XML part through expat: no tree is built, a DOCTYPE (which no workbook
    has, and entity bombs need) is refused."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except SpreadsheetError:
        raise
    except (expat.ExpatError, ValueError, *DAMAGED_ZIP) as error:
        raise unreadable() from error


def _refuse_doctype(*_args):
    raise unreadable()


# --- what a sheet declares, checked before its rows are read -----------------------------


def check_declared(archive, sheet: Sheet) -> None:
    """The sheet's declared dimension (the first bytes of its XML) and its merged ranges
    (after its rows: the unpacked bytes are searched, not parsed), against the budgets.
    The ranges are kept: the cells under them are filled from them."""
    sheet.merged, area, tail, first = [], 0, b"", True
    try:
        with archive.open(sheet.part) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if first:
                    _check_dimension(sheet, chunk)
                    first = False
                buffer = tail + chunk
                # A match starting before ``complete`` lies whole in the buffer.
                complete = len(buffer) if not chunk else max(len(buffer) - MATCH_SPAN, 0)
                for match in MERGE_CELL.finditer(buffer):
                    if match.start() >= complete:
                        break
                    bounds = range_bounds(match.group(1).decode("ascii", "replace"))
                    if bounds is not None:
                        area += _check_merged(sheet, bounds, area)
                        sheet.merged.append(bounds)
                if not chunk:
                    return
                tail = buffer[complete:]
    except DAMAGED_ZIP as error:
        raise unreadable() from error


def _check_dimension(sheet: Sheet, head: bytes) -> None:
    window = head[: limits.DIMENSION_SEARCHED_BYTES]
    rows_start = SHEET_DATA.search(window)
    declared = DIMENSION.search(window, 0, rows_start.start() if rows_start else len(window))
    bounds = declared and range_bounds(declared.group(1).decode("ascii", "replace"))
    if not bounds:
        return  # not declared: the rows themselves are held to the budgets
    _first_column, _first_row, last_column, last_row = bounds
    if last_column > limits.MAX_COLUMNS:
        raise _declares(sheet, columns=last_column)
    if last_row > limits.MAX_SHEET_ROWS:
        raise _declares(sheet, rows=last_row)


def _declares(sheet: Sheet, *, columns: int = 0, rows: int = 0) -> SpreadsheetError:
    if columns:
        sentence = _(
            "The sheet “%(sheet)s” of the file declares %(count)s columns; a list has at most "
            "%(limit)s."
        ) % {"sheet": sheet.name, "count": grouped(columns), "limit": grouped(limits.MAX_COLUMNS)}
    else:
        sentence = _(
            "The sheet “%(sheet)s” of the file declares %(count)s rows; a list has at most "
            "%(limit)s."
        ) % {"sheet": sheet.name, "count": grouped(rows), "limit": grouped(limits.MAX_SHEET_ROWS)}
    return nothing_imported(
        sentence
        + " "
        + _(
            "Delete the empty columns and rows after the table (or copy the table alone into "
            "a new workbook), save it and import it again."
        )
    )


def _check_merged(sheet: Sheet, bounds: tuple[int, int, int, int], area: int) -> int:
    """The range's own area, once it is within the budgets."""
    first_column, first_row, last_column, last_row = bounds
    if last_column > limits.MAX_COLUMNS:
        raise _merges_past(sheet, bounds, columns=last_column)
    if last_row > limits.MAX_SHEET_ROWS:
        raise _merges_past(sheet, bounds, rows=last_row)
    cells = (last_column - first_column + 1) * (last_row - first_row + 1)
    if area + cells > limits.MAX_MERGED_CELLS:
        raise nothing_imported(
            _(
                "The merged cells of the sheet “%(sheet)s” cover more than %(limit)s cells; "
                "a list needs far fewer. Unmerge the cells outside the table and import the "
                "file again."
            )
            % {"sheet": sheet.name, "limit": grouped(limits.MAX_MERGED_CELLS)}
        )
    return cells


def _merges_past(sheet, bounds, *, columns: int = 0, rows: int = 0) -> SpreadsheetError:
    cells = coordinate(bounds[0], bounds[1]) + ":" + coordinate(bounds[2], bounds[3])
    if columns:
        sentence = _(
            "The sheet “%(sheet)s” of the file merges the cells %(cells)s, up to column "
            "%(count)s; a list has at most %(limit)s columns."
        ) % {
            "sheet": sheet.name,
            "cells": cells,
            "count": grouped(columns),
            "limit": grouped(limits.MAX_COLUMNS),
        }
    else:
        sentence = _(
            "The sheet “%(sheet)s” of the file merges the cells %(cells)s, down to row "
            "%(count)s; a list has at most %(limit)s rows."
        ) % {
            "sheet": sheet.name,
            "cells": cells,
            "count": grouped(rows),
            "limit": grouped(limits.MAX_SHEET_ROWS),
        }
    return nothing_imported(sentence)


def range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """ "A1:XFD200" → (1, 1, 16384, 200); one cell "B3" → (2, 3, 2, 3); else None."""
    corners = [CELL_REFERENCE.fullmatch(part) for part in ref.strip().split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
        return None
    (first_column, first_row), (last_column, last_row) = (
        (column_index(corner.group(1)), int(corner.group(2)))
        for corner in (corners[0], corners[-1])
    )
    return (
        min(first_column, last_column),
        min(first_row, last_row),
        max(first_column, last_column),
        max(first_row, last_row),
    )


@cache
def column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


@lru_cache(maxsize=512)  # bounded: a file may make up any number of names
def local_name(name: str) -> str:
    """ "http://schemas.openxmlformats.org/spreadsheetml/2006/main c" → "c": either OOXML
    flavour (transitional, strict) and any prefix reads the same."""
    return name.rpartition(" ")[2]


def _cell_column(reference: str) -> int | None:
    letters = reference.rstrip("0123456789$").lstrip("$")
    return column_index(letters) if 1 <= len(letters) <= 3 and letters.isalpha() else None


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def coordinate(column: int, row: int) -> str:
    return f"{column_letters(column)}{row}"


# --- the workbook's texts and date formats ----------------------------------------------


class _Text:
    """Collects the text of one string item: its own <t>, or the <t> of each rich-text
    run, never a phonetic reading (<rPh>). Held to the length of a cell."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.collecting = False
        self.phonetic = 0

    def start(self, local: str) -> None:
        if local == "rPh":
            self.phonetic += 1
        elif local == "t" and not self.phonetic:
            self.collecting = True

    def end(self, local: str) -> None:
        if local == "rPh":
            self.phonetic -= 1
        elif local == "t":
            self.collecting = False

    def add(self, data: str) -> None:
        if self.collecting:
            self.length += len(data)
            if self.length > limits.MAX_CELL_CHARACTERS:
                raise cell_too_long()
            self.parts.append(data)

    def take(self) -> str:
        text = unescape("".join(self.parts))
        self.parts, self.length, self.collecting, self.phonetic = [], 0, False, 0
        return text


def unescape(text: str) -> str:
    """ "_x000D_" is how OOXML writes a carriage return; "_x005F_" an underscore."""
    if "_x" not in text:
        return text

    def character(match):
        code = int(match.group(1), 16)
        return match.group() if 0xD800 <= code <= 0xDFFF else chr(code)

    return ESCAPED.sub(character, text)


def read_shared_strings(archive, part: str) -> list[str]:
    strings: list[str] = []
    text = _Text()
    inside = False

    def start(name, _attributes):
        nonlocal inside
        local = local_name(name)
        if local == "si":
            inside = True
        elif inside:
            text.start(local)

    def end(name):
        nonlocal inside
        local = local_name(name)
        if local == "si":
            inside = False
            strings.append(text.take())
            if len(strings) > limits.MAX_SHARED_STRINGS:
                raise nothing_imported(
                    _("The file holds more than %(limit)s different texts; a list needs far fewer.")
                    % {"limit": grouped(limits.MAX_SHARED_STRINGS)}
                )
        elif inside:
            text.end(local)

    parse_part(archive, part, start, end, text.add)
    return strings


@dataclass
class Styles:
    """Which cell styles show a number as a date or a duration (openpyxl's rules)."""

    epoch: object = WINDOWS_EPOCH
    dates: set[int] = field(default_factory=set)
    durations: set[int] = field(default_factory=set)


def read_styles(archive, part: str, epoch) -> Styles:
    formats: dict[int, str] = {}
    cell_formats: list[int] = []
    inside_cell_formats = False

    def start(name, attributes):
        nonlocal inside_cell_formats
        local = local_name(name)
        if local == "numFmt":
            formats[_number(attributes.get("numFmtId"))] = attributes.get("formatCode", "")
        elif local == "cellXfs":
            inside_cell_formats = True
        elif local == "xf" and inside_cell_formats:
            cell_formats.append(_number(attributes.get("numFmtId")))

    def end(name):
        nonlocal inside_cell_formats
        if local_name(name) == "cellXfs":
            inside_cell_formats = False

    parse_part(archive, part, start, end)
    styles = Styles(epoch)
    for index, number_format in enumerate(cell_formats):
        code = formats.get(number_format) or builtin_format_code(number_format)
        if code and is_date_format(code):
            styles.dates.add(index)
        if code and is_timedelta_format(code):
            styles.durations.add(index)
    return styles


def _number(text, default: int = 0) -> int:
    return int(text) if text and text.isdigit() else default


# --- the rows ---------------------------------------------------------------------------


class SheetReader:
    """One sheet's rows, streamed: only the cells its XML holds, each cleaned as it ends.

    A value past the budgets (a column after MAX_COLUMNS, a row after MAX_SHEET_ROWS)
    refuses the file; empty cells there cost nothing. Rows past IMPORT_MAX_ROWS are
    counted, not kept, so the refusal can say how many there are.
    """

    def __init__(self, sheet: Sheet, strings: list[str], styles: Styles):
        self.sheet, self.strings, self.styles = sheet, strings, styles
        self.rows: dict[int, list[str]] = {}
        self.filled_rows = 0
        self.row_number = 0
        self.row: dict[int, str] | None = None  # column → text, of the row being read
        self.cells_in_row = 0
        self.column = 0
        self.cell: tuple[int, str, int] | None = None  # column, type, style
        self.value: list[str] = []
        self.value_length = 0
        self.in_value = False
        self.in_inline = False
        self.text = _Text()

    def read(self, archive) -> list[Row]:
        parse_part(archive, self.sheet.part, self.start, self.end, self.add)
        if self.filled_rows > settings.IMPORT_MAX_ROWS:
            raise too_many_rows(self.filled_rows)
        self._fill_merged()
        width = max((len(cells) for cells in self.rows.values()), default=0)
        return [
            Row(number, cells + [""] * (width - len(cells)))
            for number, cells in sorted(self.rows.items())
            if any(cells)
        ]

    def start(self, name, attributes):
        local = local_name(name)
        if self.cell is not None:
            if local == "v":
                self.in_value = True
            elif local == "is":
                self.in_inline = True
            elif self.in_inline:
                self.text.start(local)
        elif local == "c" and self.row is not None:
            self._start_cell(attributes)
        elif local == "row":
            number = attributes.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            self.row, self.cells_in_row, self.column = {}, 0, 0

    def _start_cell(self, attributes):
        self.column = _cell_column(attributes.get("r", "")) or self.column + 1
        self.cells_in_row += 1
        if self.column > EXCEL_COLUMNS or self.cells_in_row > EXCEL_COLUMNS:
            raise unreadable()
        self.cell = (self.column, attributes.get("t", "n"), _number(attributes.get("s")))
        self.value, self.value_length = [], 0

    def add(self, data: str) -> None:
        if self.in_value:
            self.value_length += len(data)
            if self.value_length > limits.MAX_CELL_CHARACTERS:
                raise cell_too_long()
            self.value.append(data)
        elif self.in_inline:
            self.text.add(data)

    def end(self, name):
        local = local_name(name)
        if self.cell is not None:
            if local == "v":
                self.in_value = False
            elif local == "is":
                self.in_inline = False
            elif local == "c":
                self._end_cell()
            elif self.in_inline:
                self.text.end(local)
        elif local == "row" and self.row is not None:
            self._end_row()

    def _end_cell(self):
        column, kind, style = self.cell
        raw = "".join(self.value)
        inline = self.text.take() if kind == "inlineStr" else ""
        self.cell, self.value, self.in_value, self.in_inline = None, [], False, False
        text = clean(self._value(kind, style, raw, inline))
        if not text:
            return
        if column > limits.MAX_COLUMNS or self.row_number > limits.MAX_SHEET_ROWS:
            raise self._value_past(column)
        self.row[column] = text

    def _value(self, kind: str, style: int, raw: str, inline: str):
        """The cell's value as Excel last computed it (openpyxl's data_only reading)."""
        if kind == "inlineStr":
            return inline
        if not raw:
            return None
        if kind == "s":
            index = _number(raw, -1)
            if not 0 <= index < len(self.strings):
                raise unreadable()
            return self.strings[index]
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(raw)
            except ValueError:
                return raw
        if kind != "n":
            return unescape(raw)  # "str" (a formula's text), "e" (an error such as #N/A)
        try:
            number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            return raw
        if style in self.styles.dates:
            try:
                return from_excel(
                    number, self.styles.epoch, timedelta=style in self.styles.durations
                )
            except (OverflowError, ValueError):
                return number
        return number

    def _end_row(self):
        cells, self.row = self.row, None
        if not cells:
            return
        self.filled_rows += 1
        if self.filled_rows > settings.IMPORT_MAX_ROWS:
            return  # counted for the refusal, not kept
        line = [""] * max(cells)
        for column, text in cells.items():
            line[column - 1] = text
        self.rows[self.row_number] = line

    def _value_past(self, column: int) -> SpreadsheetError:
        cell = coordinate(column, self.row_number)
        if column > limits.MAX_COLUMNS:
            sentence = _(
                "The sheet “%(sheet)s” of the file has a value in cell %(cell)s, column "
                "%(count)s; a list has at most %(limit)s columns."
            ) % {
                "sheet": self.sheet.name,
                "cell": cell,
                "count": grouped(column),
                "limit": grouped(limits.MAX_COLUMNS),
            }
        else:
            sentence = _(
                "The sheet “%(sheet)s” of the file has a value in cell %(cell)s, row "
                "%(count)s; a list has at most %(limit)s rows."
            ) % {
                "sheet": self.sheet.name,
                "cell": cell,
                "count": grouped(self.row_number),
                "limit": grouped(limits.MAX_SHEET_ROWS),
            }
        return nothing_imported(sentence)

    def _fill_merged(self) -> None:
        """A merged cell's value fills every cell of it: a header over two columns names
        both, a provider merged down over five rows is each row's. The ranges were held
        to MAX_MERGED_CELLS before a row was read."""
        for first_column, first_row, last_column, last_row in self.sheet.merged:
            top = self.rows.get(first_row, [])
            value = top[first_column - 1] if first_column <= len(top) else ""
            for number in range(first_row, last_row + 1):
                if not value and number not in self.rows:
                    continue  # an empty merged cell hides what is under it, nothing more
                line = self.rows.setdefault(number, [])
                if len(line) < last_column:
                    line.extend([""] * (last_column - len(line)))
                for column in range(first_column, last_column + 1):
                    line[column - 1] = value
