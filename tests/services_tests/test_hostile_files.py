"""Hostile files and hostile confirmations, as an adversarial test of the running app sent
them (issue 13).

Each file is refused with the project's own sentence naming the limit and what the file
declared, and reading it stays under MEMORY_BUDGET (tracemalloc's peak around the read,
never wall time). Before, one cell at XFD2000 took 144 s and 6.2 GB, a merged A1:XFD200
1.8 GB, a zip bomb was unpacked whole before it was refused. Every route that reads a file
(the admin, the commands, department lists) refuses the same way; a refused upload leaves
nothing in the temporary folder. The confirmation imports only an upload the person made:
a forged, foreign, expired or path-like token, or a format or resource never offered, is a
page saying why (400 or 403), never a 500, and nothing is imported.
"""

import io
import os
import tempfile
import time
import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from regions.importer import import_departments
from regions.models import Department, User
from services import import_admin
from services.models import Service, StatusChange
from services.spreadsheets import limits
from services.spreadsheets.importer import import_services
from services.spreadsheets.reading import SpreadsheetError, read_sheets
from tests.services_tests.spreadsheet_files import MAIN, raw_xlsx, sheet_xml, xlsx

MB = 1024 * 1024
MEMORY_BUDGET = 50 * MB  # what reading one hostile file may allocate at its peak


# --- the files ----------------------------------------------------------------------------


def one_cell_at(coordinate: str) -> bytes:
    """As an office program writes it (openpyxl here): the dimension names the cell."""
    workbook = openpyxl.Workbook()
    workbook.active[coordinate] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text_cell(reference: str, text: str = "x") -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def merged_over(cells: str) -> bytes:
    """One value, merged over ``cells``; no dimension declared, so only the merge says it."""
    return raw_xlsx(sheet_xml(f'<row r="1">{text_cell("A1")}</row>', merges=(cells,)))


def value_under_a_dimension_that_lies() -> bytes:
    """The dimension claims two cells; the sheet holds one at XFD2000."""
    return raw_xlsx(sheet_xml(f'<row r="2000">{text_cell("XFD2000")}</row>', dimension="A1:B2"))


def zip_bomb(unpacked_mb: int) -> bytes:
    """A sheet of ``unpacked_mb`` MB of one row repeated, packed to a few hundred KB,
    written to the zip in pieces (the test never holds the unpacked sheet)."""
    workbook = raw_xlsx(sheet_xml())
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for name in source.namelist():
            if name != "xl/worksheets/sheet1.xml":
                bomb.writestr(name, source.read(name))
        row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
        rows = unpacked_mb * MB // len(row)
        with bomb.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for written in range(0, rows, 20_000):
                sheet.write(row * min(20_000, rows - written))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def declared_rows(count: int) -> bytes:
    return raw_xlsx(sheet_xml(f'<row r="1">{text_cell("A1")}</row>', dimension=f"A1:B{count}"))


def merged_cells_over_the_budget() -> bytes:
    """200 columns × 600 rows merged: within the columns and rows, past the merged cells."""
    return merged_over("A1:GR600")


def entity_bomb() -> bytes:
    """A billion laughs in a sheet: a DOCTYPE, which no workbook has."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&i;</t></is></c></row></sheetData></worksheet>"
    )
    return raw_xlsx(sheet)


def too_many_parts() -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw_xlsx(sheet_xml()))) as source,
        zipfile.ZipFile(buffer, "w") as crowded,
    ):
        for name in source.namelist():
            crowded.writestr(name, source.read(name))
        for n in range(6_000):
            crowded.writestr(f"customXml/item{n}.xml", b"")
    return buffer.getvalue()


def cell_longer_than_excel_allows() -> bytes:
    return raw_xlsx(
        sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        strings=f"<si><t>{'я' * 40_000}</t></si>",
    )


HOSTILE = {
    "one cell at XFD2000": (
        lambda: one_cell_at("XFD2000"),
        "The sheet “Sheet” of the file declares 16,384 columns; a list has at most 200.",
    ),
    "one cell at XFD500": (
        lambda: one_cell_at("XFD500"),
        "The sheet “Sheet” of the file declares 16,384 columns; a list has at most 200.",
    ),
    "merged A1:XFD200": (
        lambda: merged_over("A1:XFD200"),
        "The sheet “Лист1” of the file merges the cells A1:XFD200, up to column 16,384; a "
        "list has at most 200 columns. Nothing was imported.",
    ),
    "a value at XFD2000 under a dimension that lies": (
        value_under_a_dimension_that_lies,
        "The sheet “Лист1” of the file has a value in cell XFD2000, column 16,384; a list "
        "has at most 200 columns. Nothing was imported.",
    ),
    "a zip bomb of a 90 MB sheet": (
        lambda: zip_bomb(90),
        "The part “xl/worksheets/sheet1.xml” of the file unpacks to 90.0 MB; a part of a "
        "workbook may unpack to at most 50.0 MB. Nothing was imported.",
    ),
    "a 30 MB sheet packed a thousand times over": (
        lambda: zip_bomb(30),
        "times over; real workbooks pack at most 100 times. This is how a zip bomb looks.",
    ),
    "a million rows declared": (
        lambda: declared_rows(1_048_576),
        "declares 1,048,576 rows; a list has at most 100,000.",
    ),
    "120,000 merged cells": (
        merged_cells_over_the_budget,
        "The merged cells of the sheet “Лист1” cover more than 100,000 cells",
    ),
    "a billion laughs": (
        entity_bomb,
        "This is not an Excel (.xlsx) file that can be read.",
    ),
    "a zip of 6,000 parts": (
        too_many_parts,
        "The file is a zip of 6,005 parts; a workbook has at most 5,000. Nothing was imported.",
    ),
    "a cell of 40,000 characters": (
        cell_longer_than_excel_allows,
        "A cell of the file holds more than 32,767 characters, more than Excel allows.",
    ),
    "a CSV of a million columns": (
        lambda: b"a;" * 1_000_000,
        "Line 1 of the file makes a row of more than 200,000 characters; a row of a list is "
        "far shorter. Nothing was imported.",
    ),
    "a CSV line of 5 MB": (
        lambda: b"x" * (5 * MB),
        "Line 1 of the file makes a row of more than 200,000 characters",
    ),
    "a CSV row of 300 columns": (
        lambda: ";".join(["Наименование услуги"] * 300).encode(),
        "Row 1 of the file has 300 columns; a list has at most 200. Nothing was imported.",
    ),
}


def refusal_and_peak(data: bytes) -> tuple[str, int]:
    """The refusal of reading ``data``, in English, and the peak bytes allocated by it."""
    with translation.override("en"):
        tracemalloc.start()
        try:
            with pytest.raises(SpreadsheetError) as refusal:
                read_sheets(data, "hostile file")
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return str(refusal.value), peak


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_in_words_before_it_costs_memory(name):
    build, sentence = HOSTILE[name]
    message, peak = refusal_and_peak(build())
    assert sentence in message
    assert peak < MEMORY_BUDGET, f"{name}: {peak / MB:.1f} MB"


def test_the_budgets_are_named_constants_a_test_can_lower(monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 3)
    data = xlsx([["Наименование услуги", "Статус", "Срок", "Примечание"]])
    message, _peak = refusal_and_peak(data)
    assert "declares 4 columns; a list has at most 3." in message


# --- every route into the database reads through the same checks ---------------------------


@pytest.mark.django_db
def test_the_service_import_refuses_a_hostile_file_and_writes_nothing(world):
    before = StatusChange.objects.count()
    with translation.override("en"):
        outcome = import_services(
            one_cell_at("XFD2000"),
            "hostile.xlsx",
            department=world.education,
            user=world.head_of_education,
        )
    assert outcome.problems and "declares 16,384 columns" in outcome.problems[0]
    assert not outcome.written and StatusChange.objects.count() == before


@pytest.mark.django_db
def test_the_command_refuses_a_hostile_file_in_the_users_language(world, tmp_path):
    User.objects.filter(pk=world.head_of_education.pk).update(language="en")
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(merged_over("A1:XFD200"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_services",
            str(path),
            "--department",
            "KZ-31/EDU",
            "--user",
            "head.edu",
            stdout=StringIO(),
            stderr=err,
        )
    assert "merges the cells A1:XFD200, up to column 16,384" in err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_services", "import_departments"])
def test_a_command_refuses_an_oversize_file_by_its_size_without_reading_it(
    world, tmp_path, settings, monkeypatch, command
):
    User.objects.update(language="en")
    settings.IMPORT_MAX_BYTES = 2000
    path = tmp_path / "huge.csv"
    path.write_bytes(b"x;" * 5000)
    monkeypatch.setattr(Path, "read_bytes", lambda _path: pytest.fail("the file was read"))
    place = ["--department", "KZ-31/EDU"] if command == "import_services" else ["--region", "KZ-31"]
    with pytest.raises(CommandError, match=r"files of up to 0\.0 MB can be imported"):
        call_command(command, str(path), *place, "--user", "digital", stdout=StringIO())


@pytest.mark.django_db
def test_the_department_list_import_refuses_a_hostile_file(world):
    before = Department.objects.count()
    with translation.override("en"):
        outcome = import_departments(
            zip_bomb(90), "departments.xlsx", region=world.zhambyl, user=world.digital_office
        )
    assert "a part of a workbook may unpack to at most 50.0 MB" in outcome.problems[0]
    assert Department.objects.count() == before


# --- the admin: refusals in words, nothing left in the temporary folder -------------------

SERVICE_IMPORT = reverse("admin:services_service_import")
SERVICE_PROCESS = reverse("admin:services_service_process_import")
USAGE_IMPORT = reverse("admin:services_usage_import")
DEPARTMENT_IMPORT = reverse("admin:regions_department_import")
DEPARTMENT_PROCESS = reverse("admin:regions_department_process_import")
NEW_SERVICE = [["Наименование услуги", "Статус"], ["Новая услуга", "бумажная"]]


@pytest.fixture
def temp_folder(tmp_path, settings, monkeypatch):
    """The system's temporary folder, this test's own, and uploads kept where they are
    by default (a folder of their own inside it): whatever any version of the import
    leaves behind shows under it."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    settings.IMPORT_UPLOAD_DIR = ""
    return root


def files_in(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def upload(client, url, data, *, place, name="список.xlsx"):
    return client.post(
        url,
        {
            "resource": "0",
            "format": "0",
            place[0]: place[1].pk,
            "import_file": SimpleUploadedFile(name, data),
        },
        headers={"accept-language": "en"},
    )


def admin_upload(client, world, kind, data):
    if kind == "services":
        client.force_login(world.head_of_education)
        return upload(client, SERVICE_IMPORT, data, place=("department", world.education))
    client.force_login(world.digital_office)
    return upload(client, DEPARTMENT_IMPORT, data, place=("region", world.zhambyl))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["services", "departments"])
@pytest.mark.parametrize("name", ["one cell at XFD2000", "a zip bomb of a 90 MB sheet"])
def test_a_hostile_upload_is_refused_in_words_and_nothing_is_kept(
    client, world, temp_folder, kind, name
):
    build, sentence = HOSTILE[name]
    response = admin_upload(client, world, kind, build())
    assert response.status_code == 200
    [error] = response.context["form"].errors["import_file"]
    assert sentence in error and "encountered while trying to read" not in error
    assert files_in(temp_folder) == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["services", "departments"])
def test_a_file_refused_once_read_is_said_in_words_and_removed(client, world, temp_folder, kind):
    """It passes the checks made before storing (a value at XFD2000 the dimension does
    not declare), so it is stored, read, refused — and removed."""
    response = admin_upload(client, world, kind, value_under_a_dimension_that_lies())
    [error] = response.context["form"].errors["import_file"]
    assert "has a value in cell XFD2000" in error
    assert "encountered while trying to read" not in error
    assert files_in(temp_folder) == []


@pytest.mark.django_db
def test_an_upload_over_the_size_limit_is_refused_before_it_is_stored(
    client, world, temp_folder, settings
):
    settings.IMPORT_MAX_BYTES = 2000
    response = admin_upload(client, world, "services", b"x;" * 5000)
    [error] = response.context["form"].errors["import_file"]
    assert error == "The file is 0.0 MB; files of up to 0.0 MB can be imported."
    assert files_in(temp_folder) == []


@pytest.mark.django_db
def test_an_upload_left_in_a_preview_overnight_goes_when_another_comes(client, world, temp_folder):
    first = admin_upload(client, world, "services", xlsx(NEW_SERVICE))
    assert first.context["confirm_form"] is not None
    [left] = files_in(temp_folder)
    day_ago = time.time() - import_admin.UPLOAD_MAX_AGE - 60
    os.utime(temp_folder / left, (day_ago, day_ago))
    (temp_folder / left).with_name("notes.txt").write_text("not an upload")
    admin_upload(client, world, "services", xlsx(NEW_SERVICE))
    remaining = files_in(temp_folder)
    assert left not in remaining and len(remaining) == 2  # the new upload, and the notes


# --- the confirmation takes only the person's own upload ----------------------------------


def previewed(client, world, rows=NEW_SERVICE):
    """The head of education's preview of a new service: the confirm form's fields."""
    client.force_login(world.head_of_education)
    response = upload(client, SERVICE_IMPORT, xlsx(rows), place=("department", world.education))
    return dict(response.context["confirm_form"].initial)


def nothing_imported():
    return not Service.objects.filter(name_ru="Новая услуга").exists()


@pytest.mark.django_db
def test_another_heads_confirmation_of_ones_upload_is_refused_and_it_stays_for_its_owner(
    client, world, temp_folder
):
    """The head of agriculture sends the head of education's token, and the stored name
    as django-import-export's form would carry it, into their own department."""
    confirm = previewed(client, world)
    [stored] = files_in(temp_folder)
    client.force_login(world.head_of_agriculture)
    response = client.post(
        SERVICE_PROCESS,
        {
            **confirm,
            "department": world.agriculture.pk,
            "import_file_name": os.path.basename(stored),
            "original_file_name": "их список.xlsx",
        },
        headers={"accept-language": "en"},
    )
    assert response.status_code == 403
    assert response.context["refusal"] == "This preview is not yours."
    assert nothing_imported() and files_in(temp_folder) == [stored]

    client.force_login(world.head_of_education)
    assert client.post(SERVICE_PROCESS, confirm).status_code == 302
    assert Service.objects.get(name_ru="Новая услуга").department == world.education
    assert files_in(temp_folder) == []  # imported: the upload goes


@pytest.mark.django_db
def test_an_upload_previewed_for_one_department_is_not_confirmed_into_another(
    client, world, temp_folder
):
    """The digital office may change both departments; the token binds the one the file
    was previewed for."""
    client.force_login(world.digital_office)
    preview = upload(
        client, SERVICE_IMPORT, xlsx(NEW_SERVICE), place=("department", world.education)
    )
    confirm = dict(preview.context["confirm_form"].initial)
    response = client.post(
        SERVICE_PROCESS,
        {**confirm, "department": world.agriculture.pk},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 403
    assert "may not import into" in response.context["refusal"]
    assert nothing_imported()


def forged_token(world, stored: str) -> str:
    """Signed with the site's own key, as only a leaked key would allow: still refused
    when it names anything but an upload's random name."""
    return signing.dumps(
        {
            "user": world.head_of_education.pk,
            "stored": stored,
            "name": "passwd",
            "place": world.education.pk,
            "for": "services.service",
        },
        salt=import_admin.UPLOAD_SALT,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"stored_upload": "garbage"},
        {"stored_upload": "tampered"},
        {"stored_upload": "path"},
        {"stored_upload": "", "import_file_name": "../../etc/passwd"},
        {"stored_upload": "", "import_file_name": "/etc/passwd"},
    ],
    ids=["garbage", "tampered", "path", "client's relative path", "client's absolute path"],
)
def test_a_forged_or_missing_token_imports_nothing(client, world, temp_folder, change):
    confirm = previewed(client, world)
    token = change["stored_upload"]
    if token == "tampered":
        token = confirm["stored_upload"][:-3] + "xyz"
    elif token == "path":
        token = forged_token(world, "../../etc/passwd")
    response = client.post(
        SERVICE_PROCESS,
        {**confirm, **change, "stored_upload": token},
        headers={"accept-language": "en"},
    )
    assert response.status_code in (400, 403)
    assert response.context["refusal"] in (
        "This preview has expired; upload the file again.",
        "This preview is not yours.",
    )
    assert "Upload the file again" in response.content.decode()
    assert nothing_imported()


@pytest.mark.django_db
def test_an_expired_token_is_refused(client, world, temp_folder, monkeypatch):
    confirm = previewed(client, world)
    monkeypatch.setattr(import_admin, "UPLOAD_MAX_AGE", -1)
    response = client.post(SERVICE_PROCESS, confirm, headers={"accept-language": "en"})
    assert response.status_code == 403
    assert response.context["refusal"] == "This preview has expired; upload the file again."
    assert nothing_imported()


@pytest.mark.django_db
def test_a_token_of_the_usage_import_does_not_confirm_a_service_list(client, world, temp_folder):
    client.force_login(world.head_of_education)
    usage = upload(
        client,
        USAGE_IMPORT,
        xlsx([["Наименование услуги", "Месяц", "Портал eGov"], ["Новая услуга", "01.2026", 5]]),
        place=("department", world.education),
    )
    token = usage.context["stored_upload"]
    confirm = previewed(client, world)
    response = client.post(SERVICE_PROCESS, {**confirm, "stored_upload": token})
    assert response.status_code == 403 and nothing_imported()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "junk",
    [
        {"format": "abc"},
        {"format": "99"},
        {"format": "-1"},
        {"format": ""},
        {"resource": "5"},
        {"resource": "x"},
    ],
    ids=lambda junk: "=".join(*junk.items()) or "empty",
)
def test_a_format_or_resource_never_offered_is_answered_400(client, world, temp_folder, junk):
    confirm = previewed(client, world)
    response = client.post(SERVICE_PROCESS, {**confirm, **junk}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.context["refusal"] == (
        "This confirmation is not one the preview offered; upload the file again."
    )
    assert nothing_imported()


@pytest.mark.django_db
@pytest.mark.parametrize("junk", [{"format": "abc"}, {"resource": "5"}, {"stored_upload": ""}])
def test_the_department_list_confirmation_refuses_junk_too(client, world, temp_folder, junk):
    client.force_login(world.digital_office)
    preview = upload(
        client,
        DEPARTMENT_IMPORT,
        xlsx([["Код", "Наименование"], ["263", "Управление здравоохранения"]]),
        place=("region", world.zhambyl),
    )
    confirm = dict(preview.context["confirm_form"].initial)
    response = client.post(DEPARTMENT_PROCESS, {**confirm, **junk})
    assert response.status_code == 400
    assert not Department.objects.filter(code="263").exists()


@pytest.mark.django_db
def test_a_file_changed_after_its_preview_is_refused_in_words_and_removed(
    client, world, temp_folder
):
    """Between preview and confirmation the stored file became a hostile one: read again
    at the confirmation, it is refused like any other, not a 500."""
    confirm = previewed(client, world)
    [stored] = files_in(temp_folder)
    (temp_folder / stored).write_bytes(one_cell_at("XFD2000"))
    response = client.post(SERVICE_PROCESS, confirm, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert "declares 16,384 columns" in response.context["refusal"]
    assert nothing_imported() and files_in(temp_folder) == []
