"""Importing the service lists offices really send: layouts, encodings, spellings,
and the refusals that keep a bad file from writing anything."""

import gc

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from regions.models import User
from services.models import Service, Status, StatusChange
from services.spreadsheets.importer import import_services
from tests.services_tests.spreadsheet_files import csv_file, xlsx

pytestmark = pytest.mark.django_db

TITLE = "Перечень государственных услуг, оказываемых управлением образования"
HEADER = ["№ п/п", "Наименование госуслуги", "Код", "Форма оказания", "Социально значимая"]


def run(world, data, name="list.xlsx", *, user=None, department=None, dry_run=False):
    return import_services(
        data,
        name,
        department=department or world.education,
        user=user or world.digital_office,  # reading files; heads' claims: test_claims.py
        dry_run=dry_run,
    )


def education():
    return {
        s.name_ru: s
        for s in Service.objects.filter(department__code="EDU", department__region__code="KZ-31")
    }


def snapshot():
    return (
        list(Service.objects.order_by("pk").values()),
        list(StatusChange.objects.order_by("pk").values()),
    )


# --- layouts ------------------------------------------------------------------------------


def test_an_office_xlsx_with_title_sections_blanks_and_a_total_imports_the_services(world):
    data = xlsx(
        [
            [TITLE],
            [],
            ["по состоянию на 01.10.2025"],
            HEADER,
            ["1. Дошкольное образование"],
            [1, "Постановка на очередь в детский сад", "", "Электронная", "да"],
            [],
            ["2. Дополнительное образование"],
            [2, "Зачисление в кружки\u00a0и секции ", "00112233", "бумажная", "нет"],
            [3, "Выдача\nсправки об обучении", "", "частично автоматизированная", ""],
            ["Итого", "", "", "", ""],
            ["Исполнитель: Иванова А., тел. 8 (7262) 43-00-00"],
        ],
        merges=("A1:E1", "A5:E5", "A8:E8"),
    )
    outcome = run(world, data)
    assert outcome.problems == []
    assert (outcome.created, outcome.updated) == (2, 1)
    services = education()
    assert services["Постановка на очередь в детский сад"].status == Status.ELECTRONIC
    clubs = services["Зачисление в кружки и секции"]
    assert (clubs.status, clubs.register_code, clubs.socially_significant) == (
        Status.PAPER,
        "00112233",
        False,
    )
    assert services["Выдача справки об обучении"].status == Status.PARTIAL
    assert "Итого" not in services and not any("Исполнитель" in n for n in services)


def test_a_header_merged_over_two_rows_gives_each_language_its_column(world):
    data = xlsx(
        [
            ["№", "Наименование услуги", "", "Статус"],
            ["", "на русском языке", "на казахском языке", ""],
            [1, "Выдача архивной справки", "Архивтік анықтама беру", "қағаз"],
        ],
        merges=("B1:C1", "A1:A2", "D1:D2"),
    )
    outcome = run(world, data)
    assert outcome.problems == []
    archive = education()["Выдача архивной справки"]
    assert (archive.name_kk, archive.status) == ("Архивтік анықтама беру", Status.PAPER)


def test_kazakh_headers_and_spellings_are_understood(world):
    data = xlsx(
        [
            [
                "Қызмет атауы",
                "Мәртебе",
                "Әлеуметтік маңызы бар",
                "Құжаттар саны",
                "Көрсету мерзімі",
            ],
            ["Мектепке дейінгі ұйымдарға жолдама беру", "электрондық", "иә", "2", "1 күн"],
        ]
    )
    outcome = run(world, data)
    assert outcome.problems == []
    service = Service.objects.get(name_kk="Мектепке дейінгі ұйымдарға жолдама беру")
    assert (
        service.status,
        service.socially_significant,
        service.documents_required,
        service.term_days,
    ) == (Status.ELECTRONIC, True, 2, 1)


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("utf-8", ";", False),
        ("utf-8", ",", False),
        ("utf-8", ";", True),
        ("cp1251", ";", False),
        ("cp1251", ",", False),
    ],
)
def test_csv_in_any_common_encoding_and_separator(world, encoding, delimiter, bom):
    data = csv_file(
        [
            ["Перечень услуг", "", ""],
            ["Наименование услуги", "Статус", "Причина"],
            ["Выдача справки, подтверждающей обучение", "эл.", ""],
            ["Выдача разрешения на экстернат", "бум.", "Нет интеграции с ГБД ФЛ; подпись"],
        ],
        delimiter=delimiter,
        encoding=encoding,
    )
    if bom:
        data = b"\xef\xbb\xbf" + data
    outcome = run(world, data, "list.csv")
    assert outcome.problems == []
    services = education()
    assert services["Выдача справки, подтверждающей обучение"].status == Status.ELECTRONIC
    assert services["Выдача разрешения на экстернат"].blocker == (
        "Нет интеграции с ГБД ФЛ; подпись"
    )


def test_a_register_code_excel_turned_into_a_number_gets_its_zeros_back(world):
    data = xlsx([["Код", "Наименование услуги"], [112233, "Выдача справки"]])
    assert run(world, data).problems == []
    assert education()["Выдача справки"].register_code == "00112233"


# --- matching and history --------------------------------------------------------------------


def test_an_existing_service_is_matched_by_name_despite_case_spaces_and_quotes(world):
    data = xlsx(
        [
            ["Наименование услуги", "Статус"],
            ["  ПОСТАНОВКА на  очередь в «детский сад» ", "частично"],
        ]
    )
    outcome = run(world, data)
    assert (outcome.created, outcome.updated) == (0, 1)
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PARTIAL


def test_an_existing_service_is_matched_by_register_code_first(world):
    world.kindergarten.register_code = "00301001"
    world.kindergarten.save()
    data = xlsx(
        [
            ["Код", "Наименование услуги", "Статус"],
            ["00301001", "Другое название той же услуги", "электронная"],
        ]
    )
    outcome = run(world, data)
    assert (outcome.created, outcome.updated) == (0, 1)
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.ELECTRONIC


def test_each_imported_status_change_has_a_history_row_naming_the_file(world):
    data = xlsx(
        [["Наименование услуги", "Статус"], ["Постановка на очередь в детский сад", "электронная"]]
    )
    run(world, data, "отчёт за октябрь.xlsx")
    change = world.kindergarten.status_changes.latest()
    assert (change.old_status, change.new_status, change.changed_by) == (
        Status.PAPER,
        Status.ELECTRONIC,
        world.digital_office,
    )
    assert "отчёт за октябрь.xlsx" in change.comment


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "import"])
def test_a_row_that_changes_nothing_is_left_alone(world, dry_run):
    data = xlsx([["Наименование услуги", "Статус"], ["Зачисление в 1 класс", "электронная"]])
    before = snapshot()
    outcome = run(world, data, dry_run=dry_run)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    assert snapshot() == before


def test_a_changed_row_is_told_apart_from_an_unchanged_one_in_the_real_import(world):
    data = xlsx(
        [
            ["Наименование услуги", "Статус"],
            ["Зачисление в 1 класс", "электронная"],
            ["Постановка на очередь в детский сад", "электронная"],
        ]
    )
    outcome = run(world, data)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)


def test_a_dry_run_reports_the_same_counts_and_writes_nothing(world):
    data = xlsx(
        [
            ["Наименование услуги", "Статус"],
            ["Постановка на очередь в детский сад", "электронная"],
            ["Новая услуга", "бумажная"],
        ]
    )
    before = snapshot()
    outcome = run(world, data, dry_run=True)
    assert (outcome.created, outcome.updated, outcome.written) == (1, 1, False)
    assert snapshot() == before


# --- refusals: nothing is written ------------------------------------------------------------


def test_one_bad_status_fails_the_whole_file_and_names_the_row(world):
    data = xlsx(
        [
            [TITLE],
            ["Наименование услуги", "Статус"],
            ["Постановка на очередь в детский сад", "электронная"],
            ["Новая услуга", "почти готова"],
        ]
    )
    before = snapshot()
    with translation.override("ru"):
        outcome = run(world, data)
    assert not outcome.written
    assert snapshot() == before
    [problem] = outcome.problems
    assert problem.startswith("строка 4 файла")
    assert "почти готова" in problem


def test_every_bad_row_is_reported_not_just_the_first(world):
    data = xlsx(
        [
            ["Наименование услуги", "Статус", "Кол-во документов"],
            ["Услуга один", "???", "2"],
            ["Услуга два", "бумажная", "много"],
            ["Услуга три", "бумажная", "3"],
        ]
    )
    with translation.override("en"):
        outcome = run(world, data)
    assert len(outcome.problems) == 2
    assert outcome.problems[0].startswith("row 2 of the file")
    assert outcome.problems[1].startswith("row 3 of the file")
    assert not Service.objects.filter(name_ru__startswith="Услуга").exists()


def test_a_service_listed_twice_is_reported_with_both_rows(world):
    data = xlsx(
        [
            ["Наименование услуги", "Статус"],
            ["Выдача справки", "бумажная"],
            ["выдача  справки", "электронная"],
        ]
    )
    with translation.override("en"):
        outcome = run(world, data)
    assert outcome.problems == ["row 3 of the file: the same service as row 2"]
    assert not Service.objects.filter(name_ru="Выдача справки").exists()


def test_a_row_for_another_department_fails_the_whole_import(world):
    data = xlsx(
        [
            ["Управление", "Наименование услуги", "Статус"],
            ["EDU", "Постановка на очередь в детский сад", "электронная"],
            ["AGR", "Субсидирование семян", "электронная"],
        ]
    )
    before = snapshot()
    with translation.override("en"):
        outcome = run(world, data, user=world.head_of_education)
    assert snapshot() == before
    assert len(outcome.problems) == 1
    assert "whose services you may not change" in outcome.problems[0]
    assert outcome.problems[0].startswith("row 3 of the file")


def test_a_user_who_may_not_edit_the_department_imports_nothing(world):
    data = xlsx([["Наименование услуги", "Статус"], ["Новая услуга", "бумажная"]])
    before = snapshot()
    outcome = run(world, data, user=world.governor)
    assert outcome.problems and not outcome.written
    assert snapshot() == before


@override_settings(IMPORT_MAX_BYTES=2000)
def test_an_oversize_file_is_refused_with_its_size_and_the_limit(world):
    data = xlsx([["Наименование услуги"]] + [[f"Услуга {n}"] for n in range(500)])
    with translation.override("en"):
        outcome = run(world, data)
    [problem] = outcome.problems
    assert "MB; files of up to 0.0 MB" in problem
    assert not Service.objects.filter(name_ru__startswith="Услуга").exists()


@override_settings(IMPORT_MAX_ROWS=3)
def test_a_file_with_too_many_rows_is_refused(world):
    data = csv_file([["Наименование услуги"]] + [[f"Услуга {n}"] for n in range(5)])
    with translation.override("en"):
        outcome = run(world, data, "list.csv")
    assert outcome.problems == [
        "The file has 6 rows; up to 3 can be imported at once. Split it into smaller files."
    ]


def test_a_file_without_a_recognisable_header_is_refused_clearly(world):
    data = xlsx([["Фамилия", "Имя"], ["Иванов", "Иван"]])
    with translation.override("ru"):
        outcome = run(world, data)
    [problem] = outcome.problems
    assert "Наименование услуги" in problem


def test_a_file_that_is_not_a_spreadsheet_is_refused(world):
    outcome = run(world, b"PK\x03\x04 this is no workbook", "list.xlsx")
    assert outcome.problems and not outcome.written


def test_a_malformed_register_code_is_reported_with_its_row(world):
    data = xlsx([["Код", "Наименование услуги"], ["12-AB", "Выдача справки"]])
    with translation.override("en"):
        outcome = run(world, data)
    assert len(outcome.problems) == 1
    assert outcome.problems[0].startswith("row 2 of the file: “12-AB” is not a register code")


def queries_to_import(world, names):
    rows = [["Наименование госуслуги", "Статус"]] + [[name, "бумажная"] for name in names]
    official = User.objects.get(pk=world.digital_office.pk)  # access not yet read
    with CaptureQueriesContext(connection) as queries:
        outcome = run(world, xlsx(rows), user=official)
    assert outcome.created == len(names)
    return len(queries)


def test_new_services_are_written_together_whatever_their_number(world):
    """Each row is checked on its own, but the new services and their history rows are
    written in bulk: 5 rows and 25 rows cost the same queries (25 still fit in one of
    SQLite's inserts, 999 values; PostgreSQL takes a thousand rows). Three of them read
    the criteria and life events, whose columns a file may hold; one records the import."""
    few = queries_to_import(world, [f"Услуга А-{n}" for n in range(5)])
    many = queries_to_import(world, [f"Услуга Б-{n}" for n in range(25)])
    assert few == many <= 19
    first = StatusChange.objects.get(service__name_ru="Услуга Б-24")
    assert (first.old_status, first.new_status, first.changed_by) == (
        "",
        Status.PAPER,
        world.digital_office,
    )
    assert "list.xlsx" in first.comment and "26" in first.comment  # the file's row 26


def test_an_import_runs_without_the_cycle_collector_and_gives_it_back(world):
    """Thousands of objects a row, none in a cycle: the collector's passes would find
    nothing (tracker.collector). Given back after the import, and after a refused one."""
    collections = []

    def on_collection(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    rows = [["Наименование госуслуги", "Статус"]] + [
        [f"Услуга В-{n}", "бумажная"] for n in range(200)
    ]
    data = xlsx(rows)  # the file made before the count begins
    gc.collect()  # from nothing pending: the few objects before the pause collect none
    gc.callbacks.append(on_collection)
    try:
        outcome = run(world, data)
    finally:
        gc.callbacks.remove(on_collection)
    assert outcome.created == 200
    # at most the one catching up as the import gives it back (some forty without the pause)
    assert len(collections) <= 1
    assert gc.isenabled()
    refused = run(world, b"not a spreadsheet at all")
    assert refused.problems and gc.isenabled()
