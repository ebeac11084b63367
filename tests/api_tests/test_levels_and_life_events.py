"""Levels and life events in the open data: a service's verified level and its life
events' codes, the life events' names in three languages, the level's names in meta."""

import pytest

from services import criteria_writes
from services.models import Criterion, LifeEvent
from tests.api_tests.conftest import publish

pytestmark = pytest.mark.django_db


def test_a_service_shows_its_verified_level_and_its_life_events(api, world):
    publish(world.zhambyl)
    first_level = dict.fromkeys(
        Criterion.objects.filter(level=1).values_list("code", flat=True), "yes"
    )
    criteria_writes.answer_criteria(world.first_grade, answers=first_level, by=world.digital_office)
    criteria_writes.answer_criteria(
        world.kindergarten,
        answers=first_level,
        by=world.head_of_education,
        evidence_url="https://egov.kz/cms/ru",
    )  # a claim: not yet verified
    criteria_writes.set_life_events(
        world.kindergarten,
        events=LifeEvent.objects.filter(code__in=["birth", "school"]),
        by=world.digital_office,
    )
    rows = {row["id"]: row for row in api.get("/api/v1/services/").json()["results"]}
    assert rows[world.first_grade.pk]["level"] == 1
    assert rows[world.kindergarten.pk]["level"] == 0
    assert sorted(rows[world.kindergarten.pk]["life_events"]) == ["birth", "school"]
    assert rows[world.first_grade.pk]["life_events"] == []
    school = api.get("/api/v1/services/", {"life_event": "school"}).json()["results"]
    assert [row["id"] for row in school] == [world.kindergarten.pk]
    assert [
        row["id"] for row in api.get("/api/v1/services/", {"level": "1"}).json()["results"]
    ] == [world.first_grade.pk]


def test_the_life_events_are_listed_with_their_names(api, world):
    events = api.get("/api/v1/life-events/").json()["results"]
    birth = next(event for event in events if event["code"] == "birth")
    assert birth["name_kk"] == "Баланың тууы немесе асырап алынуы"
    assert api.get("/api/v1/life-events/school/").json()["name_ru"] == "Детский сад и школа"


def test_meta_names_each_level_in_every_language(api):
    document = api.get("/api/v1/meta/").json()
    levels = document["enumerations"]["level"]
    assert [row["code"] for row in levels] == [0, 1, 2, 3, 4]
    assert levels[3]["title"]["ru"] == "полностью онлайн"
    services = next(e for e in document["endpoints"] if e["name"] == "services")
    fields = {field["name"]: field for field in services["fields"]}
    assert fields["level"]["enumeration"] == "level" and fields["level"]["type"] == "integer"
    assert fields["life_events"]["type"] == "array"


def test_a_regions_figures_carry_its_levels(api, world):
    from django.utils import timezone

    from reports.build import build_region_report

    publish(world.zhambyl)
    first_level = dict.fromkeys(
        Criterion.objects.filter(level=1).values_list("code", flat=True), "yes"
    )
    criteria_writes.answer_criteria(world.first_grade, answers=first_level, by=world.digital_office)
    build_region_report(world.zhambyl, as_of=timezone.localdate())
    figures = api.get("/api/v1/figures/regions/KZ-31/").json()
    assert figures["levels"] == [2, 1, 0, 0, 0]
    assert figures["level_two_or_above"] == 0
