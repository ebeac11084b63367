"""Importing monthly usage tables: a row per service and month, a column per channel."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from services.models import Usage
from services.spreadsheets.importer import import_usage
from tests.services_tests.spreadsheet_files import csv_file, xlsx

pytestmark = pytest.mark.django_db

TABLE = [
    ["Сведения об оказании государственных услуг за 2026 год"],
    ["№", "Наименование услуги", "Месяц", "Портал eGov", "ЦОН", "Канцелярия"],
    ["1. Дошкольное образование"],
    [1, "Постановка на очередь в детский сад", "01.2026", 120, 30, ""],
    [2, "Постановка на очередь в детский сад", "февраль 2026", "140", "25", "5"],
    [3, "Зачисление в 1 класс", "2026-01", 200, 0, 10],
    ["Итого", "", "", 460, 55, 15],
]


def run(world, data, name="usage.xlsx", *, user=None, dry_run=False):
    return import_usage(
        data,
        name,
        department=world.education,
        user=user or world.head_of_education,
        dry_run=dry_run,
    )


def counts():
    return {
        (u.service.name_ru, u.month, u.channel): u.count
        for u in Usage.objects.select_related("service")
    }


def test_a_usage_table_becomes_monthly_figures_by_channel(world):
    outcome = run(world, xlsx(TABLE, merges=("A1:F1", "A3:F3")))
    assert outcome.problems == []
    found = counts()
    assert found[("Постановка на очередь в детский сад", date(2026, 2, 1), "office")] == 5
    assert found[("Постановка на очередь в детский сад", date(2026, 1, 1), "egov")] == 120
    assert found[("Зачисление в 1 класс", date(2026, 1, 1), "psc")] == 0
    assert len(found) == 8  # the empty office cell of row 4 is not a figure


def test_importing_again_updates_the_figures_instead_of_adding_rows(world):
    run(world, xlsx(TABLE))
    table = [row[:] for row in TABLE]
    table[3][3] = 150
    outcome = run(world, xlsx(table))
    assert (outcome.created, outcome.updated) == (0, 1)
    assert Usage.objects.count() == 8


def test_kazakh_headers_in_a_utf8_csv_with_bom_work_too(world):
    # Windows-1251 has no Kazakh letters: Kazakh files come as UTF-8, often with a BOM.
    data = b"\xef\xbb\xbf" + csv_file(
        [
            ["Қызмет атауы", "Кезең", "eGov", "ХҚКО"],
            ["Зачисление в 1 класс", "қаңтар 2026", "15", "3"],
        ]
    )
    assert run(world, data, "usage.csv").problems == []
    assert counts()[("Зачисление в 1 класс", date(2026, 1, 1), "egov")] == 15


def test_an_unknown_service_or_a_bad_month_fails_the_whole_file_with_rows_named(world):
    table = [
        TABLE[1],
        [1, "Постановка на очередь в детский сад", "01.2026", 120, 30, 1],
        [2, "Несуществующая услуга", "01.2026", 1, 1, 1],
        [3, "Зачисление в 1 класс", "тринадцатый месяц", 1, 1, 1],
    ]
    with translation.override("en"):
        outcome = run(world, xlsx(table))
    assert not Usage.objects.exists()
    assert any(
        p.startswith("row 3 of the file") and "Несуществующая" in p for p in outcome.problems
    )
    assert any(p.startswith("row 4 of the file") and "not a month" in p for p in outcome.problems)


def test_a_services_of_another_department_cannot_be_given_usage(world):
    table = [TABLE[1], [1, "Субсидирование семян", "01.2026", 1, 1, 1]]
    outcome = run(world, xlsx(table))
    assert outcome.problems and not Usage.objects.exists()


def test_a_reader_cannot_import_usage(world):
    outcome = run(world, xlsx(TABLE), user=world.governor)
    assert outcome.problems and not Usage.objects.exists()


def test_a_table_without_month_or_channels_is_refused_clearly(world):
    with translation.override("en"):
        outcome = run(world, xlsx([["Наименование услуги", "Статус"], ["А", "эл."]]))
    assert outcome.problems == [
        "A usage table needs a month column and at least one column of deliveries by channel "
        "(eGov, mGov, ЦОН / ХҚКО, канцелярия / кеңсе, video call)."
    ]


def test_the_admin_imports_usage_with_a_preview(client, world):
    client.force_login(world.head_of_education)
    preview = client.post(
        reverse("admin:services_usage_import"),
        {
            "resource": "0",
            "format": "0",
            "department": world.education.pk,
            "import_file": SimpleUploadedFile("usage.xlsx", xlsx(TABLE)),
        },
    )
    assert preview.context["result"].totals["new"] == 8
    assert not Usage.objects.exists()
    confirm = preview.context["confirm_form"]
    client.post(
        reverse("admin:services_usage_process_import"),
        {**confirm.initial, "department": world.education.pk},
    )
    assert Usage.objects.count() == 8


def test_the_command_imports_usage(world, tmp_path):
    path = tmp_path / "usage.xlsx"
    path.write_bytes(xlsx(TABLE))
    call_command(
        "import_services", str(path), "--department", "KZ-31/EDU", "--user", "head.edu", "--usage"
    )
    assert Usage.objects.count() == 8


def test_the_usage_preview_shows_a_refused_row_as_the_file_has_it(client, world):
    client.force_login(world.head_of_education)
    data = xlsx(
        [
            ["Наименование услуги", "Месяц", "ЦОН"],
            ["Постановка на очередь в детский сад", "01.2026", "много"],
            ["Зачисление в 1 класс", "01.2026", "5"],
        ]
    )
    preview = client.post(
        reverse("admin:services_usage_import"),
        {
            "resource": "0",
            "format": "0",
            "department": world.education.pk,
            "import_file": SimpleUploadedFile("usage.xlsx", data),
        },
    )
    [(number, cells, reasons)] = preview.context["refused"]
    assert (number, cells) == (2, ["Постановка на очередь в детский сад", "01.2026", "много"])
    assert "много" in reasons[0]
    assert not Usage.objects.filter(count=5).exists()
