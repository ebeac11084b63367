"""One history for every change of a service: each kind of write leaves exactly one row,
field by field, in the same transaction; each refusal leaves none."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from services import actions
from services.models import HistoryIsImmutable, Service, ServiceChange, Status
from services.readable_history import entries
from services.spreadsheets.importer import import_services
from tests.conftest import almaty, make_service
from tests.services_tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db
Kind = ServiceChange.Kind


def rows(service):
    return list(ServiceChange.objects.filter(service=service).order_by("changed_at", "pk"))


def latest(service):
    return rows(service)[-1]


def fresh(service):
    return Service.objects.get(pk=service.pk)


def test_a_new_service_starts_its_history_with_what_it_was_given(world):
    [row] = rows(world.kindergarten)
    assert row.kind == Kind.CREATED
    assert row.changed_by == world.head_of_education
    assert row.changes["name_ru"] == [None, "Постановка на очередь в детский сад"]
    assert row.changes["socially_significant"] == [None, True]
    assert "channel_office" not in row.changes  # its default: nothing to say
    assert (row.status, row.department, row.name_ru) == (
        Status.PAPER,
        world.education,
        "Постановка на очередь в детский сад",
    )


def test_a_status_move_is_one_row_with_old_and_new_and_the_move_in_force(world):
    move = actions.set_status(
        world.kindergarten, status=Status.PARTIAL, by=world.head_of_education, comment="ИС"
    )
    row = latest(world.kindergarten)
    assert (row.kind, row.changes["status"]) == (Kind.STATUS, ["paper", "partial"])
    assert row.status_change == move
    assert row.comment == "ИС"
    assert len(rows(world.kindergarten)) == 2


def test_an_edit_records_each_field_old_and_new_and_who(world):
    service = world.kindergarten
    actions.update_service(
        service,
        by=world.head_of_education,
        changes={"blocker": "Нет интеграции", "channel_egov": True, "term_days": 5},
        expected_version=service.version,
        comment="Уточнили",
    )
    row = latest(service)
    assert row.kind == Kind.EDITED
    assert row.changes == {
        "blocker": ["", "Нет интеграции"],
        "channel_egov": [False, True],
        "term_days": [None, 5],
    }
    assert (row.blocker, row.channels) == ("Нет интеграции", "office,egov")
    assert row.changed_by == world.head_of_education


def test_an_edit_and_a_move_together_are_one_row(world):
    service = world.kindergarten
    actions.update_service(
        service,
        by=world.digital_office,
        changes={"status": Status.ELECTRONIC, "target_status": "", "evidence_url": "https://e.kz"},
        expected_version=service.version,
    )
    row = latest(service)
    assert set(row.changes) == {"status", "evidence_url"}
    assert row.status_change.new_status == Status.ELECTRONIC
    assert len(rows(service)) == 2


def test_a_department_move_within_the_region_is_recorded(world):
    service = world.kindergarten
    actions.update_service(
        service,
        by=world.digital_office,
        changes={"department": world.agriculture},
        expected_version=service.version,
    )
    row = latest(service)
    assert row.changes == {"department": [world.education.pk, world.agriculture.pk]}
    assert row.department == world.agriculture


def test_a_move_to_another_regions_department_is_refused_and_leaves_nothing(world):
    service = world.kindergarten
    with pytest.raises(PermissionDenied):
        actions.update_service(
            service,
            by=world.digital_office,
            changes={"department": world.almaty_education},
            expected_version=service.version,
        )
    with pytest.raises(ValidationError):
        actions.update_service(
            service,
            by=world.superuser,
            changes={"department": world.almaty_education},
            expected_version=service.version,
        )
    assert len(rows(service)) == 1
    assert fresh(service).department == world.education


def test_a_head_cannot_move_a_service_to_a_department_not_theirs(world):
    service = world.kindergarten
    with pytest.raises(PermissionDenied):
        actions.update_service(
            service,
            by=world.head_of_education,
            changes={"department": world.agriculture},
            expected_version=service.version,
        )
    assert len(rows(service)) == 1


def test_an_edit_that_changes_nothing_the_same_day_writes_nothing(world):
    service = world.kindergarten
    actions.update_service(
        service,
        by=world.head_of_education,
        changes={"blocker": ""},
        expected_version=service.version,
    )
    assert len(rows(service)) == 1
    assert fresh(service).version == 0


def test_a_refused_edit_leaves_no_row(world):
    service = world.kindergarten
    with pytest.raises(actions.StaleVersion):
        actions.update_service(
            service, by=world.head_of_education, changes={"blocker": "x"}, expected_version=7
        )
    with pytest.raises(PermissionDenied):
        actions.update_service(
            service, by=world.head_of_agriculture, changes={"blocker": "x"}, expected_version=0
        )
    with pytest.raises(ValidationError):
        actions.update_service(
            service, by=world.head_of_education, changes={"term_days": 999}, expected_version=0
        )
    assert len(rows(service)) == 1


def old_service(world):
    return make_service(
        world.education,
        "Выдача дубликатов аттестатов",
        by=world.head_of_education,
        at=timezone.now() - timedelta(days=40),
    )


def test_confirming_records_a_row_per_service_confirmed(world):
    service = old_service(world)
    assert actions.confirm_services([service], by=world.head_of_education) == 1
    row = latest(service)
    assert row.kind == Kind.CONFIRMED
    assert row.last_confirmed == timezone.localdate()
    assert row.changes["last_confirmed"][1] == timezone.localdate().isoformat()
    assert fresh(service).version == 1
    # confirmed already today: no second row
    assert actions.confirm_services([fresh(service)], by=world.head_of_education) == 0
    assert len(rows(service)) == 2


def test_confirming_another_departments_services_is_refused_and_leaves_nothing(world):
    service = old_service(world)
    with pytest.raises(PermissionDenied):
        actions.confirm_services([service], by=world.head_of_agriculture)
    with pytest.raises(PermissionDenied):
        actions.confirm_services([service], by=world.governor)
    assert len(rows(service)) == 1


@pytest.fixture
def claim(world):
    return actions.set_status(
        world.kindergarten,
        status=Status.ELECTRONIC,
        by=world.head_of_education,
        evidence_url="https://egov.kz/kindergarten",
    )


def test_accepting_a_claim_is_a_row_keeping_the_status(world, claim):
    actions.verify_claim(claim, by=world.digital_office)
    row = latest(world.kindergarten)
    assert (row.kind, row.status, row.status_change) == (Kind.VERIFIED, Status.ELECTRONIC, claim)
    assert row.changed_by == world.digital_office


def test_rejecting_a_claim_is_a_row_moving_the_status_back(world, claim):
    actions.reject_claim(claim, by=world.digital_office, reason="Ссылка не открывается")
    row = latest(world.kindergarten)
    assert (row.kind, row.changes["status"]) == (Kind.REJECTED, ["electronic", "paper"])
    assert "Ссылка не открывается" in row.comment


def test_a_refused_review_leaves_no_row(world, claim):
    for reviewer in (world.head_of_education, world.head_of_agriculture, world.governor):
        with pytest.raises(PermissionDenied):
            actions.verify_claim(claim, by=reviewer)
    assert len(rows(world.kindergarten)) == 2


def test_the_digital_office_withdraws_and_restores_with_reasons(world):
    service = world.seed_subsidy
    today = timezone.localdate()
    assert actions.withdraw_services(
        [service], by=world.digital_office, on=today + timedelta(days=10), reason="Исключена"
    )
    row = latest(service)
    assert (row.kind, row.comment) == (Kind.WITHDRAWN, "Исключена")
    assert row.changes == {"withdrawn_on": [None, (today + timedelta(days=10)).isoformat()]}
    assert fresh(service).withdrawn_on == today + timedelta(days=10)
    with pytest.raises(PermissionDenied):  # a head returns none of theirs either
        actions.restore_services([fresh(service)], by=world.head_of_agriculture, reason="x")
    assert fresh(service).withdrawn_on == today + timedelta(days=10)
    actions.restore_services([fresh(service)], by=world.digital_office, reason="Вернули")
    row = latest(service)
    assert (row.kind, row.withdrawn_on) == (Kind.RESTORED, None)
    assert fresh(service).withdrawn_on is None


def test_a_withdrawal_that_would_be_unfair_or_unclear_is_refused_and_leaves_nothing(world):
    service = world.seed_subsidy
    today = timezone.localdate()
    # a head withdrawing their own paper service would raise their share
    with pytest.raises(PermissionDenied):
        actions.withdraw_services([service], by=world.head_of_agriculture, on=today, reason="x")
    with pytest.raises(PermissionDenied):  # another region's digital office
        actions.withdraw_services(
            [world.almaty_kindergarten], by=world.digital_office, on=today, reason="x"
        )
    with pytest.raises(ValidationError):  # no reason
        actions.withdraw_services([service], by=world.digital_office, on=today, reason=" ")
    with pytest.raises(ValidationError):  # would rewrite reports already dated
        actions.withdraw_services(
            [service], by=world.digital_office, on=today - timedelta(days=1), reason="x"
        )
    with pytest.raises(ValidationError):  # not withdrawn: nothing to restore
        actions.restore_services([service], by=world.digital_office, reason="x")
    assert len(rows(service)) == 1
    assert fresh(service).withdrawn_on is None


def test_an_import_edit_is_an_import_row_naming_the_file(world):
    data = xlsx(
        [
            ["Наименование госуслуги", "Почему не в электронном виде"],
            ["Постановка на очередь в детский сад", "Нет доступа к ГБД"],
        ]
    )
    import_services(data, "perechen.xlsx", department=world.education, user=world.digital_office)
    row = latest(world.kindergarten)
    assert row.kind == Kind.IMPORTED
    assert row.changes == {"blocker": ["", "Нет доступа к ГБД"]}
    assert "perechen.xlsx" in row.comment


def test_a_service_an_import_adds_starts_its_history_naming_the_file_and_row(world):
    data = xlsx([["Наименование госуслуги", "Форма оказания"], ["Выдача справок", "бумажная"]])
    import_services(data, "perechen.xlsx", department=world.education, user=world.digital_office)
    added = Service.objects.get(name_ru="Выдача справок")
    [row] = rows(added)
    assert (row.kind, row.changed_by, row.status) == (Kind.CREATED, world.digital_office, "paper")
    assert "perechen.xlsx" in row.comment and "2" in row.comment
    assert row.changes["name_ru"] == [None, "Выдача справок"]
    assert row.status_change == added.status_changes.get()


def test_a_change_dated_before_the_latest_row_is_refused(world):
    with pytest.raises(ValidationError):
        actions.set_status(
            world.kindergarten,
            status=Status.PARTIAL,
            by=world.head_of_education,
            at=almaty(2020, 1, 1),
        )
    assert len(rows(world.kindergarten)) == 1


def test_history_rows_are_never_edited_or_deleted(world):
    row = latest(world.kindergarten)
    row.comment = "переписано"
    with pytest.raises(HistoryIsImmutable):
        row.save()
    with pytest.raises(HistoryIsImmutable):
        row.delete()
    with pytest.raises(HistoryIsImmutable):
        ServiceChange.objects.filter(pk=row.pk).update(comment="x")
    with pytest.raises(HistoryIsImmutable):
        ServiceChange.objects.all().delete()


def test_the_readable_history_speaks_the_readers_language(world):
    actions.update_service(
        world.kindergarten,
        by=world.head_of_education,
        changes={"sphere": "social_protection", "paid": True},
        expected_version=0,
    )
    with translation.override("ru"):
        [edit, created] = entries(world.kindergarten)
        shown = {change.label: (change.old, change.new) for change in edit.fields}
    assert shown["сфера"] == ("прочее", "социальная защита")
    assert shown["платная"] == ("—", "да")
    assert created.what == "добавлена"
