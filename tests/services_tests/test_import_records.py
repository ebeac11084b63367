"""Each import that wrote leaves its record — who, which file, for which department, what
it came to — and the digital office's first page lists its region's latest. A preview, a
refused file or a refused person leaves none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regions.importer import import_departments
from services.models import ImportRecord
from services.spreadsheets.importer import import_services, import_usage
from tests.services_tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db

LIST = [
    ["Наименование услуги", "Статус"],
    ["Постановка на очередь в детский сад", "электронная"],
    ["Новая услуга", "бумажная"],
]


def test_an_import_that_wrote_is_recorded_with_what_it_came_to(world):
    outcome = import_services(
        xlsx(LIST), "список 2026.xlsx", department=world.education, user=world.head_of_education
    )
    assert outcome.written
    record = ImportRecord.objects.get()
    assert (record.kind, record.region, record.department) == (
        ImportRecord.Kind.SERVICES,
        world.zhambyl,
        world.education,
    )
    assert (record.file_name, record.imported_by) == ("список 2026.xlsx", world.head_of_education)
    assert (record.created, record.updated, record.unchanged) == (1, 1, 0)


def test_a_dry_run_a_refused_file_and_a_refused_person_leave_no_record(world):
    import_services(
        xlsx(LIST), "a.xlsx", department=world.education, user=world.head_of_education, dry_run=True
    )
    bad = [["Наименование услуги", "Статус"], ["Новая услуга", "готово"]]
    refused = import_services(
        xlsx(bad), "b.xlsx", department=world.education, user=world.head_of_education
    )
    assert refused.problems
    someone_elses = import_services(
        xlsx(LIST), "c.xlsx", department=world.agriculture, user=world.head_of_education
    )
    assert someone_elses.problems
    assert not ImportRecord.objects.exists()


def test_the_admins_preview_leaves_none_and_its_confirmation_one(client, world):
    client.force_login(world.head_of_education)
    preview = client.post(
        reverse("admin:services_service_import"),
        {
            "resource": "0",
            "format": "0",
            "department": world.education.pk,
            "import_file": SimpleUploadedFile("список.xlsx", xlsx(LIST)),
        },
    )
    assert not ImportRecord.objects.exists()
    confirm = preview.context["confirm_form"]
    client.post(
        reverse("admin:services_service_process_import"),
        {**confirm.initial, "department": world.education.pk},
    )
    record = ImportRecord.objects.get()
    assert (record.file_name, record.imported_by, record.created) == (
        "список.xlsx",
        world.head_of_education,
        1,
    )


def test_deliveries_and_department_lists_are_recorded_for_their_region(world):
    usage = [
        ["Наименование услуги", "Месяц", "ЦОН"],
        ["Постановка на очередь в детский сад", "2026-01", 5],
    ]
    assert import_usage(
        xlsx(usage), "ЦОН.xlsx", department=world.education, user=world.head_of_education
    ).written
    departments = [["Код", "Наименование"], ["263", "Управление здравоохранения"]]
    outcome = import_departments(
        xlsx(departments), "басқармалар.xlsx", region=world.zhambyl, user=world.digital_office
    )
    assert outcome.ok, outcome.problems
    kinds = dict(ImportRecord.objects.values_list("kind", "region"))
    assert kinds == {
        ImportRecord.Kind.USAGE: world.zhambyl.pk,
        ImportRecord.Kind.DEPARTMENTS: world.zhambyl.pk,
    }


def test_the_digital_office_sees_its_regions_latest_imports(client, world):
    import_services(
        xlsx(LIST), "Жамбыл.xlsx", department=world.education, user=world.head_of_education
    )
    elsewhere = [
        ["Наименование услуги", "Статус"],
        ["Постановка на очередь в детский сад", "частичная"],
    ]
    import_services(
        xlsx(elsewhere), "Алматы.xlsx", department=world.almaty_education, user=world.head_in_almaty
    )
    client.force_login(world.digital_office)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    listed = page[page.index('id="imports"') :]
    listed = listed[: listed.index("</ul>")]
    assert "Жамбыл.xlsx" in listed and "Алматы.xlsx" not in listed
