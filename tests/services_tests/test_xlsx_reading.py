"""The streamed XLSX reader on workbooks as Excel writes them (shared strings, styles,
merged ranges: xlsxwriter writes them so) and as other programs do, byte for byte: what
openpyxl gave the import before, it still gives, and what the budgets leave free (empty
cells past them, a dimension that says too little) costs nothing."""

import io
from datetime import datetime

import pytest
import xlsxwriter
from django.utils import translation

from services.spreadsheets import limits
from services.spreadsheets.reading import SpreadsheetError, read_sheets
from tests.services_tests.spreadsheet_files import MAIN, raw_xlsx, sheet_xml


def excel_workbook(write) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    write(workbook)
    workbook.close()
    return buffer.getvalue()


def cells(data: bytes) -> list[list[str]]:
    [sheet] = read_sheets(data, "list.xlsx")
    return [row.cells for row in sheet]


def test_shared_strings_numbers_dates_and_booleans_read_as_the_import_knows_them():
    def write(workbook):
        sheet = workbook.add_worksheet("Список")
        day = workbook.add_format({"num_format": "dd.mm.yyyy"})
        sheet.write_row(0, 0, ["Наименование услуги", "Срок", "Дата", "Платная"])
        sheet.write_string(1, 0, "Выдача  справки\u00a0об обучении")
        sheet.write_number(1, 1, 15)
        sheet.write_datetime(1, 2, datetime(2026, 3, 1), day)
        sheet.write_boolean(1, 3, True)
        sheet.write_formula(2, 0, '="Постановка"&" на очередь"', None, "Постановка на очередь")
        sheet.write_number(2, 1, 2.5)

    assert cells(excel_workbook(write)) == [
        ["Наименование услуги", "Срок", "Дата", "Платная"],
        ["Выдача справки об обучении", "15", "01.03.2026", "1"],
        ["Постановка на очередь", "2.5", "", ""],
    ]


def test_a_merged_header_names_every_column_it_spans_and_a_provider_every_row():
    def write(workbook):
        sheet = workbook.add_worksheet()
        sheet.merge_range("A1:B1", "Наименование услуги")
        sheet.write_row(1, 0, ["на русском языке", "на казахском языке", "Услугодатель"])
        sheet.write_row(2, 0, ["Выдача справки", "Анықтама беру"])
        sheet.merge_range("C3:C4", "Управление образования")
        sheet.write_row(3, 0, ["Выдача дубликата", "Телнұсқа беру"])

    assert cells(excel_workbook(write)) == [
        ["Наименование услуги", "Наименование услуги", ""],
        ["на русском языке", "на казахском языке", "Услугодатель"],
        ["Выдача справки", "Анықтама беру", "Управление образования"],
        ["Выдача дубликата", "Телнұсқа беру", "Управление образования"],
    ]


def test_hidden_sheets_are_skipped_and_a_cover_sheet_is_read_as_its_own_sheet():
    def write(workbook):
        workbook.add_worksheet("Титул").write(0, 0, "Перечень услуг")
        hidden = workbook.add_worksheet("Справочник")
        hidden.write(0, 0, "скрытый")
        hidden.hide()
        workbook.add_worksheet("Услуги").write(0, 0, "Наименование услуги")

    sheets = read_sheets(excel_workbook(write), "list.xlsx")
    assert [[row.cells for row in sheet] for sheet in sheets] == [
        [["Перечень услуг"]],
        [["Наименование услуги"]],
    ]


def test_rich_text_phonetic_readings_and_escaped_characters_read_as_excel_shows_them():
    strings = (
        "<si><r><t>Выдача </t></r><r><rPr><b/></rPr><t>справки</t></r>"
        "<rPh sb='0' eb='1'><t>фонетика</t></rPh></si>"
        "<si><t>первая строка_x000D_\nвторая, а _x005F_x000D_ так и пишется</t></si>"
    )
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>')
    assert cells(raw_xlsx(sheet, strings=strings)) == [
        ["Выдача справки", "первая строка\nвторая, а _x000D_ так и пишется"]
    ]


def test_a_workbook_of_another_program_reads_whatever_its_prefixes_and_missing_references():
    """A prefix on every element (.NET's x:), cells without their "r", rows without theirs,
    a 1904 calendar, a date style of the workbook's own."""
    styles = (
        f'<x:styleSheet xmlns:x="{MAIN}"><x:numFmts count="1">'
        '<x:numFmt numFmtId="170" formatCode="yyyy-mm-dd"/></x:numFmts>'
        '<x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="170"/></x:cellXfs>'
        "</x:styleSheet>"
    )
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>Наименование услуги</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:t>Дата</x:t></x:is></x:c></x:row>'
        '<x:row><x:c t="str"><x:v>Выдача справки</x:v></x:c><x:c s="1"><x:v>1</x:v></x:c>'
        "</x:row></x:sheetData></x:worksheet>"
    )
    data = raw_xlsx(sheet, styles=styles, workbook_pr='<workbookPr date1904="1"/>')
    assert cells(data) == [["Наименование услуги", "Дата"], ["Выдача справки", "02.01.1904"]]


def test_empty_cells_past_the_budgets_cost_nothing_and_are_dropped():
    """Programs that format whole rows write empty styled cells to the last column, and
    empty rows far down: no value, no refusal, no empty columns in what is read."""
    far_row = limits.MAX_SHEET_ROWS + 50_000
    sheet = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Наименование услуги</t></is></c>'
        '<c r="B1" s="1"/><c r="XFD1" s="1"/></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Выдача справки</t></is></c></row>'
        f'<row r="{far_row}"><c r="A{far_row}" s="1"/></row>'
    )
    assert cells(raw_xlsx(sheet)) == [["Наименование услуги"], ["Выдача справки"]]


def test_a_dimension_declaring_less_than_the_sheet_holds_is_not_trusted():
    sheet = sheet_xml(
        '<row r="3"><c r="C3" t="inlineStr"><is><t>Наименование услуги</t></is></c></row>',
        dimension="A1",
    )
    [row] = read_sheets(raw_xlsx(sheet), "list.xlsx")[0]
    assert (row.number, row.cells) == (3, ["", "", "Наименование услуги"])


@pytest.mark.parametrize(
    "damage",
    [
        b"PK\x03\x04 not a zip at all",
        raw_xlsx(sheet_xml('<row r="1"><c r="A1" t="s"><v>7</v></c></row>')),  # no string 7
        raw_xlsx("<worksheet><sheetData><row>"),  # cut off
    ],
    ids=["no zip", "a string that is not there", "XML cut off"],
)
def test_a_damaged_workbook_is_one_sentence(damage):
    with translation.override("en"), pytest.raises(SpreadsheetError, match="This is not an Excel"):
        read_sheets(damage, "list.xlsx")
