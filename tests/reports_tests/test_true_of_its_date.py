"""A report is true of its date: built from history alone up to its cutoff, it is the same
whenever it is rebuilt, whatever changed since — statuses, names, targets, blockers,
departments, withdrawals — and withdrawals, renames, merges and splits show before and
after their dates as they should."""

import io
import random
from datetime import datetime, time, timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from regions import restructure
from regions.models import Department, DepartmentChange
from reports.build import build_region_report
from services import actions
from services.models import HistoryIsImmutable, Service, Status
from tests.conftest import make_service

pytestmark = pytest.mark.django_db


def at(day, hour=12, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def past(world):
    """Zhambyl with a month of history: services added 30 days ago, moves 20 days ago."""
    today = timezone.localdate()
    head, agr = world.head_of_education, world.head_of_agriculture
    month_ago = at(today - timedelta(days=30))
    world.camps = make_service(
        world.education, "Летние лагеря", by=head, at=month_ago, socially_significant=True
    )
    world.clubs = make_service(
        world.education,
        "Кружки",
        by=head,
        at=month_ago,
        target_status=Status.ELECTRONIC,
        target_date=today + timedelta(days=60),
        blocker="Нет ИС",
    )
    world.seeds = make_service(world.agriculture, "Семена", by=agr, at=month_ago)
    world.fuel = make_service(world.agriculture, "Дизтопливо", by=agr, at=month_ago)
    actions.set_status(
        world.camps, status=Status.PARTIAL, by=head, at=at(today - timedelta(days=20))
    )
    actions.set_status(
        world.seeds,
        status=Status.ELECTRONIC,
        by=world.digital_office,
        at=at(today - timedelta(days=20)),
    )
    world.today = today
    return world


def fresh(service):
    return Service.objects.select_related("department").get(pk=service.pk)


# --- the property: later changes never alter a past date's report -----------------------------


def random_edit(rng, world, services):
    """One change of anything a report reads, made now, as a real user could."""
    service = fresh(rng.choice(services))
    office = world.digital_office
    choice = rng.randrange(8)
    if choice == 0:
        actions.set_status(
            service,
            status=rng.choice([s for s in Status.values if s != service.status]),
            by=office,
            evidence_url="https://egov.kz/x",
        )
    elif choice == 1:
        actions.update_service(
            service,
            by=office,
            changes={"name_ru": f"{service.name_ru} (нов.)", "blocker": f"причина {rng.random()}"},
            expected_version=service.version,
        )
    elif choice == 2:
        actions.update_service(
            service,
            by=office,
            changes={
                "target_status": Status.PROACTIVE,
                "target_date": world.today - timedelta(days=rng.randint(1, 60)),
                "socially_significant": not service.socially_significant,
                "channel_egov": not service.channel_egov,
            },
            expected_version=service.version,
        )
    elif choice == 3:
        other = world.agriculture if service.department == world.education else world.education
        actions.update_service(
            service, by=office, changes={"department": other}, expected_version=service.version
        )
    elif choice == 4 and not service.withdrawn_on:
        actions.withdraw_services([service], by=office, on=world.today, reason="Исключена")
    elif choice == 5:
        services.append(make_service(service.department, f"Новая {rng.random()}", by=office))
    elif choice == 6:
        department = fresh(service).department
        before = restructure.state_of(department)
        department.name_ru = f"{department.name_ru} и туризма"
        department.save()
        restructure.record(department, by=office, kind="edited", before=before)
    else:
        actions.confirm_services([service], by=office)


@pytest.mark.parametrize("seed", range(5))
def test_a_past_dates_report_is_the_same_after_any_later_changes(past, seed):
    world = past
    day = world.today - timedelta(days=10)
    original = build_region_report(world.zhambyl, as_of=day).content
    rng = random.Random(seed)
    services = [world.camps, world.clubs, world.seeds, world.fuel, world.kindergarten]
    for _ in range(25):
        random_edit(rng, world, services)
    if seed == 0:  # and the departments themselves reorganised
        restructure.merge(world.agriculture, into=world.education, by=world.digital_office)
    rebuilt = build_region_report(world.zhambyl, as_of=day).content
    assert rebuilt == original


def test_the_same_date_rebuilt_reads_up_to_the_same_cutoff(past):
    world = past
    original = build_region_report(world.zhambyl, as_of=world.today - timedelta(days=10))
    assert original.cutoff == at(world.today - timedelta(days=9), 0)
    today = build_region_report(world.zhambyl, as_of=world.today)
    assert original.cutoff < today.cutoff <= timezone.now()


# --- the day boundary and the Monday build -------------------------------------------------


def test_a_move_at_half_past_midnight_counts_for_its_almaty_day_only(past):
    world = past
    day = world.today - timedelta(days=5)
    actions.set_status(
        world.fuel, status=Status.PARTIAL, by=world.head_of_agriculture, at=at(day, 0, 30)
    )
    before = build_region_report(world.zhambyl, as_of=day - timedelta(days=1)).content
    on_the_day = build_region_report(world.zhambyl, as_of=day).content
    assert before["summary"]["partial"] == 1  # the camps only
    assert on_the_day["summary"]["partial"] == 2
    [change] = on_the_day["changes"]
    assert (change["name_ru"], change["new_status"]) == ("Дизтопливо", Status.PARTIAL)


def test_a_move_after_the_monday_build_shows_in_the_next_weeks_changes(past):
    world = past
    monday = world.today - timedelta(days=8)
    build_region_report(world.zhambyl, as_of=monday, cutoff=at(monday, 7))
    actions.set_status(
        world.fuel, status=Status.PARTIAL, by=world.head_of_agriculture, at=at(monday, 9)
    )
    next_monday = monday + timedelta(days=7)
    content = build_region_report(
        world.zhambyl, as_of=next_monday, cutoff=at(next_monday, 7)
    ).content
    assert [change["name_ru"] for change in content["changes"]] == ["Дизтопливо"]
    assert content["summary"]["delta"]["partial"] == 1


# --- withdrawals --------------------------------------------------------------------------------


def total(content, code=None):
    if code is None:
        return content["summary"]["total"]
    return next(row["total"] for row in content["departments"] if row["code"] == code)


def test_a_withdrawn_service_stops_counting_from_its_date_and_counts_before(past):
    world = past
    on = world.today + timedelta(days=3)
    actions.withdraw_services([world.fuel], by=world.digital_office, on=on, reason="Упразднена")
    # the world's seed subsidy, added today, and the two added a month ago
    assert total(build_region_report(world.zhambyl, as_of=world.today).content, "AGR") == 3
    after = build_region_report(world.zhambyl, as_of=on).content
    assert total(after, "AGR") == 2
    assert [c["kind"] for c in after["changes"]] == ["withdrawn"]
    past_report = build_region_report(world.zhambyl, as_of=world.today - timedelta(days=1))
    assert total(past_report.content, "AGR") == 2


def test_a_restored_service_counts_again(past):
    world = past
    actions.withdraw_services(
        [world.fuel], by=world.digital_office, on=world.today, reason="Упразднена"
    )
    assert total(build_region_report(world.zhambyl, as_of=world.today).content, "AGR") == 2
    actions.restore_services([fresh(world.fuel)], by=world.digital_office, reason="Ошибка")
    assert total(build_region_report(world.zhambyl, as_of=world.today).content, "AGR") == 3


# --- departments over time --------------------------------------------------------------------


def row_of(content, code):
    return next(row for row in content["departments"] if row["code"] == code)


def test_a_renamed_department_keeps_its_old_name_in_earlier_reports(past):
    world = past
    yesterday = world.today - timedelta(days=1)
    department = Department.objects.get(pk=world.agriculture.pk)
    before = restructure.state_of(department)
    department.name_ru = "Управление сельского хозяйства и земельных отношений"
    department.save()
    restructure.record(department, by=world.digital_office, kind="edited", before=before)
    earlier = build_region_report(world.zhambyl, as_of=yesterday).content
    now = build_region_report(world.zhambyl, as_of=world.today).content
    assert row_of(earlier, "AGR")["name_ru"] == "Управление сельского хозяйства"
    assert row_of(now, "AGR")["name_ru"] == department.name_ru


def test_a_merge_shows_both_before_and_one_after_compared_like_with_like(past):
    world = past
    last_meeting = build_region_report(world.zhambyl, as_of=world.today)
    moved = restructure.merge(world.agriculture, into=world.education, by=world.digital_office)
    assert moved == 3
    content = build_region_report(world.zhambyl, as_of=world.today + timedelta(days=1)).content
    assert [row["code"] for row in content["departments"]] == ["EDU"]
    merged = row_of(content, "EDU")
    assert merged["total"] == 7
    # compared with education and agriculture together at the last meeting: no jump
    assert merged["delta"]["total"] == 0 and merged["delta"]["digital"] == 0
    [note] = merged["restructured"]
    assert (note["kind"], note["other_short_name_ru"], note["services"]) == (
        "merged",
        "Управление сельского хозяйства",
        3,
    )
    # the last meeting, rebuilt up to its cutoff, still shows the two departments
    rebuilt = build_region_report(
        world.zhambyl, as_of=last_meeting.as_of, cutoff=last_meeting.cutoff
    ).content
    assert {row["code"] for row in rebuilt["departments"]} == {"EDU", "AGR"}
    assert rebuilt == last_meeting.content
    assert Department.objects.get(pk=world.agriculture.pk).closed_on == world.today


def test_a_split_compares_each_part_with_its_own_services_at_the_last_meeting(past):
    world = past
    build_region_report(world.zhambyl, as_of=world.today)
    tourism = Department.objects.create(
        region=world.zhambyl, code="TOUR", name_kk="Туризм басқармасы", name_ru="Управление туризма"
    )
    restructure.record_created([tourism], by=world.digital_office)
    restructure.split(world.education, [fresh(world.camps)], to=tourism, by=world.digital_office)
    content = build_region_report(world.zhambyl, as_of=world.today + timedelta(days=1)).content
    tour, education = row_of(content, "TOUR"), row_of(content, "EDU")
    assert (tour["total"], tour["delta"]["total"], tour["delta"]["partial"]) == (1, 0, 0)
    assert (education["total"], education["delta"]["total"]) == (3, 0)
    assert [note["kind"] for note in tour["restructured"]] == ["split_from"]
    assert [note["kind"] for note in education["restructured"]] == ["split"]


def test_reorganising_departments_is_the_digital_offices_and_refused_to_others(past):
    world = past
    for user in (world.head_of_agriculture, world.governor, world.head_in_almaty):
        with pytest.raises(PermissionDenied):
            restructure.merge(world.agriculture, into=world.education, by=user)
    with pytest.raises(ValidationError):  # across regions
        restructure.merge(world.agriculture, into=world.almaty_education, by=world.superuser)
    with pytest.raises(ValidationError):  # a closed department takes nothing more
        restructure.merge(world.agriculture, into=world.education, by=world.digital_office)
        restructure.split(
            world.education, [fresh(world.camps)], to=world.agriculture, by=world.digital_office
        )
    assert Service.objects.filter(department=world.agriculture).count() == 0
    assert fresh(world.camps).department == world.education


def test_the_report_page_and_its_xlsx_explain_a_merge_and_a_withdrawal(client, past):
    world = past
    build_region_report(world.zhambyl, as_of=world.today)
    restructure.merge(world.agriculture, into=world.education, by=world.digital_office)
    actions.withdraw_services(
        [fresh(world.camps)], by=world.digital_office, on=world.today, reason="Упразднена"
    )
    snapshot = build_region_report(world.zhambyl, as_of=world.today + timedelta(days=1))
    client.force_login(world.governor)
    page = client.get(
        reverse("reports:snapshot", args=[snapshot.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "присоединено Управление сельского хозяйства: добавились 3 услуги" in page
    assert "исключена из реестра с " in page
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            client.get(
                reverse("reports:xlsx", args=[snapshot.pk]), HTTP_ACCEPT_LANGUAGE="ru"
            ).content
        )
    )
    rows = [
        [str(cell) for cell in row if cell is not None]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    [withdrawn] = [row for row in rows if "Летние лагеря" in row and len(row) > 4]
    assert any(cell.startswith("исключена из реестра с ") for cell in withdrawn)


def test_a_departments_history_is_never_edited_or_deleted(past):
    world = past
    restructure.merge(world.agriculture, into=world.education, by=world.digital_office)
    row = world.agriculture.history.first()
    row.name_ru = "переписано"
    with pytest.raises(HistoryIsImmutable):
        row.save()
    with pytest.raises(HistoryIsImmutable):
        row.delete()
    with pytest.raises(HistoryIsImmutable):
        DepartmentChange.objects.filter(pk=row.pk).update(name_ru="x")
    with pytest.raises(HistoryIsImmutable):
        DepartmentChange.objects.all().delete()


@pytest.mark.parametrize("seed", range(4))
def test_now_and_the_last_meeting_in_one_read_are_the_two_reads_apart(past, seed):
    """The build reads both moments at once (standing.services_now_and_then): the same as
    two reads, whatever changed in between — moves, edits, withdrawals, claims accepted."""
    from reports import standing
    from services.models import end_of_day

    rng = random.Random(seed)
    services = [past.camps, past.clubs, past.seeds]  # fuel: its claim only
    claimed = actions.set_status(
        fresh(past.fuel),
        status=Status.ELECTRONIC,
        by=past.head_of_agriculture,
        evidence_url="https://egov.kz/x",
        at=at(past.today - timedelta(days=15)),
    )
    for _ in range(12):
        random_edit(rng, past, services)
    actions.verify_claim(claimed, by=past.digital_office)
    last_meeting = past.today - timedelta(days=10)
    now, then = timezone.now() + timedelta(seconds=1), end_of_day(last_meeting)

    current, previous = standing.services_now_and_then(
        past.zhambyl, now, then, days=(last_meeting, past.today)
    )
    assert current == standing.services_at(past.zhambyl, now, day=past.today)
    by_pk = {service.pk: service for service in previous}
    apart = standing.services_at(past.zhambyl, then, day=last_meeting)
    assert by_pk == {service.pk: service for service in apart}
    assert by_pk[past.fuel.pk].awaiting_on_day  # a claim then, accepted since
    assert not next(s for s in current if s.pk == past.fuel.pk).awaiting_on_day
