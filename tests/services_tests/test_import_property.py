"""Whatever is in the cells, an import answers with problems or writes everything:
it never fails with a server error and never leaves half a file written."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from services.models import Service, StatusChange
from services.spreadsheets.importer import import_services
from tests.services_tests.spreadsheet_files import csv_file, xlsx

pytestmark = pytest.mark.django_db

# Text a spreadsheet can hold (XLSX refuses control characters).
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, width=32),
    st.sampled_from(
        [
            "эл.",
            "бумажная",
            "қағаз",
            "да",
            "жоқ",
            "Итого",
            "1. Раздел",
            "=1+1",
            "00301001",
            "Постановка на очередь в детский сад",
            "",
            " \u00a0 ",
        ]
    ),
)
HEADERS = st.lists(
    st.sampled_from(
        [
            "Наименование услуги",
            "Қызмет атауы",
            "Статус",
            "Код",
            "Форма оказания",
            "Социально значимая",
            "Кол-во документов",
            "Срок оказания",
            "Причина",
            "Управление",
            "№",
            "Примечание",
        ]
    ),
    min_size=1,
    max_size=6,
)


def database_state():
    return (
        list(Service.objects.order_by("pk").values("pk", "status", "version", "name_ru")),
        StatusChange.objects.count(),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(header=HEADERS, body=st.lists(st.lists(CELL, max_size=7), max_size=12), as_csv=st.booleans())
def test_random_cells_never_crash_the_import_or_write_half_a_file(world, header, body, as_csv):
    data = (
        csv_file([header, *[[("" if c is None else c) for c in row] for row in body]])
        if as_csv
        else xlsx([header, *body])
    )
    with transaction.atomic():
        before = database_state()
        outcome = import_services(
            data,
            "random.csv" if as_csv else "random.xlsx",
            department=world.education,
            user=world.head_of_education,
        )
        after = database_state()
        event("written" if outcome.ok else "refused")
        if outcome.ok:
            changed = outcome.created + outcome.updated
            assert len(after[0]) - len(before[0]) == outcome.created
            assert after[1] - before[1] >= outcome.created
            assert changed or after == before
        else:
            assert after == before, outcome.problems
            assert all(isinstance(problem, str) and problem for problem in outcome.problems)
        transaction.set_rollback(True)  # each example starts from the same database
