"""The demo oblast reproduces the akimat meeting, and its history leads to today."""

from itertools import pairwise

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from regions.models import Department, Membership, Region, Role, User
from services.models import DIGITAL_STATUSES, Service, ServiceChange, Status, StatusChange
from tests.conftest import demo_loaded_for_a_module
from tracker.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at its end.

    Each test still runs in its own savepoint, so what one test writes the next never sees.
    """
    with demo_loaded_for_a_module(django_db_blocker, country=False) as logins:
        yield logins


def digital_count(code):
    return Service.objects.filter(department__code=code, status__in=DIGITAL_STATUSES).count()


def test_the_oblast_provides_190_services_most_still_on_paper(demo):
    services = Service.objects.filter(department__region__code="KZ-31")
    assert services.count() == 190
    assert services.filter(status=Status.PAPER).count() > 190 / 2


def test_education_has_five_services_not_yet_electronic_the_named_four_among_them(demo):
    not_electronic = Service.objects.filter(department__code="EDU").exclude(
        status__in=DIGITAL_STATUSES
    )
    assert not_electronic.count() == 5
    names = " ".join(not_electronic.values_list("name_ru", flat=True)).lower()
    for words in ("дошкольн", "начального", "лагер", "дополнительного образования"):
        assert words in names, words


def test_employment_and_social_programmes_has_11_electronic(demo):
    assert digital_count("SOC") == 11


def test_agriculture_has_17_electronic(demo):
    assert digital_count("AGR") == 17


def test_healthcare_tourism_land_and_natural_resources_lag_behind_the_oblast(demo):
    shares = {
        row["department__code"]: row["digital"] / row["total"]
        for row in Service.objects.values("department__code").annotate(
            total=Count("pk"), digital=Count("pk", filter=Q(status__in=DIGITAL_STATUSES))
        )
    }
    oblast = sum(1 for _ in Service.objects.electronic()) / Service.objects.count()
    for laggard in ("HLT", "TOUR", "LAND", "NAT"):
        assert shares[laggard] < oblast / 2, laggard
    four_lowest = sorted(shares, key=shares.get)[:4]
    assert set(four_lowest) == {"HLT", "TOUR", "LAND", "NAT"}


def test_every_service_has_names_in_kazakh_and_russian(demo):
    assert not Service.objects.filter(Q(name_kk="") | Q(name_ru="")).exists()


def test_history_leads_to_each_services_current_status(demo):
    today = timezone.localdate()
    as_of_today = {row.service_id: row.status for row in ServiceChange.objects.standing_on(today)}
    assert as_of_today == dict(Service.objects.values_list("pk", "status"))


def test_history_spans_two_years_with_moves_in_the_last_two_months(demo):
    now = timezone.now()
    oldest = StatusChange.objects.earliest().changed_at
    assert (now - oldest).days > 600
    recent = StatusChange.objects.filter(changed_at__gte=now - timezone.timedelta(days=60)).exclude(
        old_status=""
    )
    assert recent.exists()


def test_a_report_two_months_ago_differs_from_today(demo):
    today = timezone.localdate()
    then = today - timezone.timedelta(days=60)
    digital_then = sum(
        1 for row in ServiceChange.objects.standing_on(then) if row.status in DIGITAL_STATUSES
    )
    assert digital_then < Service.objects.electronic().count()


def test_some_targets_are_overdue(demo):
    assert Service.objects.overdue(on=timezone.localdate()).exists()


def test_there_is_a_demo_user_for_every_role(demo):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    heads = Membership.objects.filter(role=Role.HEAD)
    assert heads.count() == Department.objects.filter(region__code="KZ-31").count()
    assert {login.username for login in demo} >= {
        "admin",
        "digital",
        "akim",
        "official",
        "ministry",
        "head.edu",
    }


def test_demo_users_can_log_in_with_the_published_password(client, demo):
    response = client.post(
        reverse("admin:login"), {"username": "head.edu", "password": "demo12345"}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (
        Service.objects.count(),
        StatusChange.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    loaded, _logins = load_demo(country=False)
    assert not loaded
    assert counts == (
        Service.objects.count(),
        StatusChange.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


def test_all_twenty_regions_are_loaded_with_their_iso_codes(demo):
    assert Region.objects.count() == 20
    assert Region.objects.filter(kind=Region.Kind.CITY).count() == 3
    assert Region.objects.get(code="KZ-31").name_kk == "Жамбыл облысы"
    assert set(Region.objects.filter(kind=Region.Kind.CITY).values_list("code", flat=True)) == {
        "KZ-71",
        "KZ-75",
        "KZ-79",
    }


def test_head_of_education_sees_exactly_the_education_services_in_the_admin(client, demo):
    client.force_login(User.objects.get(username="head.edu"))
    response = client.get("/admin/services/service/?all=")
    listed = response.context["cl"].queryset
    assert listed.count() == 25
    assert set(listed.values_list("department__code", flat=True)) == {"EDU"}


def test_the_demo_ships_monthly_reports_the_latest_showing_the_meeting(demo):
    from reports.models import ReportSnapshot

    reports = list(ReportSnapshot.objects.done().order_by("as_of"))
    assert len(reports) == 6  # half a year of meetings: the trend and the forecasts
    gaps = {(later.as_of - earlier.as_of).days for earlier, later in pairwise(reports)}
    assert gaps == {30}
    older, latest = reports[-2:]
    assert latest.previous == older
    content = latest.content
    assert content["summary"]["total"] == 190
    rows = {row["code"]: row for row in content["departments"]}
    assert rows["EDU"]["total"] - rows["EDU"]["digital"] == 5
    assert rows["SOC"]["digital"] == 11
    assert rows["AGR"]["digital"] == 17
    assert {row["code"] for row in content["departments"][:4]} == {"HLT", "TOUR", "LAND", "NAT"}
    assert content["changes"], "some services moved since the previous report"
    assert content["summary"]["delta"]["digital"] > 0


def test_the_latest_demo_report_marks_the_departments_whose_data_went_stale(demo):
    from reports.models import ReportSnapshot

    rows = ReportSnapshot.objects.done().first().content["departments"]
    days = {row["code"]: row["days_since_confirmed"] for row in rows}
    assert all(days[code] >= 45 for code in ("HLT", "TOUR", "NAT"))
    assert all(days[code] <= 14 for code in ("EDU", "SOC", "AGR"))


def test_a_demo_report_of_two_months_ago_reflects_the_history_not_today(demo):
    from reports.build import build_region_report

    region = Region.objects.get(code="KZ-31")
    then = timezone.localdate() - timezone.timedelta(days=60)
    past = build_region_report(region, as_of=then).content["summary"]
    today = Service.objects.filter(department__region=region)
    assert past["digital"] < today.electronic().count()
    assert past["digital"] == sum(
        1
        for row in ServiceChange.objects.standing_on(then, services=today)
        if row.status in DIGITAL_STATUSES
    )


def test_the_demo_region_readiness_is_the_meetings(demo):
    from reports.models import ReportSnapshot

    readiness = ReportSnapshot.objects.done().first().content["readiness"]
    indicators = {i["key"]: (i["value"], i["target"]) for i in readiness["indicators"]}
    assert indicators["villages_without_internet"] == (26, 0)
    assert indicators["digital_literacy"] == (61.0, 80.0)


def test_some_demo_claims_still_await_the_digital_office(demo):
    from reports.models import ReportSnapshot

    summary = ReportSnapshot.objects.done().first().content["summary"]
    assert summary["awaiting_verification"] == 6  # tracker.demo.PENDING_CLAIMS
    assert Service.objects.with_claims().filter(awaiting_verification=True).exists()


def test_the_demo_shows_what_digitisation_saved_in_documents_and_days(demo):
    from reports.models import ReportSnapshot

    burden = ReportSnapshot.objects.done().first().content["summary"]["burden"]
    assert burden["documents"]["before"] > burden["documents"]["now"]
    assert burden["term_days"]["before"] > burden["term_days"]["now"]


def test_the_demo_has_a_year_of_usage_and_flags_electronic_services_used_in_person(demo):
    from reports.models import ReportSnapshot

    content = ReportSnapshot.objects.done().first().content
    assert all(row["take_up"] is not None for row in content["departments"])
    assert len(content["summary"]["take_up_by_month"]) == 12
    assert len(content["little_used"]) == 3  # tracker.demo.LITTLE_USED


def test_the_demo_targets_show_each_state_that_matters(demo):
    from reports.models import ReportSnapshot

    targets = ReportSnapshot.objects.done().first().content["targets"]
    states = {t["place_en"]: t["state"] for t in targets}
    assert states["Agriculture"] == "overdue"
    assert states["Tourism"] == "at_risk"
    assert len(targets) == 4


def test_the_demo_shows_which_electronic_services_still_need_a_visit(demo):
    from reports.models import ReportSnapshot
    from services.models import ServiceCriterion

    content = ReportSnapshot.objects.done().first().content
    summary = content["summary"]
    assert sum(summary["levels"]) == summary["total"]
    # Most "electronic" services still need a visit somewhere: the meeting's complaint.
    assert summary["verified"] / 2 < summary["electronic_needing_visit"] < summary["verified"]
    assert content["next_work"] and all(s["level"] <= 1 for s in content["next_work"])
    assert {event["code"] for event in content["life_events"]} >= {"birth", "school", "farming"}
    # A few heads' "no visit needed" wait for the digital office.
    awaiting = ServiceCriterion.objects.filter(awaiting=True, criterion__code="no_visit")
    assert awaiting.count() == 5
