"""Excel's 32,767-character cell limit: a longer text is cut visibly and listed, never
cut in silence (xlsxwriter alone cuts without a word)."""

import io

import openpyxl

from tracker.xlsx_cells import CUT_MARK, EXCEL_CELL_LIMIT, LimitedWorkbook


def written(texts: list[str]) -> tuple[openpyxl.Workbook, LimitedWorkbook]:
    buffer = io.BytesIO()
    workbook = LimitedWorkbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Data")
    for row, text in enumerate(texts):
        sheet.write_string(row, 1, text)
    workbook.close()
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())), workbook


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_a_text_over_the_limit_is_cut_with_a_mark_and_listed_in_a_last_sheet():
    whole = "Ә" * (EXCEL_CELL_LIMIT + 10)
    book, workbook = written(["short", whole, "x" * EXCEL_CELL_LIMIT])
    cell = book["Data"]["B2"].value
    assert cell.endswith(CUT_MARK) and len(cell) == EXCEL_CELL_LIMIT
    assert whole.startswith(cell.removesuffix(CUT_MARK))
    assert book["Data"]["B3"].value == "x" * EXCEL_CELL_LIMIT  # at the limit: whole
    assert [(cut.sheet, cut.cell, cut.length) for cut in workbook.cut_cells] == [
        ("Data", "B2", EXCEL_CELL_LIMIT + 10)
    ]
    listing = book.worksheets[-1]
    assert listing.title == "Қысқартылған ұяшықтар"  # in the reader's language (kk here)
    assert [c.value for c in listing[4]] == ["Data", "B2", EXCEL_CELL_LIMIT + 10]


def test_the_limit_counts_what_excel_counts_utf16_units():
    # An emoji is two UTF-16 units: 20,000 of them are over the limit at 20,000 characters.
    whole = "🙂" * 20_000
    book, workbook = written([whole])
    cell = book["Data"]["B1"].value
    assert utf16_units(cell) <= EXCEL_CELL_LIMIT and cell.endswith(CUT_MARK)
    assert len(workbook.cut_cells) == 1


def test_a_workbook_with_nothing_cut_has_no_extra_sheet():
    book, workbook = written(["a", "b" * 1000])
    assert book.sheetnames == ["Data"] and workbook.cut_cells == []
