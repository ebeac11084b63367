"""`manage.py import_services`, for bulk loads by an administrator."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regions.models import User
from services.models import Service, Status
from tests.services_tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db


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
    User.objects.filter(username="head.edu").update(language="en")
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
