"""`manage.py import_services`, for bulk loads by an administrator."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from regions.models import Department, User
from services.models import Service, Status
from tests.services_tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_speakers(world):
    """The command answers in its user's language; these tests read English."""
    User.objects.update(language="en")


def write(tmp_path, rows, name="list.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    return path


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_services", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_the_counts(world, tmp_path):
    path = write(
        tmp_path,
        [
            ["Наименование услуги", "Статус"],
            ["Постановка на очередь в детский сад", "электронная"],
            ["Новая услуга", "бумажная"],
        ],
    )
    out, _err = command(path, "--department", "KZ-31/EDU", "--user", "head.edu")
    assert "1 new, 1 changed, 0 unchanged" in out
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.ELECTRONIC


def test_the_command_prints_every_bad_row_and_writes_nothing(world, tmp_path):
    path = write(
        tmp_path,
        [
            ["Наименование услуги", "Статус"],
            ["Постановка на очередь в детский сад", "электронная"],
            ["Новая услуга", "неизвестно"],
            ["Ещё услуга", "???"],
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command(
            "import_services",
            str(path),
            "--department",
            "KZ-31/EDU",
            "--user",
            "head.edu",
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert lines[0].strip().startswith("row 3 of the file: “неизвестно”")
    assert lines[1].strip().startswith("row 4 of the file: “???”")
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER
    assert not Service.objects.filter(name_ru="Новая услуга").exists()


def test_the_dry_run_checks_without_writing(world, tmp_path):
    path = write(tmp_path, [["Наименование услуги", "Статус"], ["Новая услуга", "бумажная"]])
    out, _err = command(path, "--department", world.education.pk, "--user", "head.edu", "--dry-run")
    assert "1 new" in out and "nothing was written" in out
    assert not Service.objects.filter(name_ru="Новая услуга").exists()


def test_an_ambiguous_department_code_asks_which_region(world, tmp_path):
    path = write(tmp_path, [["Наименование услуги"], ["Новая услуга"]])
    with pytest.raises(CommandError, match="several regions"):
        command(path, "--department", "EDU", "--user", "head.edu")


def test_the_importers_rights_apply(world, tmp_path):
    path = write(tmp_path, [["Наименование услуги"], ["Новая услуга"]])
    with pytest.raises(CommandError):
        command(path, "--department", "KZ-31/AGR", "--user", "head.edu")
    assert not Service.objects.filter(name_ru="Новая услуга").exists()


def test_a_numeric_department_code_is_a_code_not_a_database_id(world, tmp_path):
    path = write(tmp_path, [["Наименование услуги"], ["Новая услуга"]])
    budget_code = str(world.agriculture.pk)  # a code that is also another row's id
    coded = Department.objects.create(region=world.zhambyl, code=budget_code, name_ru="Управление")
    command(path, "--department", budget_code, "--user", "digital")
    assert Service.objects.get(name_ru="Новая услуга").department == coded
    command(path, "--department", f"KZ-31/{budget_code}", "--user", "digital", "--dry-run")


def test_a_user_without_rights_gets_one_line_and_nothing_else(world, tmp_path):
    path = write(tmp_path, [["Наименование услуги"], ["Новая услуга"], ["Другая услуга"]])
    User.objects.filter(username="head.edu").update(language="ru")
    err = StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command(
            "import_services",
            str(path),
            "--department",
            "KZ-31/AGR",
            "--user",
            "head.edu",
            stdout=StringIO(),
            stderr=err,
        )
    with translation.override("ru"):
        expected = gettext(
            "%(user)s may not change services of %(department)s; nothing was imported."
        ) % {"user": "head.edu", "department": world.agriculture}
    assert str(refusal.value) == expected and err.getvalue() == ""
    assert not Service.objects.filter(name_ru="Новая услуга").exists()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_command_answers_in_the_users_language(world, tmp_path, language):
    User.objects.filter(username="head.edu").update(language=language)
    path = write(tmp_path, [["Наименование услуги", "Статус"], ["Новая услуга", "бумажная"]])
    out, _err = command(path, "--department", "KZ-31/EDU", "--user", "head.edu")
    with translation.override(language):
        assert gettext("Imported.") in out
        assert gettext("Imported.") != "Imported."


def test_the_command_remembers_a_provider_label_it_is_told(world, tmp_path):
    path = write(
        tmp_path,
        [["Наименование услуги", "Услугодатель"], ["Регистрация брака", "отделы ЗАГС районов"]],
    )
    with pytest.raises(CommandError):
        command(path, "--department", "KZ-31/EDU", "--user", "digital")
    command(
        path,
        "--department",
        "KZ-31/EDU",
        "--user",
        "digital",
        "--provider",
        "отделы ЗАГС районов=AGR",
    )
    service = Service.objects.get(name_ru="Регистрация брака")
    assert (service.department, service.provider_level) == (world.agriculture, "district")
