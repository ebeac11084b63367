"""Departments from the spreadsheet an oblast already has (the budget decision's list of
budget-programme administrators): the layouts and encodings it comes in, re-imports
that update, codes read or made up, the refusals, the admin's preview and confirm, and
the command."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from regions.access import scope_for
from regions.importer import import_departments
from regions.models import Department, DepartmentAlias, DepartmentChange, ProviderLevel, Role
from services.spreadsheets.providers import ProviderDirectory
from tests.conftest import make_user
from tests.services_tests.spreadsheet_files import csv_file, xlsx

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:regions_department_import")
PROCESS = reverse("admin:regions_department_process_import")
CHANGELIST = reverse("admin:regions_department_changelist")

TITLE = "Перечень администраторов бюджетных программ Жамбылской области на 2026 год"
# "Наименование" over "на русском языке" | "на казахском языке", the other cells merged
# down over both header lines.
TWO_ROW_HEADER = [
    ["Код АБП", "Наименование", None, "Краткое наименование", "Уровень", "Синонимы"],
    [None, "на русском языке", "на казахском языке", None, None, None],
]
TWO_ROW_MERGES = ("A1:F1", "A2:A3", "B2:C2", "D2:D3", "E2:E3", "F2:F3")


@pytest.fixture(autouse=True)
def in_english(client):
    """Messages are compared in English, the catalogs' own language; Kazakh and Russian
    through gettext where the language is the point."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def run(world, data, name="departments.xlsx", *, user=None, region=None, dry_run=False):
    return import_departments(
        data,
        name,
        region=region or world.zhambyl,
        user=user or world.digital_office,
        dry_run=dry_run,
    )


def zhambyl():
    return {d.code: d for d in Department.objects.filter(region__code="KZ-31")}


def snapshot():
    return (
        list(Department.objects.order_by("pk").values()),
        list(DepartmentAlias.objects.order_by("pk").values()),
    )


def budget_list(*rows):
    return xlsx([[TITLE], *TWO_ROW_HEADER, *rows], merges=TWO_ROW_MERGES)


def refusal(region, language="en"):
    with translation.override(language):
        return gettext(
            "You may not manage the departments of %(region)s; nothing was imported."
        ) % {"region": region}


# --- layouts and fields -----------------------------------------------------------------


def test_a_budget_list_with_a_title_and_a_two_row_merged_header_brings_every_field(world):
    data = budget_list(
        [
            263,
            "Управление здравоохранения",
            "Денсаулық сақтау басқармасы",
            "УЗ",
            "районы",
            "Облздрав\nГУ «Управление здравоохранения акимата Жамбылской области»",
        ],
        ["253", "Управление культуры", "Мәдениет басқармасы", "", "областной", "УК; Облкультура"],
    )
    outcome = run(world, data)
    assert outcome.problems == []
    assert (outcome.created, outcome.updated) == (2, 0)
    health = zhambyl()["263"]
    assert (health.name_ru, health.name_kk, health.short_name_ru, health.level) == (
        "Управление здравоохранения",
        "Денсаулық сақтау басқармасы",
        "УЗ",
        ProviderLevel.DISTRICT,
    )
    assert not health.translation_missing
    aliases = DepartmentAlias.objects.filter(department=health)
    assert sorted(aliases.values_list("label", flat=True)) == [
        "ГУ «Управление здравоохранения акимата Жамбылской области»",
        "Облздрав",
    ]
    assert {(a.region_id, a.created_by_id, a.level) for a in aliases} == {
        (world.zhambyl.pk, world.digital_office.pk, "")
    }
    culture = zhambyl()["253"]
    assert culture.level == ProviderLevel.OBLAST
    assert set(culture.aliases.values_list("label", flat=True)) == {"УК", "Облкультура"}
    # The service imports of the region now know the names the list gave.
    assert ProviderDirectory(world.zhambyl).resolve("Облкультура").department == culture


def test_a_department_named_only_in_russian_and_one_only_in_kazakh_are_created_and_flagged(
    world,
):
    russian = csv_file([["Код", "Наименование"], ["270", "Управление туризма"]], encoding="cp1251")
    kazakh = csv_file(
        [["Код АБП", "Атауы"], ["271", "Жер қатынастары басқармасы"]], encoding="utf-8-sig"
    )
    first = run(world, russian, "туризм.csv")
    second = run(world, kazakh, "жер.csv")
    assert first.problems == [] and second.problems == []
    tourism, land = zhambyl()["270"], zhambyl()["271"]
    assert (tourism.name_ru, tourism.name_kk) == ("Управление туризма", "")
    assert (land.name_ru, land.name_kk) == ("", "Жер қатынастары басқармасы")
    assert tourism.translation_missing and land.translation_missing
    assert first.missing_translation == ["270 — Управление туризма"]
    assert second.missing_translation == ["271 — Жер қатынастары басқармасы"]


def test_a_kazakh_name_damaged_by_windows_1251_is_not_written_and_the_rest_imports(world):
    data = csv_file(
        [
            ["Код", "Наименование на русском языке", "Наименование на казахском языке"],
            ["272", "Управление спорта", "Дене шынықтыру және спорт басқармасы"],
        ],
        encoding="cp1251",
        errors="replace",
    )
    outcome = run(world, data, "спорт.csv")
    assert outcome.problems == []
    assert len(outcome.warnings) == 1 and "row 2 of the file" in outcome.warnings[0]
    sport = zhambyl()["272"]
    assert (sport.name_ru, sport.name_kk) == ("Управление спорта", "")


def test_importing_the_list_again_updates_and_never_duplicates(world):
    data = budget_list([263, "Управление здравоохранения", "Денсаулық сақтау басқармасы"])
    run(world, data)
    count = Department.objects.count()
    again = run(world, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    renamed = run(
        world,
        budget_list([263, "Управление общественного здравоохранения", "", "", "", "УОЗ"]),
    )
    assert (renamed.created, renamed.updated) == (0, 1)
    assert Department.objects.count() == count
    health = zhambyl()["263"]
    assert health.name_ru == "Управление общественного здравоохранения"
    assert health.name_kk == "Денсаулық сақтау басқармасы"  # a blank cell keeps the name
    assert list(health.aliases.values_list("label", flat=True)) == ["УОЗ"]


def test_each_imported_department_starts_its_history_and_a_rename_is_recorded(world):
    run(world, budget_list([263, "Управление здравоохранения", "Денсаулық сақтау басқармасы"]))
    health = zhambyl()["263"]
    [created] = health.history.all()
    assert (created.kind, created.changed_by, created.name_ru) == (
        DepartmentChange.Kind.CREATED,
        world.digital_office,
        "Управление здравоохранения",
    )
    run(world, budget_list([263, "Управление общественного здравоохранения", ""]))
    renamed = health.history.order_by("-changed_at", "-pk").first()
    assert renamed.kind == DepartmentChange.Kind.EDITED
    assert renamed.changes == {
        "name_ru": ["Управление здравоохранения", "Управление общественного здравоохранения"]
    }
    assert "departments.xlsx" in renamed.comment
    run(world, budget_list([263, "Управление общественного здравоохранения", ""]))
    assert health.history.count() == 2  # unchanged: no row


def test_a_department_already_there_is_found_by_its_official_long_name(world):
    data = budget_list([261, "ГУ «Управление образования акимата Жамбылской области»", ""])
    outcome = run(world, data)
    assert (outcome.created, outcome.updated) == (0, 1)
    world.education.refresh_from_db()
    assert world.education.code == "261"  # the budget code replaces the placeholder
    assert world.education.services.count() == 2


def test_codes_excel_wrote_as_numbers_are_read_as_text_and_letters_upper_cased(world):
    outcome = run(
        world,
        csv_file(
            [
                ["Код АБП", "Наименование"],
                ["262.0", "Управление энергетики"],
                ["tur-1", "Управление туризма"],
            ]
        ),
        "list.csv",
    )
    from_excel = run(world, xlsx([["Код АБП", "Наименование"], [264.0, "Управление спорта"]]))
    assert outcome.problems == [] and from_excel.problems == []
    assert {"262", "TUR-1", "264"} <= set(zhambyl())


def test_a_row_without_a_code_gets_the_initials_of_its_name_in_latin(world):
    Department.objects.create(region=world.zhambyl, code="UDR", name_ru="Управление дорог")
    outcome = run(
        world,
        xlsx(
            [
                ["Наименование", "Код"],
                ["Управление по делам религий", ""],
                ["Жер қатынастары басқармасы", ""],
                ["Управление делами развития", ""],
                ["Управление внутренней политики", ""],
            ]
        ),
    )
    assert outcome.problems == []
    codes = {d.name: d.code for d in Department.objects.filter(region=world.zhambyl)}
    assert codes["Управление по делам религий"] == "UDR2"
    assert codes["Жер қатынастары басқармасы"] == "ZHQB"
    assert codes["Управление делами развития"] == "UDR3"
    assert codes["Управление внутренней политики"] == "UVP"


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["head_of_education", "governor", "official", "outsider"])
def test_only_the_digital_office_or_a_superuser_may_import_and_others_write_nothing(world, actor):
    before = snapshot()
    outcome = run(
        world, budget_list([263, "Управление здравоохранения", ""]), user=getattr(world, actor)
    )
    assert outcome.problems == [refusal(world.zhambyl)]
    assert not outcome.written
    assert snapshot() == before
    assert run(world, budget_list([263, "Управление здравоохранения", ""]), user=world.superuser).ok


def test_the_digital_office_of_another_region_may_not_import_into_this_one(world):
    almaty_office = make_user("digital.almaty", Role.DIGITAL_OFFICE, region=world.almaty_region)
    assert not scope_for(almaty_office).may_manage_departments(world.zhambyl)
    assert scope_for(almaty_office).may_manage_departments(world.almaty_region)
    before = snapshot()
    outcome = run(world, budget_list([263, "Управление здравоохранения", ""]), user=almaty_office)
    assert outcome.problems == [refusal(world.zhambyl)]
    assert snapshot() == before


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_bad_level_refuses_the_whole_file_naming_the_row_and_the_value(world, language):
    before = snapshot()
    data = budget_list(
        [263, "Управление здравоохранения", "", "", "районы"],
        [264, "Управление спорта", "", "", "космос"],
    )
    with translation.override(language):
        outcome = run(world, data)
        expected = gettext("row %(row)s of the file: %(problem)s") % {
            "row": 5,
            "problem": gettext("“%(value)s” is not a provider level.") % {"value": "космос"},
        }
    assert outcome.problems == [expected]
    assert (outcome.refused, outcome.written) == ({5: [expected]}, False)
    assert snapshot() == before  # the good row 4 was not written either


def test_an_alias_that_already_means_another_department_is_a_problem_of_its_row(world):
    DepartmentAlias.objects.create(department=world.agriculture, label="УСХ")
    before = snapshot()
    outcome = run(
        world,
        budget_list(
            [263, "Управление здравоохранения", "", "", "", "УЗ"],
            [264, "Управление спорта", "", "", "", "усх"],
        ),
    )
    [problem] = outcome.problems
    assert problem.startswith("row 5 of the file: “усх” already means AGR")
    assert snapshot() == before


def test_a_department_listed_twice_is_refused_naming_both_rows(world):
    outcome = run(
        world,
        xlsx(
            [
                ["Код", "Наименование"],
                ["263", "Управление здравоохранения"],
                ["265", "управление  здравоохранения"],
            ]
        ),
    )
    assert outcome.problems == ["row 3 of the file: the same department as row 2"]
    assert "263" not in zhambyl()


def test_a_row_whose_code_and_name_are_two_different_departments_is_refused(world):
    outcome = run(world, xlsx([["Код", "Наименование"], ["EDU", "Управление сельского хозяйства"]]))
    [problem] = outcome.problems
    assert problem.startswith("row 2 of the file: the code EDU is that of EDU")
    world.education.refresh_from_db()
    assert world.education.name_ru == "Управление образования"


def test_a_row_with_an_english_name_only_is_refused_by_the_models_own_rule(world):
    outcome = run(world, xlsx([["Code", "Name"], ["266", "Tourism Department"]]))
    assert outcome.problems == [
        "row 2 of the file: " + gettext("Give the department a Kazakh or a Russian name.")
    ]


# --- the admin ----------------------------------------------------------------------------


def upload(client, region, data, name="departments.xlsx"):
    return client.post(
        IMPORT,
        {
            "resource": "0",
            "format": "0",
            "region": region.pk,
            "import_file": SimpleUploadedFile(name, data),
        },
    )


def test_the_digital_office_previews_then_confirms_an_import_in_the_admin(client, world):
    client.force_login(world.digital_office)
    form = client.get(IMPORT).context["form"]
    assert list(form.fields["region"].queryset) == [world.zhambyl]
    data = budget_list(
        [263, "Управление здравоохранения", "Денсаулық сақтау басқармасы"],
        [270, "Управление туризма", ""],
    )
    preview = upload(client, world.zhambyl, data)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert "263" not in zhambyl()  # the preview wrote nothing
    confirm = preview.context["confirm_form"]
    assert confirm.initial["region"] == world.zhambyl.pk
    response = client.post(PROCESS, {**confirm.initial})
    assert response.status_code == 302
    assert {"263", "270"} <= set(zhambyl())
    assert zhambyl()["263"].name_kk == "Денсаулық сақтау басқармасы"
    [done, missing] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "2 new" in done
    assert "1 department has a name in one language only" in missing
    assert f"{CHANGELIST}?translation_missing=yes&amp;region__id__exact={world.zhambyl.pk}" in (
        missing
    )


def test_the_preview_of_a_bad_file_shows_the_row_and_its_cells_and_offers_no_confirmation(
    client, world
):
    client.force_login(world.digital_office)
    preview = upload(
        client,
        world.zhambyl,
        budget_list(
            [263, "Управление здравоохранения", "", "", "районы"],
            [264, "Управление спорта", "", "", "космос"],
        ),
    )
    assert preview.context.get("confirm_form") is None
    [invalid] = preview.context["result"].invalid_rows
    assert invalid.values[:4] == (5, "264", "", "Управление спорта")
    assert "row 5 of the file: “космос” is not a provider level." in preview.content.decode()
    assert not Department.objects.filter(code__in=["263", "264"]).exists()


def test_the_confirmation_is_checked_again_for_the_region(client, world):
    client.force_login(world.digital_office)
    preview = upload(client, world.zhambyl, budget_list([263, "Управление здравоохранения", ""]))
    confirm = preview.context["confirm_form"]
    response = client.post(
        PROCESS,
        {**confirm.initial, "region": world.almaty_region.pk},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 403
    assert "may not import into" in response.context["refusal"]
    assert not Department.objects.filter(code="263").exists()


def test_a_file_that_no_longer_fits_when_confirmed_writes_nothing_and_says_why(client, world):
    client.force_login(world.digital_office)
    preview = upload(
        client,
        world.zhambyl,
        budget_list(
            [263, "Управление здравоохранения", "", "", "", "УЗ"],
            [264, "Управление спорта", "", "", "", ""],
        ),
    )
    confirm = preview.context["confirm_form"]
    # Between the preview and the confirmation someone gave "УЗ" to another department.
    DepartmentAlias.objects.create(department=world.agriculture, label="УЗ")
    response = client.post(PROCESS, {**confirm.initial})
    assert response.status_code == 409
    assert response.context["refusal"] == "Nothing of your file was written."
    moved, problem = response.context["problems"]
    assert moved.startswith("Since your preview the data changed")
    assert problem.startswith("row 4 of the file: “УЗ” already means AGR")
    assert not Department.objects.filter(code__in=["263", "264"]).exists()


def test_the_import_offers_only_regions_one_manages(client, world):
    client.force_login(world.digital_office)
    response = upload(client, world.almaty_region, budget_list([263, "Управление спорта", ""]))
    assert "region" in response.context["form"].errors
    assert not Department.objects.filter(code="263").exists()


@pytest.mark.parametrize("actor", ["head_of_education", "governor", "national_analyst"])
def test_read_only_roles_cannot_open_the_import(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(IMPORT).status_code == 403
    assert client.post(PROCESS, {"region": world.zhambyl.pk}).status_code == 403


def test_the_translation_missing_filter_lists_the_one_language_departments(client, world):
    russian = Department.objects.create(region=world.zhambyl, code="TUR", name_ru="Туризм")
    kazakh = Department.objects.create(region=world.zhambyl, code="JER", name_kk="Жер")
    client.force_login(world.digital_office)
    missing = client.get(CHANGELIST, {"translation_missing": "yes"}).context["cl"]
    assert set(missing.queryset) == {russian, kazakh}
    complete = client.get(CHANGELIST, {"translation_missing": "no"}).context["cl"]
    assert set(complete.queryset) == {world.education, world.agriculture}
    page = client.get(CHANGELIST).content.decode()
    assert gettext("no Kazakh name") in page and gettext("no Russian name") in page


def alias_form(department, **fields):
    return {
        "name_kk": department.name_kk,
        "name_ru": department.name_ru,
        "name_en": department.name_en,
        "short_name_kk": "",
        "short_name_ru": "",
        "short_name_en": "",
        "level": department.level,
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-label": "УО",
        "aliases-0-level": "",
        **fields,
    }


def test_the_digital_office_names_its_departments_and_adds_aliases(client, world):
    client.force_login(world.digital_office)
    url = reverse("admin:regions_department_change", args=[world.education.pk])
    response = client.post(url, alias_form(world.education, name_en="Department of Education"))
    assert response.status_code == 302
    world.education.refresh_from_db()
    assert world.education.name_en == "Department of Education"
    assert world.education.code == "EDU"  # the code is not the form's to change
    [alias] = world.education.aliases.all()
    assert (alias.label, alias.created_by) == ("УО", world.digital_office)
    again = client.post(
        reverse("admin:regions_department_change", args=[world.agriculture.pk]),
        alias_form(world.agriculture, **{"aliases-0-label": "уо"}),
    )
    assert again.status_code == 200  # refused on the field, not by the database
    assert not world.agriculture.aliases.exists()


@pytest.mark.parametrize("actor", ["head_of_education", "governor"])
def test_heads_and_governors_still_cannot_rename_a_department(client, world, actor):
    client.force_login(getattr(world, actor))
    url = reverse("admin:regions_department_change", args=[world.education.pk])
    response = client.post(url, alias_form(world.education, name_ru="Переименовано"))
    assert response.status_code == 403
    world.education.refresh_from_db()
    assert world.education.name_ru == "Управление образования"
    assert not world.education.aliases.exists()


def test_nobody_deletes_a_department_and_only_a_superuser_adds_one_by_hand(client, world):
    client.force_login(world.digital_office)
    assert client.get(reverse("admin:regions_department_add")).status_code == 403
    delete = reverse("admin:regions_department_delete", args=[world.education.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Department.objects.filter(pk=world.education.pk).exists()


# --- the command --------------------------------------------------------------------------


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_departments", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_the_counts_and_what_needs_a_translation(world, tmp_path):
    path = tmp_path / "abp.xlsx"
    path.write_bytes(
        budget_list(
            [263, "Управление здравоохранения", "Денсаулық сақтау басқармасы"],
            [270, "Управление туризма", ""],
            [261, "Управление образования", "Білім басқармасы"],
        )
    )
    world.digital_office.language = "en"  # the command speaks the user's language
    world.digital_office.save()
    out, _err = command(path, "--region", "KZ-31", "--user", "digital")
    assert "2 new, 1 changed, 0 unchanged" in out
    assert "270 — Управление туризма" in out
    assert {"263", "270", "261"} <= set(zhambyl())


def test_the_dry_run_writes_nothing(world, tmp_path):
    path = tmp_path / "abp.xlsx"
    path.write_bytes(budget_list([263, "Управление здравоохранения", ""]))
    world.digital_office.language = "en"
    world.digital_office.save()
    out, _err = command(path, "--region", "KZ-31", "--user", "digital", "--dry-run")
    assert "1 new" in out and "nothing was written" in out
    assert "263" not in zhambyl()


def test_the_command_refuses_a_user_without_rights_in_one_line(world, tmp_path):
    path = tmp_path / "abp.xlsx"
    path.write_bytes(budget_list([263, "Управление здравоохранения", ""]))
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_departments", str(path), "--region", "KZ-31", "--user", "head.edu", stderr=err
        )
    with translation.override(settings.LANGUAGE_CODE):  # head.edu chose no language
        expected = gettext(
            "%(user)s may not manage the departments of %(region)s; nothing was imported."
        ) % {"user": "head.edu", "region": world.zhambyl}
    assert str(refused.value) == expected and "\n" not in expected
    assert err.getvalue() == ""
    assert "263" not in zhambyl()
