"""A database's refusal reaches the reader as the constraint's own words, never as SQL:
in tracker.db_errors itself, in a failed report build, in an import's preview."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import translation

from reports import build
from reports.build import build_region_report
from reports.models import ReportSnapshot
from services.models import Service
from services.spreadsheets.importer import import_services
from tests.services_tests.spreadsheet_files import csv_file, xlsx
from tracker.db_errors import readable

pytestmark = pytest.mark.django_db

# What either database says that no reader should see.
SQL_WORDS = ["INSERT", "UPDATE", "Failing row", "constraint", "services_service", "violates"]


def refusal(write) -> DatabaseError:
    """The error the database itself raises for ``write``, in a savepoint of its own."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        write()
    return raised.value


def assert_no_sql(text: str) -> None:
    assert not [word for word in SQL_WORDS if word in text], text


def test_a_check_constraint_with_a_message_reads_as_that_message(world):
    error = refusal(
        lambda: Service.objects.filter(pk=world.kindergarten.pk).update(
            name_kk="", name_ru="", name_en=""
        )
    )
    with translation.override("en"):
        assert readable(error) == "Give the service a name in at least one language."


def test_a_unique_constraint_with_a_message_reads_as_that_message(world):
    error = refusal(
        lambda: Service.objects.filter(pk=world.kindergarten.pk).update(
            name_ru=world.first_grade.name_ru
        )
    )
    assert isinstance(error, IntegrityError)
    with translation.override("en"):
        assert readable(error) == "This department already has a service with this name."


def test_a_constraint_without_a_message_reads_as_its_kind_without_its_name(world):
    error = refusal(lambda: Service.objects.filter(pk=world.kindergarten.pk).update(status="x"))
    with translation.override("en"):
        text = readable(error)
    assert text == "The database refused this change: a value is not one it allows."
    assert "service_status_valid" not in text


def test_a_missing_value_reads_as_missing_without_the_column(world):
    error = refusal(lambda: Service.objects.filter(pk=world.kindergarten.pk).update(name_ru=None))
    with translation.override("en"):
        assert readable(error) == "The database refused this change: a value it needs is missing."


def test_a_build_the_database_refuses_shows_the_constraints_message_not_sql(world, monkeypatch):
    def refused_mid_build(*args, **kwargs):
        with transaction.atomic():  # a savepoint, as every write here: the failure is kept
            Service.objects.filter(pk=world.kindergarten.pk).update(
                name_kk="", name_ru="", name_en=""
            )

    monkeypatch.setattr(build, "compute_report", refused_mid_build)
    with translation.override("en"), pytest.raises(IntegrityError):
        build_region_report(world.zhambyl, as_of=date(2025, 7, 1))
    failed = ReportSnapshot.objects.get(region=world.zhambyl)
    assert failed.state == ReportSnapshot.State.FAILED
    assert failed.error == (
        "The report could not be built: Give the service a name in at least one language."
    )


def test_a_build_that_fails_for_another_reason_still_says_it(world, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("no figures for the region")

    monkeypatch.setattr(build, "compute_report", broken)
    with translation.override("en"), pytest.raises(ValueError):
        build_region_report(world.zhambyl, as_of=date(2025, 7, 1))
    failed = ReportSnapshot.objects.get(region=world.zhambyl)
    assert failed.error == "The report could not be built: no figures for the region"


def preview(world, data, name="list.xlsx"):
    with translation.override("en"):
        return import_services(
            data, name, department=world.education, user=world.digital_office, dry_run=True
        )


def test_an_imported_row_giving_a_service_another_ones_name_names_the_row_not_sql(world):
    world.kindergarten.register_code = "11111111"
    world.kindergarten.save()
    outcome = preview(
        world, xlsx([["Код", "Наименование услуги"], ["11111111", world.first_grade.name_ru]])
    )
    assert outcome.problems == [
        "row 2 of the file: This department already has a service with this name."
    ]
    assert outcome.refused == {2: outcome.problems}


def test_a_new_service_whose_every_name_was_damaged_names_the_row_not_sql(world):
    """A Windows-1251 file cannot hold Kazakh letters: the only name is dropped, and the
    database refuses a service without one (service_has_a_name)."""
    data = csv_file(
        [["Код", "Наименование услуги"], ["12345678", "Қызмет көрсету ұйымы"]],
        encoding="cp1251",
        errors="replace",
    )
    outcome = preview(world, data, "list.csv")
    assert outcome.problems == [
        "row 2 of the file: Give the service a name in at least one language."
    ]
    assert outcome.refused == {2: outcome.problems}
    for problem in outcome.problems:
        assert_no_sql(problem)
    assert not Service.objects.filter(register_code="12345678").exists()
