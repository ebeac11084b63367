"""Messy spreadsheets as offices make them, built in code for the import tests."""

import csv
import io

import openpyxl


def xlsx(rows: list[list], *, merges: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(
    rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8", errors: str = "strict"
) -> bytes:
    """``errors="replace"`` is what Excel does saving Kazakh letters as Windows-1251: "?"."""
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding, errors=errors)
