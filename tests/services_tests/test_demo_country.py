"""The demo's made-up rest of the country: every region reported twice, ranked twice, each
leading or lagging in its own way, its services comparable across regions."""

import pytest

from regions.kinds import DepartmentKind
from regions.models import Region
from reports.across_regions import Selection, shared_services
from reports.models import NationalSnapshot, ReportSnapshot
from services.models import Service
from tests.conftest import demo_loaded_for_a_module
from tracker.demo_country import department_names

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def country(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for this module and rolled back at its end."""
    with demo_loaded_for_a_module(django_db_blocker, country=True) as logins:
        yield logins


def test_every_region_has_two_reports_and_the_country_two_rankings(country):
    reports = ReportSnapshot.objects.filter(state="done")
    assert reports.values("region").distinct().count() == Region.objects.count() == 20
    made_up = Region.objects.exclude(code="KZ-31")  # the demo oblast has half a year's
    assert all(reports.filter(region=region).count() == 2 for region in made_up)
    latest, earlier = NationalSnapshot.objects.filter(state="done").order_by("-as_of")
    assert len(latest.content["regions"]) == 20 and latest.previous == earlier
    # Each made-up region leads or lags in its own way: the scores are not all alike.
    assert len({row["score"] for row in latest.content["regions"]}) > 10


def test_the_made_up_regions_compare_service_by_service(country):
    regions = list(Region.objects.order_by("code"))
    shared = shared_services(Selection(kind=DepartmentKind.EDUCATION), regions)
    assert len(shared) == 25  # the demo oblast's education services, in 19 other regions
    assert all(len(service.statuses) == 19 for service in shared)


def test_the_made_up_regions_differ_in_levels_and_share_the_life_events(country):
    latest = {
        snapshot.region.code: snapshot.content
        for snapshot in ReportSnapshot.objects.filter(state="done").order_by("as_of")
    }
    level_two = {code: sum(content["summary"]["levels"][2:]) for code, content in latest.items()}
    assert len(set(level_two.values())) > 10  # each region as far along as its own depth
    assert all(content["life_events"] for content in latest.values())
    # Answered in the weeks before the latest report: the one before saw fewer.
    earlier = ReportSnapshot.objects.filter(state="done", region__code="KZ-11").order_by("as_of")
    assert sum(earlier[0].content["summary"]["levels"][1:]) < sum(
        earlier[1].content["summary"]["levels"][1:]
    )


def test_the_demo_oblast_keeps_the_meetings_figures(country):
    zhambyl = Service.objects.filter(department__region__code="KZ-31")
    assert zhambyl.count() == 190 and not zhambyl.exclude(register_code="").exists()


def test_a_made_up_departments_names_lose_the_demo_oblast():
    names = department_names(
        {
            "name_ru": "Управление образования акимата Жамбылской области",
            "name_kk": "Жамбыл облысы әкімдігінің білім басқармасы",
            "name_en": "Education Department of the Zhambyl Region Akimat",
            "short_name_ru": "Образование",
        }
    )
    assert names == {
        "name_ru": "Управление образования",
        "name_kk": "Білім басқармасы",
        "name_en": "Education Department",
        "short_name_ru": "Образование",
    }
