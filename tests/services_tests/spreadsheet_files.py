"""Messy spreadsheets as offices make them, built in code for the import tests."""

import csv
import io
import zipfile

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


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_xml(rows: str = "", *, dimension: str = "", merges: tuple[str, ...] = ()) -> str:
    """A worksheet's XML as Excel lays it out: the dimension first, the rows, the merged
    ranges after them."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    merged = "".join(f'<mergeCell ref="{cells}"/>' for cells in merges)
    merged = f'<mergeCells count="{len(merges)}">{merged}</mergeCells>' if merges else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}" '
        f'xmlns:r="{RELATIONS}">{declared}<sheetData>{rows}</sheetData>{merged}</worksheet>'
    )


def raw_xlsx(*sheets: str, strings: str = "", styles: str = "", workbook_pr: str = "") -> bytes:
    """A workbook written part by part, as no library would write it: what a hostile or
    an odd file holds, byte for byte. ``sheets`` are worksheet XML (see sheet_xml);
    ``strings`` the <si> items of the shared strings; ``styles`` a whole styles part."""
    buffer = io.BytesIO()
    relations = [
        (f"rId{n}", "worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)
    ]
    if strings:
        relations.append(("rIdS", "sharedStrings", "sharedStrings.xml"))
    if styles:
        relations.append(("rIdT", "styles", "styles.xml"))
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [("/xl/workbook.xml", "sheet.main")]
    overrides += [(f"/xl/worksheets/sheet{n}.xml", "worksheet") for n in range(1, len(sheets) + 1)]
    overrides += [("/xl/sharedStrings.xml", "sharedStrings")] if strings else []
    overrides += [("/xl/styles.xml", "styles")] if styles else []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(
                f'<Override PartName="{part}" ContentType="{office}.{kind}+xml"/>'
                for part, kind in overrides
            )
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_RELATIONS}"><Relationship Id="rId1" '
            f'Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        listed = "".join(
            f'<sheet name="Лист{n}" sheetId="{n}" r:id="rId{n}"/>'
            for n in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}">{workbook_pr}'
            f"<sheets>{listed}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE_RELATIONS}">'
            + "".join(
                f'<Relationship Id="{key}" Type="{RELATIONS}/{kind}" Target="{target}"/>'
                for key, kind, target in relations
            )
            + "</Relationships>",
        )
        for n, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", sheet)
        if strings:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{strings}</sst>')
        if styles:
            archive.writestr("xl/styles.xml", styles)
    return buffer.getvalue()
