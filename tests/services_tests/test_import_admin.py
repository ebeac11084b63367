"""Importing in the admin: upload, preview (a dry run), confirm — and the refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

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
            "format": "0",  # OfficeXLSX
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
