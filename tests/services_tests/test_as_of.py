"""Every service as it stood at a past moment, answered from its history alone."""

from datetime import date

import pytest

from services import actions
from services.models import Service, ServiceChange, Status, end_of_day
from tests.conftest import almaty, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def timeline(world):
    """Two services with moves on known Almaty dates."""
    head = world.head_of_education
    camps = make_service(world.education, "Лагеря", by=head, at=almaty(2025, 1, 10))
    actions.set_status(camps, status=Status.PARTIAL, by=head, at=almaty(2025, 3, 1, 9))
    actions.set_status(camps, status=Status.ELECTRONIC, by=head, at=almaty(2025, 6, 30, 23, 59))
    clubs = make_service(world.education, "Кружки", by=head, at=almaty(2025, 4, 1))
    actions.set_status(clubs, status=Status.ELECTRONIC, by=head, at=almaty(2025, 5, 1))
    actions.set_status(clubs, status=Status.PARTIAL, by=head, at=almaty(2025, 8, 1))
    return camps, clubs


def standing_on(day, services=None):
    chosen = (
        Service.objects.all()
        if services is None
        else Service.objects.filter(pk__in=[s.pk for s in services])
    )
    return ServiceChange.objects.standing_at(end_of_day(day), services=chosen)


def statuses_on(day, services):
    return {row.name_ru: row.status for row in standing_on(day, services)}


def test_a_service_not_yet_created_on_the_day_is_absent(timeline):
    assert statuses_on(date(2025, 2, 1), timeline) == {"Лагеря": Status.PAPER}


def test_each_service_has_its_status_of_that_day(timeline):
    assert statuses_on(date(2025, 5, 15), timeline) == {
        "Лагеря": Status.PARTIAL,
        "Кружки": Status.ELECTRONIC,
    }


def test_a_move_late_in_the_evening_counts_for_that_almaty_day(timeline):
    # 23:59 in Almaty is 18:59 UTC: the day is Almaty's, not the server's UTC date.
    assert statuses_on(date(2025, 6, 30), timeline)["Лагеря"] == Status.ELECTRONIC
    assert statuses_on(date(2025, 6, 29), timeline)["Лагеря"] == Status.PARTIAL


def test_a_move_backwards_is_reflected(timeline):
    assert statuses_on(date(2025, 9, 1), timeline)["Кружки"] == Status.PARTIAL


def test_as_of_today_agrees_with_the_current_status(world, timeline):
    from django.utils import timezone

    for row in standing_on(timezone.localdate()):
        assert row.status == Service.objects.get(pk=row.service_id).status


def test_as_of_is_one_query_whatever_the_number_of_services(
    world, timeline, django_assert_num_queries
):
    for number in range(30):
        make_service(world.agriculture, f"Услуга {number}", by=world.head_of_agriculture)
    with django_assert_num_queries(1):
        rows = list(standing_on(date(2030, 1, 1)))
    assert len(rows) == Service.objects.count()


def test_the_row_in_force_is_the_latest_of_any_kind_and_keeps_the_status_since(world, timeline):
    camps, _clubs = timeline
    actions.update_service(
        camps,
        by=world.head_of_education,
        changes={"blocker": "Нет интеграции с ГБД ФЛ"},
        expected_version=camps.version,
    )
    [row] = standing_on(date(2030, 1, 1), [camps])
    assert row.kind == ServiceChange.Kind.EDITED
    assert row.blocker == "Нет интеграции с ГБД ФЛ"
    assert row.status == Status.ELECTRONIC
    assert row.status_since == almaty(2025, 6, 30, 23, 59)
    [before] = standing_on(date(2025, 7, 1), [camps])
    assert before.blocker == ""
