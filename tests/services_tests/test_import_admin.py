"""Importing in the admin: upload, preview (a dry run), confirm — and the refusals."""

import io

import openpyxl
import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from regions.models import DepartmentAlias, ProviderLevel
from services import import_admin
from services.models import Service, Status, StatusChange
from tests.services_tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:services_service_import")
PROCESS = reverse("admin:services_service_process_import")


def upload(client, world, rows, department=None, language="en"):
    data = xlsx(rows)
    return client.post(
        IMPORT,
        {
            "resource": "0",
            "format": "0",  # the one format: told from the content
            "department": (department or world.education).pk,
            "import_file": SimpleUploadedFile("список.xlsx", data),
        },
        headers={"accept-language": language},
    )


def test_a_head_previews_then_confirms_an_import(client, world):
    client.force_login(world.head_of_education)
    assert client.get(IMPORT).status_code == 200
    preview = upload(
        client,
        world,
        [["Наименование услуги", "Статус"], ["Постановка на очередь в детский сад", "электронная"]],
    )
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER  # the preview wrote nothing
    confirm = preview.context["confirm_form"]
    response = client.post(PROCESS, {**confirm.initial, "department": world.education.pk})
    assert response.status_code == 302
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.ELECTRONIC
    assert "список.xlsx" in world.kindergarten.status_changes.latest().comment


def test_the_preview_shows_every_bad_row_and_offers_no_confirmation(client, world):
    client.force_login(world.head_of_education)
    before = StatusChange.objects.count()
    preview = upload(
        client,
        world,
        [
            ["Наименование услуги", "Статус"],
            ["Новая услуга", "готово"],
            ["Ещё одна", "бумажная"],
            ["Третья", "???"],
        ],
    )
    page = preview.content.decode()
    assert "row 2 of the file" in page and "row 4 of the file" in page
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert StatusChange.objects.count() == before
    assert not Service.objects.filter(name_ru="Ещё одна").exists()


def test_the_department_list_offers_only_departments_the_user_may_change(client, world):
    client.force_login(world.head_of_education)
    form = client.get(IMPORT).context["form"]
    assert list(form.fields["department"].queryset) == [world.education]
    response = upload(
        client, world, [["Наименование услуги"], ["Новая услуга"]], department=world.agriculture
    )
    assert "department" in response.context["form"].errors
    assert not Service.objects.filter(name_ru="Новая услуга").exists()


@pytest.mark.parametrize("actor", ["governor", "official", "national_analyst"])
def test_read_only_roles_cannot_import(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(IMPORT).status_code == 403


def test_the_import_screens_name_columns_in_the_readers_language(client, world):
    client.force_login(world.head_of_education)
    with translation.override("ru"):
        status = capfirst(str(Service._meta.get_field("status").verbose_name))
        row_of_file = gettext("Row of the file")
    form = client.get(IMPORT, headers={"accept-language": "ru"}).content.decode()
    assert status in form and "register_code" not in form and "file_row" not in form

    preview = upload(
        client, world, [["Наименование услуги", "Статус"], ["Новая", "???"]], language="ru"
    )
    [invalid] = preview.context["result"].invalid_rows
    assert list(invalid.field_specific_errors) == [status]
    assert preview.context["result"].diff_headers[0] == row_of_file


REFUSED = reverse("admin:services_service_refused_rows")


def test_the_preview_shows_each_change_old_to_new_in_the_readers_language(client, world):
    client.force_login(world.digital_office)
    preview = upload(
        client,
        world,
        [["Наименование услуги", "Статус"], ["Постановка на очередь в детский сад", "электронная"]],
        language="ru",
    )
    [changed] = preview.context["row_changes"]
    with translation.override("ru"):
        status = capfirst(str(Service._meta.get_field("status").verbose_name))
        assert changed.changes == [(status, str(Status.PAPER.label), str(Status.ELECTRONIC.label))]
    page = preview.content.decode()
    assert f"<del>{changed.changes[0][1]}</del> → " in page


def test_refused_rows_show_their_cells_and_reasons_and_download_as_xlsx(client, world):
    client.force_login(world.head_of_education)
    preview = upload(
        client,
        world,
        [
            ["Наименование услуги", "Статус", "Срок оказания"],
            ["Новая услуга", "готово", "15 дней"],
            ["Ещё одна", "бумажная", "5"],
        ],
    )
    [(number, cells, reasons)] = preview.context["refused"]
    assert (number, cells) == (2, ["Новая услуга", "готово", "15 дней"])
    assert "готово" in reasons[0]
    assert "Новая услуга" in preview.content.decode()

    download = client.post(REFUSED, {"stored_upload": preview.context["stored_upload"]})
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Наименование услуги", "Статус", "Срок оказания"]
    assert rows[1][:3] == ["Новая услуга", "готово", "15 дней"] and "готово" in rows[1][3]
    assert len(rows) == 2
    assert not Service.objects.filter(name_ru="Ещё одна").exists()


def choose_provider(client, preview, label, department, level):
    """The preview's form for an unknown provider label, sent as the browser does."""
    return client.post(
        IMPORT,
        {
            "stored_upload": preview.context["stored_upload"],
            "resource": "0",
            "format": "0",
            "map-TOTAL_FORMS": "1",
            "map-INITIAL_FORMS": "0",
            "map-0-label": label,
            "map-0-department": department.pk,
            "map-0-level": level,
        },
    )


def test_an_unknown_provider_is_mapped_in_the_preview_and_the_file_checked_again(client, world):
    client.force_login(world.digital_office)
    rows = [["Наименование услуги", "Услугодатель"], ["Регистрация брака", "отделы ЗАГС районов"]]
    preview = upload(client, world, rows)
    choices = preview.context["provider_choices"]
    assert [form.initial["label"] for form in choices] == ["отделы ЗАГС районов"]
    assert preview.context["unknown_rows"] == {"отделы ЗАГС районов": [2]}
    assert preview.context.get("confirm_form") is None

    again = choose_provider(client, preview, "отделы ЗАГС районов", world.agriculture, "district")
    assert again.status_code == 200
    assert again.context["refused"] == [] and again.context["confirm_form"] is not None
    alias = DepartmentAlias.objects.get()
    assert (alias.department, alias.level) == (world.agriculture, ProviderLevel.DISTRICT)
    confirm = again.context["confirm_form"]
    assert client.post(PROCESS, confirm.initial).status_code == 302
    service = Service.objects.get(name_ru="Регистрация брака")
    assert (service.department, service.provider_level) == (world.agriculture, "district")


def test_a_head_cannot_map_a_label_to_another_department(client, world):
    client.force_login(world.head_of_education)
    rows = [["Наименование услуги", "Услугодатель"], ["Регистрация брака", "отделы ЗАГС районов"]]
    preview = upload(client, world, rows)
    choose_provider(client, preview, "отделы ЗАГС районов", world.agriculture, "")
    assert not DepartmentAlias.objects.exists()


@pytest.mark.parametrize("who", ["head_of_agriculture", "digital_office"])
def test_another_persons_or_a_forged_upload_token_is_refused(client, world, who):
    client.force_login(world.head_of_education)
    preview = upload(client, world, [["Наименование услуги", "Статус"], ["Новая", "???"]])
    token = preview.context["stored_upload"]
    client.force_login(getattr(world, who))
    assert client.post(REFUSED, {"stored_upload": token}).status_code == 403
    assert client.post(REFUSED, {"stored_upload": token[:-2] + "xx"}).status_code == 403
    forged = client.post(IMPORT, {"stored_upload": token, "resource": "0", "format": "0"})
    assert forged.status_code == 403


def test_the_format_is_not_chosen_and_an_old_xls_is_answered_in_words(client, world):
    client.force_login(world.head_of_education)
    form = client.get(IMPORT).context["form"]
    assert len(form.fields["format"].choices) == 1
    response = client.post(
        IMPORT,
        {
            "resource": "0",
            "format": "0",
            "department": world.education.pk,
            "import_file": SimpleUploadedFile(
                "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 99
            ),
        },
        headers={"accept-language": "ru"},
    )
    with translation.override("ru"):
        expected = gettext(
            "This is an Excel 97–2003 (.xls) file. Open it in Excel, save it as an Excel "
            "workbook (.xlsx) or as CSV, and import that file."
        )
    assert response.context["form"].errors["import_file"] == [expected]


def test_a_long_file_previews_its_first_rows_and_counts_the_rest(client, world, monkeypatch):
    monkeypatch.setattr(import_admin, "PREVIEW_ROWS", 2)
    client.force_login(world.head_of_education)
    rows = [["Наименование услуги"], *([f"Новая услуга {n}"] for n in range(5))]
    preview = upload(client, world, rows)
    assert len(preview.context["row_changes"]) == 2 and preview.context["more_changes"] == 3


def test_a_read_only_role_cannot_ask_for_refused_rows(client, world):
    client.force_login(world.head_of_education)
    token = upload(client, world, [["Наименование услуги", "Статус"], ["Новая", "???"]]).context[
        "stored_upload"
    ]
    client.force_login(world.governor)
    assert client.post(REFUSED, {"stored_upload": token}).status_code == 403
    client.force_login(world.head_of_education)
    assert client.get(REFUSED).status_code == 403  # a download is asked for by the form


@pytest.mark.parametrize(
    ("stored", "department"),
    [("0123456789abcdef0123456789abcdef", "agriculture"), ("../../etc/passwd", "education")],
)
def test_a_token_for_a_department_not_ones_own_or_for_a_path_is_refused(
    client, world, stored, department
):
    """Signed for this very user, but naming a department they may not change, or a file
    outside the upload folder: neither is read."""
    client.force_login(world.head_of_education)
    token = import_admin.sign_upload(
        world.head_of_education,
        stored,
        "список.xlsx",
        getattr(world, department).pk,
        purpose="services.service",
    )
    if "/" in stored:  # sign_upload itself keeps only a name: forge the path by hand
        token = signing.dumps(
            {
                "user": world.head_of_education.pk,
                "stored": stored,
                "name": "x",
                "place": world.education.pk,
                "for": "services.service",
            },
            salt=import_admin.UPLOAD_SALT,
        )
    assert client.post(REFUSED, {"stored_upload": token}).status_code == 403
    remap = client.post(IMPORT, {"stored_upload": token, "resource": "0", "format": "0"})
    assert remap.status_code == 403
    assert not DepartmentAlias.objects.exists()
