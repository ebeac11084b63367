"""The national page: every region's latest report side by side, for those who see every
region — its order, its totals, its marks, and its cost whatever the number of regions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regions.models import Region
from reports.build import build_region_report
from reports.headline import HEADLINE_FIELDS, headline_of
from services import actions
from services.models import Status
from tests.conftest import add_reported_regions, make_service

pytestmark = pytest.mark.django_db

NATIONAL = reverse("reports:national")
INDEX = reverse("reports:index")
ENGLISH = {"accept-language": "en"}


def today():
    return timezone.localdate()


def test_the_index_shows_each_regions_latest_report_not_its_oldest(client, world):
    """Two reports of one day: the later build wins; an older date never does."""
    build_region_report(world.zhambyl, as_of=today() - timedelta(days=30))
    first_today = build_region_report(world.zhambyl, as_of=today())
    actions.set_status(
        world.kindergarten,
        status=Status.ELECTRONIC,
        by=world.digital_office,
        evidence_url="https://egov.kz/kindergarten",
    )
    latest = build_region_report(world.zhambyl, as_of=today())
    assert latest.share_digital != first_today.share_digital
    client.force_login(world.national_analyst)
    rows = {row.region.code: row for row in client.get(INDEX).context["rows"]}
    assert rows["KZ-31"].report.pk == latest.pk
    assert rows["KZ-19"].report is None


def test_the_index_and_the_national_page_load_no_report_content(client, world):
    build_region_report(world.zhambyl, as_of=today())
    client.force_login(world.national_analyst)
    for page in (INDEX, NATIONAL):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        reads = [q["sql"] for q in captured if "reports_reportsnapshot" in q["sql"]]
        assert reads and not any('"content"' in sql for sql in reads), reads


def test_a_built_reports_headline_columns_are_its_contents_figures(world):
    make_service(world.education, "Выдача справки", by=world.head_of_education)
    report = build_region_report(world.zhambyl, as_of=today())
    assert {name: getattr(report, name) for name in HEADLINE_FIELDS} == headline_of(report.content)
    assert report.services_total == report.content["summary"]["total"] == 4


@pytest.mark.parametrize("actor", ["national_analyst", "superuser"])
def test_those_who_see_every_region_open_the_national_page(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(NATIONAL).status_code == 200


@pytest.mark.parametrize(
    "actor", ["governor", "digital_office", "official", "head_of_education", "outsider"]
)
def test_everyone_else_is_told_there_is_no_such_page(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(NATIONAL).status_code == 404


def test_anonymous_readers_are_sent_to_sign_in(client):
    assert client.get(NATIONAL).status_code == 302


@pytest.fixture
def two_reported_regions(world):
    """Zhambyl: 3 services, 2 electronic of which 1 only claimed; Almaty: 1 on paper."""
    actions.set_status(
        world.first_grade,
        status=Status.ELECTRONIC,
        by=world.digital_office,
        evidence_url="https://egov.kz/first-grade",
    )
    actions.verify_claim(world.first_grade.status_changes.latest(), by=world.digital_office)
    actions.set_status(
        world.kindergarten,
        status=Status.ELECTRONIC,
        by=world.head_of_education,
        evidence_url="https://egov.kz/kindergarten",
    )
    zhambyl = build_region_report(world.zhambyl, as_of=today())
    almaty = build_region_report(world.almaty_region, as_of=today())
    return zhambyl, almaty


def test_laggards_come_first_and_every_column_sorts_both_ways(client, world, two_reported_regions):
    client.force_login(world.national_analyst)
    rows = client.get(NATIONAL).context["rows"]
    assert [row.region.code for row in rows] == ["KZ-19", "KZ-31"]  # 0% before 33%
    assert (rows[1].verified, rows[1].claimed, rows[1].services_total) == (1, 1, 3)
    descending = client.get(NATIONAL, {"sort": "share_verified", "order": "desc"})
    assert [row.region.code for row in descending.context["rows"]] == ["KZ-31", "KZ-19"]
    for column in descending.context["columns"]:
        for order in ("asc", "desc"):
            assert client.get(NATIONAL, {"sort": column.key, "order": order}).status_code == 200
    # An unknown column is the default order, not an error.
    junk = client.get(NATIONAL, {"sort": "content"})
    assert [row.region.code for row in junk.context["rows"]] == ["KZ-19", "KZ-31"]


def test_national_totals_are_shares_of_the_summed_counts(client, world, two_reported_regions):
    client.force_login(world.national_analyst)
    totals = client.get(NATIONAL).context["totals"]
    # 4 services: Zhambyl's 3 (1 verified, 1 claimed) and Almaty's 1 on paper.
    assert (totals.services_total, totals.verified, totals.claimed) == (4, 1, 1)
    assert (totals.share_verified, totals.share_digital) == (0.25, 0.5)
    assert (totals.regions, totals.reported) == (2, 2)


def test_a_region_without_a_report_is_listed_last_and_an_old_report_is_marked(
    client, world, settings
):
    settings.NATIONAL_REPORT_MAX_AGE_DAYS = 14
    make_service(
        world.education,
        "Выдача архивной справки",
        by=world.head_of_education,
        at=timezone.now() - timedelta(days=30),
    )
    build_region_report(world.zhambyl, as_of=today() - timedelta(days=20))
    Region.objects.create(code="KZ-99", kind=Region.Kind.OBLAST, name_ru="Тестовая область")
    client.force_login(world.national_analyst)
    response = client.get(NATIONAL, headers=ENGLISH)
    rows = response.context["rows"]
    assert rows[0].region.code == "KZ-31"
    assert {row.region.code for row in rows[1:]} == {"KZ-19", "KZ-99"}
    assert rows[0].old_report and not rows[0].fresh
    assert "20 days old" in response.content.decode()
    assert response.context["totals"].old_reports == 1


def test_the_national_page_costs_the_same_queries_for_2_or_20_regions(client, world):
    client.force_login(world.national_analyst)
    build_region_report(world.zhambyl, as_of=today())

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(NATIONAL).status_code == 200
        return len(captured)

    with_two = queries()
    add_reported_regions(18, by=world.superuser, days=(7, 0))
    assert queries() == with_two


ACROSS = reverse("reports:across_regions")


@pytest.fixture
def education_in_two_regions(world):
    """The kindergarten queue in both regions under one code: electronic (verified) in
    Almaty only; a second Zhambyl education service on paper."""
    for service in (world.kindergarten, world.almaty_kindergarten):
        actions.update_service(
            service,
            by=world.superuser,
            changes={"register_code": "70100001"},
            expected_version=service.version,
        )
    almaty = type(world.almaty_kindergarten).objects.get(pk=world.almaty_kindergarten.pk)
    actions.set_status(
        almaty, status=Status.ELECTRONIC, by=world.head_in_almaty, evidence_url="https://egov.kz/q"
    )
    actions.verify_claim(almaty.status_changes.latest(), by=world.superuser)


def test_every_regions_education_departments_side_by_side(client, world, education_in_two_regions):
    client.force_login(world.national_analyst)
    response = client.get(ACROSS, {"kind": "education"})
    rows = {row.region.code: row for row in response.context["rows"]}
    assert (rows["KZ-31"].total, rows["KZ-31"].verified) == (2, 0)
    assert (rows["KZ-19"].total, rows["KZ-19"].verified, rows["KZ-19"].share_verified) == (
        1,
        1,
        1.0,
    )
    assert [row.region.code for row in response.context["rows"]] == ["KZ-31", "KZ-19"]
    [(service, statuses)] = response.context["shared"]
    assert service.register_code == "70100001"
    assert statuses == ["electronic", "paper"]  # the regions in code order: KZ-19, KZ-31


def test_a_sphere_compares_the_same_way_and_junk_falls_back_to_education(
    client, world, education_in_two_regions
):
    seeds = world.seed_subsidy
    actions.update_service(
        seeds, by=world.superuser, changes={"sphere": "agriculture"}, expected_version=seeds.version
    )
    client.force_login(world.national_analyst)
    by_sphere = client.get(ACROSS, {"sphere": "agriculture"}).context["rows"]
    assert {row.region.code: row.total for row in by_sphere} == {"KZ-31": 1, "KZ-19": 0}
    junk = client.get(ACROSS, {"kind": "nonsense", "sphere": "%"})
    assert junk.status_code == 200 and junk.context["selection"].kind == "education"


@pytest.mark.parametrize("actor", ["governor", "head_of_education", "digital_office"])
def test_only_those_who_see_every_region_compare_across_regions(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(ACROSS).status_code == 404


def test_comparing_across_regions_costs_the_same_queries_for_any_number_of_services(
    client, world, education_in_two_regions
):
    client.force_login(world.national_analyst)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACROSS, {"kind": "education"}).status_code == 200
        return len(captured)

    few = queries()
    for number in range(30):
        make_service(world.education, f"Услуга {number}", by=world.superuser)
    assert queries() == few


def test_a_region_report_gives_each_department_its_place_among_its_peers(
    client, world, education_in_two_regions
):
    from reports.peers import PeerRank, peer_ranks

    zhambyl = build_region_report(world.zhambyl, as_of=today())
    almaty = build_region_report(world.almaty_region, as_of=today())
    # Education: Almaty 1 of 1 verified (100%) ranks before Zhambyl's 0 of 2.
    assert peer_ranks(almaty)[world.almaty_education.pk] == PeerRank(1, 2)
    ranks = peer_ranks(zhambyl)
    assert (ranks[world.education.pk].rank, ranks[world.education.pk].of) == (2, 2)
    assert (ranks[world.agriculture.pk].rank, ranks[world.agriculture.pk].of) == (1, 1)
    client.force_login(world.governor)
    page = client.get(reverse("reports:region", args=["KZ-31"]), headers=ENGLISH)
    html = page.content.decode()
    assert "Place in the country" in html
    assert '<td class="num peers" data-label="Place in the country">2 of 2</td>' in html


def test_a_department_is_compared_with_its_peers_reports_of_that_date_or_before(
    world, education_in_two_regions
):
    from reports.models import ReportSnapshot
    from reports.peers import peer_ranks

    zhambyl = build_region_report(world.zhambyl, as_of=today())
    later = build_region_report(world.almaty_region, as_of=today())
    ReportSnapshot.objects.filter(pk=later.pk).update(as_of=today() + timedelta(days=1))
    assert peer_ranks(zhambyl)[world.education.pk].of == 1  # Almaty's is of a later date
