"""Building region reports from history: figures, deltas, ranking, cost and failure."""

import gc
from datetime import date

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from regions.models import Department, Region
from reports.build import build_region_report, compute_report, run_build
from reports.models import ReportSnapshot
from services import actions
from services.models import Service, ServiceChange, Status, StatusChange
from tests.conftest import almaty, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    """Zhambyl in 2025: two education services moving up, one agriculture service stuck."""
    head_edu, head_agr = world.head_of_education, world.head_of_agriculture
    camps = make_service(
        world.education, "Лагеря", by=head_edu, at=almaty(2025, 1, 10), socially_significant=True
    )
    actions.set_status(camps, status=Status.PARTIAL, by=head_edu, at=almaty(2025, 3, 1))
    actions.set_status(
        camps,
        status=Status.ELECTRONIC,
        by=head_edu,
        at=almaty(2025, 6, 30),
        comment="На портале eGov",
    )
    clubs = make_service(world.education, "Кружки", by=head_edu, at=almaty(2025, 4, 1))
    actions.set_status(clubs, status=Status.ELECTRONIC, by=head_edu, at=almaty(2025, 5, 1))
    make_service(
        world.agriculture,
        "Субсидии",
        by=head_agr,
        at=almaty(2025, 1, 5),
        target_status=Status.ELECTRONIC,
        target_date=date(2025, 5, 1),
        blocker="Нет интеграции с ИС МСХ",
    )
    return world


def department(content, code):
    return next(row for row in content["departments"] if row["code"] == code)


def test_a_past_report_counts_each_service_as_it_stood_that_day(history):
    content = build_region_report(history.zhambyl, as_of=date(2025, 5, 15)).content
    summary = content["summary"]
    assert (summary["total"], summary["paper"], summary["partial"], summary["digital"]) == (
        3,
        1,
        1,
        1,
    )
    assert summary["share_digital"] == pytest.approx(1 / 3, abs=1e-4)
    assert (summary["socially_significant"], summary["socially_significant_digital"]) == (1, 0)
    education = department(content, "EDU")
    assert (education["total"], education["partial"], education["electronic"]) == (2, 1, 1)
    assert education["share_digital"] == 0.5


def test_services_created_today_are_not_in_a_report_of_last_year(history):
    content = build_region_report(history.zhambyl, as_of=date(2025, 5, 15)).content
    names = {s["name_ru"] for row in content["departments"] for s in row["lagging"]}
    assert "Постановка на очередь в детский сад" not in names  # created by `world` today


def test_departments_are_ranked_laggards_first(history):
    content = build_region_report(history.zhambyl, as_of=date(2025, 5, 15)).content
    assert [row["code"] for row in content["departments"]] == ["AGR", "EDU"]
    assert [row["rank"] for row in content["departments"]] == [1, 2]


def test_services_still_on_paper_are_named_with_blocker_target_and_overdue(history):
    content = build_region_report(history.zhambyl, as_of=date(2025, 5, 15)).content
    [subsidy] = department(content, "AGR")["lagging"]
    assert subsidy["name_ru"] == "Субсидии"
    assert subsidy["blocker"] == "Нет интеграции с ИС МСХ"
    assert (subsidy["target_status"], subsidy["target_date"], subsidy["overdue"]) == (
        Status.ELECTRONIC,
        "2025-05-01",
        True,
    )
    assert department(content, "AGR")["overdue"] == 1
    assert content["summary"]["overdue"] == 1


def test_a_report_compares_with_the_previous_snapshot(history):
    first = build_region_report(history.zhambyl, as_of=date(2025, 5, 15))
    second = build_region_report(history.zhambyl, as_of=date(2025, 7, 1))
    assert second.previous == first
    content = second.content
    assert content["previous"] == {"id": first.pk, "as_of": "2025-05-15"}
    assert content["summary"]["delta"]["digital"] == 1
    assert department(content, "EDU")["delta"]["digital"] == 1
    assert department(content, "EDU")["delta"]["share_digital"] == 0.5
    [move] = content["changes"]
    assert (
        move["name_ru"],
        move["old_status"],
        move["new_status"],
        move["changed_by"],
        move["comment"],
    ) == ("Лагеря", Status.PARTIAL, Status.ELECTRONIC, "head.edu", "На портале eGov")


def test_the_first_report_of_a_region_has_no_deltas_and_no_changes(history):
    content = build_region_report(history.zhambyl, as_of=date(2025, 5, 15)).content
    assert content["previous"] is None
    assert content["summary"]["delta"] is None
    assert content["changes"] == []


def test_building_the_same_region_and_date_again_gives_the_same_report(history):
    build_region_report(history.zhambyl, as_of=date(2025, 5, 15))
    once = build_region_report(history.zhambyl, as_of=date(2025, 7, 1))
    again = build_region_report(history.zhambyl, as_of=date(2025, 7, 1))
    assert again.pk != once.pk
    assert again.content == once.content
    assert ReportSnapshot.objects.filter(as_of=date(2025, 7, 1)).count() == 2


def test_a_report_does_not_change_after_later_status_moves(history):
    snapshot = build_region_report(history.zhambyl, as_of=date(2025, 5, 15))
    frozen = snapshot.content
    subsidy = Service.objects.get(name_ru="Субсидии")
    actions.set_status(subsidy, status=Status.ELECTRONIC, by=history.head_of_agriculture)
    snapshot.refresh_from_db()
    assert snapshot.content == frozen
    rebuilt = build_region_report(history.zhambyl, as_of=date(2025, 5, 15))
    assert rebuilt.content["summary"] == frozen["summary"]


def test_a_finished_snapshot_is_not_built_again(history):
    snapshot = build_region_report(history.zhambyl, as_of=date(2025, 5, 15))
    finished_at = snapshot.finished_at
    assert run_build(snapshot).finished_at == finished_at


# --- cost --------------------------------------------------------------------------------


def region_with(code, departments, services_each, by):
    region = Region.objects.create(
        code=code,
        kind=Region.Kind.OBLAST,
        name_kk=code,
        name_ru=code,
        name_en=code,
        centre_kk="c",
        centre_ru="c",
        centre_en="c",
    )
    created = Department.objects.bulk_create(
        Department(region=region, code=f"D{n}", name_kk=f"D{n}", name_ru=f"D{n}")
        for n in range(departments)
    )
    services = Service.objects.bulk_create(
        Service(
            department=d,
            name_ru=f"{d.code}-{n}",
            status=Status.values[n % 4],
            socially_significant=n % 2 == 0,
        )
        for d in created
        for n in range(services_each)
    )
    moves = StatusChange.objects.bulk_create(
        StatusChange(
            service=s,
            old_status="",
            new_status=s.status,
            changed_by=by,
            changed_at=almaty(2025, 1, 1),
        )
        for s in services
    )
    ServiceChange.objects.bulk_create(
        ServiceChange.of(
            move.service,
            kind=ServiceChange.Kind.CREATED,
            changed_at=move.changed_at,
            changed_by=by,
            status_change=move,
        )
        for move in moves
    )
    return region


def queries_to_build(region):
    with CaptureQueriesContext(connection) as queries:
        snapshot = build_region_report(region, as_of=date(2025, 6, 1))
    assert (
        snapshot.content["summary"]["total"]
        == Service.objects.filter(department__region=region).count()
    )
    return len(queries)


def test_a_build_costs_the_same_queries_for_5_and_50_departments(world):
    small = region_with("KZ-90", departments=5, services_each=3, by=world.superuser)
    large = region_with("KZ-91", departments=50, services_each=6, by=world.superuser)
    build_region_report(small, as_of=date(2025, 3, 1))  # both compare with a previous one
    build_region_report(large, as_of=date(2025, 3, 1))
    # the reads of build.compute_report (usage in one pass on PostgreSQL, two elsewhere;
    # the services now and at the last meeting in one; the changes since in two, each on
    # its index), the previous snapshot, the claim (tracker.jobs), the state writes and the
    # departments' figures as rows (one insert), the earlier reports' shares for the
    # forecasts (their departments' too where a department has a target: none here), the
    # criteria, their answers and the life events (reports.maturity)
    expected = 23 if connection.vendor == "postgresql" else 24
    assert queries_to_build(small) == queries_to_build(large) == expected


# --- failure ------------------------------------------------------------------------------


REFUSE_FINISHED_REPORTS = {
    "sqlite": [
        """CREATE TRIGGER refuse_report BEFORE UPDATE ON reports_reportsnapshot
           WHEN NEW.state = 'done' BEGIN SELECT RAISE(ABORT, 'disk is full'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_report() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF NEW.state = 'done' THEN RAISE EXCEPTION 'disk is full'; END IF;
           RETURN NEW; END $$""",
        """CREATE TRIGGER refuse_report BEFORE UPDATE ON reports_reportsnapshot
           FOR EACH ROW EXECUTE FUNCTION refuse_report()""",
    ],
}


def test_a_build_the_database_refuses_fails_readably_and_keeps_the_previous_report(history):
    previous = build_region_report(history.zhambyl, as_of=date(2025, 5, 15))
    kept = previous.content
    with connection.cursor() as cursor:  # the database itself refuses, mid-build
        for statement in REFUSE_FINISHED_REPORTS[connection.vendor]:
            cursor.execute(statement)
    with pytest.raises(DatabaseError):
        build_region_report(history.zhambyl, as_of=date(2025, 7, 1))
    failed = ReportSnapshot.objects.get(as_of=date(2025, 7, 1))
    assert failed.state == ReportSnapshot.State.FAILED
    assert "disk is full" in failed.error
    assert failed.content == {}
    assert failed.finished_at is not None
    previous.refresh_from_db()
    assert (previous.state, previous.content) == (ReportSnapshot.State.DONE, kept)
    latest = ReportSnapshot.objects.done().filter(region=history.zhambyl).first()
    assert latest == previous


def test_the_delivery_burden_compares_only_services_with_both_figures(world):
    head = world.head_of_education
    make_service(
        world.education,
        "А",
        by=head,
        documents_before=6,
        documents_required=4,
        term_days_before=30,
        term_days=10,
    )
    make_service(
        world.education,
        "Б",
        by=head,
        documents_before=5,
        documents_required=2,
        term_days_before=None,
        term_days=3,
    )
    make_service(world.education, "В", by=head, documents_required=9)  # no "before": left out
    burden = build_region_report(world.zhambyl, as_of=date.today()).content["summary"]["burden"]
    assert burden["documents"] == {"services": 2, "before": 5.5, "now": 3.0}
    assert burden["term_days"] == {"services": 1, "before": 30.0, "now": 10.0}


def test_a_finished_report_keeps_its_departments_figures_as_rows(world):
    from reports.models import DepartmentFigures

    report = build_region_report(world.zhambyl, as_of=date.today())
    rows = {row.department_id: row for row in DepartmentFigures.objects.filter(snapshot=report)}
    for department in report.content["departments"]:
        kept = rows[department["id"]]
        assert (kept.total, kept.digital, kept.awaiting, kept.rank, kept.kind) == (
            department["total"],
            department["digital"],
            department["awaiting_verification"],
            department["rank"],
            department["kind"],
        )
    assert rows[world.education.pk].kind == "education"


def test_a_build_holds_the_cycle_collector_off_and_gives_it_back(history):
    def seen_by_the_build(percent):
        during.append(gc.isenabled())

    def failing(percent):
        raise RuntimeError("interrupted")

    during = []
    compute_report(
        history.zhambyl, as_of=date(2025, 7, 1), previous=None, on_progress=seen_by_the_build
    )
    assert during and not any(during)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        compute_report(history.zhambyl, as_of=date(2025, 7, 1), previous=None, on_progress=failing)
    assert gc.isenabled()  # given back after a failure too
    gc.disable()  # paused by someone else: left paused
    try:
        compute_report(history.zhambyl, as_of=date(2025, 7, 1), previous=None)
        assert not gc.isenabled()
    finally:
        gc.enable()
