"""The figures are the reports': each region's latest, or the latest of a day or before."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.build import build_region_report
from services import actions
from services.models import Status
from tests.api_tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reports(world):
    """Zhambyl's report of today (1 of 3 services electronic), and of a week on, built now
    after a move (2 of 3): a report reads the history up to its build for a day to come,
    and the world's services exist from today only. Published."""
    publish(world.zhambyl)
    first = timezone.localdate()
    build_region_report(world.zhambyl, as_of=first)
    actions.set_status(world.seed_subsidy, status=Status.ELECTRONIC, by=world.digital_office)
    later = first + timedelta(days=7)
    build_region_report(world.zhambyl, as_of=later)
    return world, first, later


def figures(api, **query):
    response = api.get("/api/v1/figures/regions/", query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_without_a_day_the_latest_report_gives_the_figures(api, two_reports):
    _world, _first, later = two_reports
    (row,) = figures(api)
    assert (row["as_of"], row["services_total"], row["services_digital"]) == (
        later.isoformat(),
        3,
        2,
    )
    assert row["share_digital"] == pytest.approx(0.6667)
    # First grade is its head's claim, not yet reviewed; the digital office's move needs none.
    assert row["services_verified"] == 1
    # the change is of the verified share: 1 of 3 now, none of 3 at the first report
    assert row["share_digital_change"] == pytest.approx(0.3333)


def test_as_of_gives_the_latest_report_of_that_day_or_before(api, two_reports):
    _world, first, later = two_reports
    on_the_day = figures(api, as_of=first.isoformat())
    between = figures(api, as_of=(first + timedelta(days=3)).isoformat())
    assert [row["as_of"] for row in on_the_day + between] == [first.isoformat()] * 2
    assert on_the_day[0]["services_digital"] == 1
    assert figures(api, as_of=later.isoformat())[0]["services_digital"] == 2
    assert figures(api, as_of=(later + timedelta(days=300)).isoformat())[0]["as_of"] == (
        later.isoformat()
    )
    assert figures(api, as_of=(first - timedelta(days=1)).isoformat()) == []


def test_one_regions_figures_as_of_a_day(api, two_reports):
    _world, first, _later = two_reports
    url = "/api/v1/figures/regions/KZ-31/"
    assert api.get(url, {"as_of": first.isoformat()}).json()["services_digital"] == 1
    assert api.get(url, {"as_of": "2000-01-01"}).status_code == 404


def test_the_departments_figures_are_their_rows_of_the_same_report(api, two_reports):
    _world, first, _later = two_reports
    rows = api.get("/api/v1/figures/departments/").json()["results"]
    by_code = {row["code"]: row for row in rows}
    assert (by_code["EDU"]["kind"], by_code["AGR"]["kind"]) == ("education", "agriculture")
    assert by_code["AGR"]["digital"] == 1 and by_code["AGR"]["share_digital_change"] == 1.0
    assert (by_code["EDU"]["total"], by_code["EDU"]["paper"], by_code["EDU"]["electronic"]) == (
        2,
        1,
        1,
    )
    earlier = api.get("/api/v1/figures/departments/", {"as_of": first.isoformat()}).json()
    assert {row["code"]: row["digital"] for row in earlier["results"]} == {"AGR": 0, "EDU": 1}
    assert {row["as_of"] for row in earlier["results"]} == {first.isoformat()}


def test_a_failed_or_unfinished_build_is_not_the_latest(api, two_reports):
    from reports.models import ReportSnapshot

    world, _first, later = two_reports
    ReportSnapshot.objects.create(region=world.zhambyl, as_of=later + timedelta(days=1))
    assert figures(api)[0]["as_of"] == later.isoformat()


def test_department_rows_are_paged_across_regions(api, world):
    """Page two begins in Almaty's report after Zhambyl's two departments."""
    publish(world.zhambyl)
    publish(world.almaty_region)
    for region in (world.zhambyl, world.almaty_region):
        build_region_report(region, as_of=timezone.localdate())
    pages = [
        api.get("/api/v1/figures/departments/", {"page_size": 2, "page": page}).json()
        for page in (1, 2)
    ]
    assert pages[0]["count"] == 3
    assert [row["region"] for row in pages[0]["results"]] == ["KZ-19", "KZ-31"]
    assert [row["region"] for row in pages[1]["results"]] == ["KZ-31"]
    assert {row["department"] for page in pages for row in page["results"]} == {
        world.education.pk,
        world.agriculture.pk,
        world.almaty_education.pk,
    }
