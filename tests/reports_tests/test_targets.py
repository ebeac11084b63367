"""Share targets of a region or department: met, on track, at risk or overdue."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from reports.build import build_region_report
from reports.models import ProgressTarget
from services import actions

pytestmark = pytest.mark.django_db
TODAY = date.today()


def target(
    world,
    *,
    share,
    deadline_in,
    set_ago=100,
    baseline=0,
    department=None,
    scope=ProgressTarget.Scope.ALL,
):
    return ProgressTarget.objects.create(
        region=world.zhambyl,
        department=department,
        scope=scope,
        share=share,
        deadline=TODAY + timedelta(days=deadline_in),
        set_on=TODAY - timedelta(days=set_ago),
        baseline_share=baseline,
    )


def verified(world):
    """First grade's move to electronic is its head's claim: the digital office accepts it."""
    actions.verify_claim(world.first_grade.status_changes.latest(), by=world.digital_office)


def states(world):
    return [t["state"] for t in build_region_report(world.zhambyl, as_of=TODAY).content["targets"]]


def test_a_target_already_reached_is_met(world):
    verified(world)
    target(world, share=50, deadline_in=30, department=world.education)  # EDU: 1 of 2 electronic
    assert states(world) == ["met"]


def test_a_claim_awaiting_verification_does_not_count_towards_a_target(world):
    # EDU: 1 of 2 electronic, but only claimed by its head: 0% verified, the claim beside
    target(world, share=50, deadline_in=30, department=world.education)
    [row] = build_region_report(world.zhambyl, as_of=TODAY).content["targets"]
    assert (row["actual"], row["claimed"], row["actual_with_claims"]) == (0.0, 1, 0.5)
    assert row["state"] == "at_risk"
    verified(world)
    [row] = build_region_report(world.zhambyl, as_of=TODAY).content["targets"]
    assert (row["actual"], row["claimed"], row["state"]) == (0.5, 0, "met")


def test_a_target_behind_its_deadline_is_overdue(world):
    target(world, share=90, deadline_in=-1, department=world.education)
    assert states(world) == ["overdue"]


def test_on_track_means_at_or_above_the_straight_plan_line(world):
    # set 100 days ago from 0%, 100 days to go to 60%: plan now 30%; EDU is at 50%.
    verified(world)
    target(world, share=60, deadline_in=100, department=world.education)
    assert states(world) == ["on_track"]


def test_at_risk_means_below_the_plan_line(world):
    # the region: 1 of 3 electronic (33%); plan now 90% of the way to 100% from 0%.
    verified(world)
    target(world, share=100, deadline_in=10, set_ago=90)
    content = build_region_report(world.zhambyl, as_of=TODAY).content
    [row] = content["targets"]
    assert (row["state"], row["planned"], row["actual"]) == ("at_risk", 0.9, round(1 / 3, 4))
    assert row["place_kk"] == "Жамбыл облысы"


def test_socially_significant_targets_count_only_those_services(world):
    target(world, share=100, deadline_in=10, scope=ProgressTarget.Scope.SOCIALLY_SIGNIFICANT)
    [row] = build_region_report(world.zhambyl, as_of=TODAY).content["targets"]
    assert row["actual"] == 0.0  # the one socially significant service is on paper


def test_a_target_set_after_the_reports_day_is_not_in_it(world):
    target(world, share=50, deadline_in=30, set_ago=-5)
    assert states(world) == []


def test_the_digital_office_sets_targets_starting_from_todays_verified_share(client, world):
    client.force_login(world.digital_office)
    add = reverse("admin:reports_progresstarget_add")

    def set_target():
        response = client.post(
            add,
            {
                "region": world.zhambyl.pk,
                "department": world.education.pk,
                "scope": "all",
                "share": "100",
                "deadline": (TODAY + timedelta(days=90)).isoformat(),
            },
        )
        assert response.status_code == 302
        return ProgressTarget.objects.latest("pk")

    # EDU: first grade electronic of two, but only its head's claim: the plan starts at 0
    assert (set_target().set_on, float(set_target().baseline_share)) == (TODAY, 0.0)
    verified(world)
    assert float(set_target().baseline_share) == 50.0


@pytest.mark.parametrize("actor", ["head_of_education", "governor"])
def test_heads_and_governors_do_not_set_targets(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("admin:reports_progresstarget_add")).status_code == 403


def test_targets_are_in_the_xlsx_with_their_state(client, world):
    import io

    import openpyxl

    target(world, share=90, deadline_in=-1, department=world.education)
    snapshot = build_region_report(world.zhambyl, as_of=TODAY)
    client.force_login(world.governor)
    response = client.get(
        reverse("reports:xlsx", args=[snapshot.pk]), headers={"accept-language": "en"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Targets"]
    assert sheet["A2"].value == "Education Department"  # no short name: the full one
    assert sheet["G2"].value == "overdue"


def test_a_region_wide_target_is_charted_plan_against_actual(client, world):
    target(world, share=100, deadline_in=60, set_ago=90, baseline=20)
    build_region_report(world.zhambyl, as_of=TODAY)
    client.force_login(world.governor)
    response = client.get(reverse("reports:region", args=["KZ-31"]))
    [(row, chart)] = response.context["target_charts"]
    assert row["region_wide"] and 'stroke-dasharray="6 4"' in chart  # the dashed plan
    assert "<polyline" in chart  # the actual share


def test_a_services_own_target_is_on_track_at_risk_or_overdue(world):
    from tests.conftest import make_service

    head = world.head_of_education
    for name, days in [("Далеко", 200), ("Скоро", 10), ("Прошло", -3)]:
        make_service(
            world.education,
            name,
            by=head,
            target_status="electronic",
            target_date=TODAY + timedelta(days=days),
        )
    content = build_region_report(world.zhambyl, as_of=TODAY).content
    states = {
        s["name_ru"]: s["target_state"] for row in content["departments"] for s in row["lagging"]
    }
    assert (states["Далеко"], states["Скоро"], states["Прошло"]) == (
        "on_track",
        "at_risk",
        "overdue",
    )


def test_take_up_by_service_is_in_its_own_xlsx_sheet(client, world):
    import io

    import openpyxl

    from services.models import Channel, Usage

    month = TODAY.replace(day=1)
    Usage.objects.create(service=world.first_grade, month=month, channel=Channel.EGOV, count=3)
    Usage.objects.create(service=world.first_grade, month=month, channel=Channel.PSC, count=1)
    snapshot = build_region_report(world.zhambyl, as_of=TODAY)
    client.force_login(world.governor)
    data = client.get(
        reverse("reports:xlsx", args=[snapshot.pk]), headers={"accept-language": "en"}
    ).content
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Used online"]
    assert [cell.value for cell in sheet[2]] == [
        "Education Department",  # its name, never its internal code
        "Зачисление в 1 класс",
        "electronic",
        4,
        0.75,
    ]


@pytest.mark.parametrize("actor", ["superuser", "digital_office"])
def test_a_target_cannot_name_a_department_of_another_region(client, world, actor):
    client.force_login(getattr(world, actor))
    response = client.post(
        reverse("admin:reports_progresstarget_add"),
        {
            "region": world.zhambyl.pk,
            "department": world.almaty_education.pk,
            "scope": "all",
            "share": "100",
            "deadline": (TODAY + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    assert not ProgressTarget.objects.exists()
