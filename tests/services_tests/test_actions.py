"""Status writes: one history row per move, atomic, refused when stale or not allowed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from services import actions
from services.models import HistoryIsImmutable, Service, Status, StatusChange
from tests.conftest import almaty

pytestmark = pytest.mark.django_db


def history(service):
    return list(StatusChange.objects.filter(service=service).order_by("changed_at", "pk"))


def test_creating_a_service_records_its_first_status(world):
    rows = history(world.first_grade)
    assert [(r.old_status, r.new_status) for r in rows] == [("", Status.ELECTRONIC)]
    assert rows[0].changed_by == world.head_of_education


def test_set_status_moves_the_service_and_writes_one_history_row(world):
    change = actions.set_status(
        world.kindergarten,
        status=Status.PARTIAL,
        by=world.head_of_education,
        comment="Заявления принимаются в ИС",
        evidence_url="https://egov.kz/x",
    )
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PARTIAL
    assert world.kindergarten.version == 1
    assert history(world.kindergarten)[-1] == change
    assert (change.old_status, change.new_status) == (Status.PAPER, Status.PARTIAL)
    assert change.changed_by == world.head_of_education
    assert change.comment == "Заявления принимаются в ИС"
    assert len(history(world.kindergarten)) == 2


def test_setting_the_status_it_already_has_writes_nothing(world):
    assert (
        actions.set_status(world.kindergarten, status=Status.PAPER, by=world.head_of_education)
        is None
    )
    assert len(history(world.kindergarten)) == 1
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.version == 0


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    seen_by_head = Service.objects.get(pk=world.kindergarten.pk)
    actions.set_status(
        world.kindergarten, status=Status.PARTIAL, by=world.digital_office, expected_version=0
    )
    with translation.override("en"), pytest.raises(actions.StaleVersion) as conflict:
        actions.set_status(
            seen_by_head,
            status=Status.ELECTRONIC,
            by=world.head_of_education,
            expected_version=seen_by_head.version,
        )
    assert "after you opened it" in conflict.value.message
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PARTIAL
    assert [r.new_status for r in history(world.kindergarten)] == [Status.PAPER, Status.PARTIAL]


def test_a_head_cannot_move_another_departments_service(world):
    with pytest.raises(PermissionDenied):
        actions.set_status(world.seed_subsidy, status=Status.ELECTRONIC, by=world.head_of_education)
    world.seed_subsidy.refresh_from_db()
    assert world.seed_subsidy.status == Status.PAPER
    assert len(history(world.seed_subsidy)) == 1


def test_a_governor_cannot_move_any_status(world):
    with pytest.raises(PermissionDenied):
        actions.set_status(world.kindergarten, status=Status.ELECTRONIC, by=world.governor)
    assert len(history(world.kindergarten)) == 1


def test_an_unknown_status_is_refused(world):
    with pytest.raises(ValidationError):
        actions.set_status(world.kindergarten, status="digital", by=world.head_of_education)
    assert len(history(world.kindergarten)) == 1


def test_a_failure_after_the_history_row_is_written_leaves_neither(world):
    # The move is recorded first; the invalid register code fails validation afterwards.
    with pytest.raises(ValidationError):
        actions.update_service(
            world.kindergarten,
            by=world.head_of_education,
            expected_version=0,
            changes={"status": Status.ELECTRONIC, "register_code": "12-34"},
            comment="Переведено",
        )
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER
    assert world.kindergarten.register_code == ""
    assert world.kindergarten.version == 0
    assert len(history(world.kindergarten)) == 1


def test_update_service_records_a_status_move_with_its_comment(world):
    actions.update_service(
        world.kindergarten,
        by=world.head_of_education,
        expected_version=0,
        changes={"status": Status.ELECTRONIC, "blocker": ""},
        comment="На портале eGov",
    )
    last = history(world.kindergarten)[-1]
    assert (last.old_status, last.new_status, last.comment) == (
        Status.PAPER,
        Status.ELECTRONIC,
        "На портале eGov",
    )


def test_update_service_cannot_move_a_service_into_a_department_the_user_may_not_edit(world):
    with pytest.raises(PermissionDenied):
        actions.update_service(
            world.kindergarten,
            by=world.head_of_education,
            expected_version=0,
            changes={"department": world.agriculture},
        )
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.department == world.education


def test_bulk_set_status_writes_one_row_per_service_that_moves(world):
    changes = actions.set_status_many(
        [world.kindergarten, world.first_grade, world.seed_subsidy],
        status=Status.ELECTRONIC,
        by=world.digital_office,
        comment="Приказ №12",
    )
    # first_grade was already electronic: no row for it
    assert {c.service_id for c in changes} == {world.kindergarten.pk, world.seed_subsidy.pk}
    assert all(c.comment == "Приказ №12" for c in changes)


def test_bulk_set_status_is_all_or_nothing_when_one_service_is_not_yours(world):
    with pytest.raises(PermissionDenied):
        actions.set_status_many(
            [world.kindergarten, world.seed_subsidy],
            status=Status.ELECTRONIC,
            by=world.head_of_education,
            comment="x",
        )
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER


def test_a_back_dated_move_cannot_precede_the_latest_one(world):
    actions.set_status(world.kindergarten, status=Status.PARTIAL, by=world.head_of_education)
    with pytest.raises(ValidationError):
        actions.set_status(
            world.kindergarten,
            status=Status.ELECTRONIC,
            by=world.head_of_education,
            at=almaty(2020, 1, 1),
        )
    assert len(history(world.kindergarten)) == 2


def test_history_rows_cannot_be_edited_or_deleted(world):
    row = history(world.kindergarten)[0]
    row.comment = "rewritten"
    with pytest.raises(HistoryIsImmutable):
        row.save()
    with pytest.raises(HistoryIsImmutable):
        row.delete()
    with pytest.raises(HistoryIsImmutable):
        StatusChange.objects.filter(pk=row.pk).update(comment="rewritten")
    with pytest.raises(HistoryIsImmutable):
        StatusChange.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.comment != "rewritten"


def test_confirming_services_dates_them_today_and_refuses_strangers(world):
    from django.utils import timezone

    Service.objects.filter(pk=world.kindergarten.pk).update(last_confirmed=None)
    assert actions.confirm_services([world.kindergarten], by=world.head_of_education) == 1
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.last_confirmed == timezone.localdate()
    with pytest.raises(PermissionDenied):
        actions.confirm_services([world.seed_subsidy], by=world.head_of_education)


@pytest.mark.parametrize(
    "field, value", [("sphere", "astrology"), ("provider_level", "galaxy"), ("paid", "maybe")]
)
def test_a_new_service_off_its_defaults_is_still_checked(world, field, value):
    # Fields still at the model's default are spared the check; any other value is not.
    with pytest.raises(ValidationError) as refused:
        actions.prepare_service(
            department=world.education,
            by=world.head_of_education,
            name_ru="Новая",
            **{field: value},
        )
    assert field in refused.value.error_dict
