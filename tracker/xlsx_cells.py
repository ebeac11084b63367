"""Excel's limit on a cell's text, kept in the open.

Excel holds at most 32,767 characters (UTF-16 units) in a cell, and xlsxwriter cuts a
longer text silently. Every workbook this project writes is a ``LimitedWorkbook``: a text
over the limit is cut with a visible mark, the cell is remembered, and the workbook ends
with a sheet naming every cut cell and its full length — so nobody takes a cut comment
or blocker for the whole of it. ``cut_cells`` tells the caller, to warn the person too.
"""

from dataclasses import dataclass

import xlsxwriter
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

EXCEL_CELL_LIMIT = 32_767
CUT_MARK = " […]"


@dataclass(frozen=True)
class CutCell:
    sheet: str
    cell: str  # "B12"
    length: int  # the text's full length, in characters


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, units: int) -> str:
    """The longest start of ``text`` of at most ``units`` UTF-16 units."""
    cut = text[:units]
    while _utf16_length(cut) > units:
        cut = cut[:-1]
    return cut


class CutRecordingSheet(Worksheet):
    """A sheet that cuts an over-long text itself, marked, and remembers the cell."""

    def __init__(self):
        super().__init__()
        self.cut_cells: list[CutCell] = []

    # Every string write (write_string, write, write_row…) ends here, so this one place
    # sees them all; xlsxwriter is held below 4 in pyproject.toml, and a test fails if a
    # long text ever reaches a file uncut and unreported.
    def _write_string(self, row, col, string, cell_format=None):
        if len(string) > EXCEL_CELL_LIMIT // 2 and _utf16_length(string) > EXCEL_CELL_LIMIT:
            self.cut_cells.append(CutCell(self.name, xl_rowcol_to_cell(row, col), len(string)))
            string = _fit(string, EXCEL_CELL_LIMIT - len(CUT_MARK)) + CUT_MARK
        return super()._write_string(row, col, string, cell_format)


class LimitedWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter workbook whose sheets report cut cells, listed in a last sheet."""

    worksheet_class = CutRecordingSheet

    @property
    def cut_cells(self) -> list[CutCell]:
        return [
            cut
            for sheet in self.worksheets()
            if isinstance(sheet, CutRecordingSheet)
            for cut in sheet.cut_cells
        ]

    def close(self):
        cuts = self.cut_cells
        if cuts and not self.fileclosed:
            self._list_cut_cells(cuts)
        return super().close()

    def _list_cut_cells(self, cuts: list[CutCell]) -> None:
        sheet = self.add_worksheet(_("Cut cells")[:31])
        bold = self.add_format({"bold": True})
        sheet.write_string(
            0,
            0,
            _(
                "Excel holds at most %(limit)s characters in a cell. These cells held more "
                "and were cut (marked %(mark)s); the CSV export keeps them whole."
            )
            % {
                "limit": number_format(EXCEL_CELL_LIMIT, force_grouping=True),
                "mark": CUT_MARK.strip(),
            },
        )
        for column, title in enumerate([_("Sheet"), _("Cell"), _("Characters in full")]):
            sheet.write_string(2, column, title, bold)
        for line, cut in enumerate(cuts, start=3):
            sheet.write_string(line, 0, cut.sheet)
            sheet.write_string(line, 1, cut.cell)
            sheet.write_number(line, 2, cut.length)
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, 2, 18)


def cut_cells_warning(count: int) -> str:
    """What the person who asked for the file is told."""
    return ngettext(
        "%(count)s cell held more than Excel allows (32,767 characters) and was cut; the "
        "file's last sheet, “Cut cells”, names it. The CSV export keeps it whole.",
        "%(count)s cells held more than Excel allows (32,767 characters) and were cut; the "
        "file's last sheet, “Cut cells”, names them. The CSV export keeps them whole.",
        count,
    ) % {"count": count}
