"""First answers of many services at once write what one-by-one writes would, under the
same rules, in the same number of queries for 5 services as for 50."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regions.models import User
from services import criteria_writes
from services.criteria_bulk import FirstAnswers, answer_unanswered
from services.levels import answers_at
from services.models import (
    CriterionChange,
    LifeEvent,
    Service,
    ServiceChange,
    ServiceCriterion,
)
from tests.conftest import make_service

pytestmark = pytest.mark.django_db

ANSWERS = {"info_online": "yes", "apply_online": "yes", "no_visit": "no", "prefilled": "unknown"}
PROOF = "https://egov.kz/cms/ru/services/kindergarten"


def written(service: Service):
    """What a service's answers left behind, without the ids and moments."""
    service.refresh_from_db()
    in_force = sorted(
        (row.criterion.code, row.answer, row.awaiting)
        for row in ServiceCriterion.objects.filter(service=service).select_related("criterion")
    )
    history = [
        (row.kind, row.changes, row.comment)
        for row in ServiceChange.objects.filter(service=service).order_by("changed_at", "pk")
    ][1:]  # after the row that added it
    return (service.level, service.level_verified, service.version, in_force, history)


def test_bulk_answers_write_what_one_by_one_answers_write(world):
    school = [LifeEvent.objects.get(code="school")]
    one = make_service(world.education, "Одна", by=world.head_of_education)
    other = make_service(world.education, "Другая", by=world.head_of_education)
    criteria_writes.answer_criteria(one, answers=ANSWERS, by=world.digital_office, comment="c")
    criteria_writes.set_life_events(one, events=school, by=world.digital_office, comment="c")

    count = answer_unanswered(
        [FirstAnswers(other, answers=ANSWERS, events=school, comment="c")],
        by=world.digital_office,
    )

    assert count == 1
    assert written(other) == written(one)
    assert other.version == one.version  # the caller's object sees what was written
    assert set(other.life_events.values_list("code", flat=True)) == {"school"}


def test_a_heads_yes_is_a_claim_and_needs_evidence(world):
    service = world.kindergarten
    with pytest.raises(ValidationError) as refusal:
        answer_unanswered(
            [FirstAnswers(service, answers={"info_online": "yes"})], by=world.head_of_education
        )
    assert "criteria_evidence_url" in refusal.value.message_dict
    assert not CriterionChange.objects.exists()

    answer_unanswered(
        [FirstAnswers(service, answers={"info_online": "yes"}, evidence_url=PROOF)],
        by=world.head_of_education,
    )
    [claim] = criteria_writes.criterion_claims_awaiting(Service.objects.all())
    assert claim.needs_verification and claim.evidence_url == PROOF
    service.refresh_from_db()
    assert (service.level, service.level_verified) == (1, 0)


def test_refusals_write_nothing_for_any_service(world):
    fine = FirstAnswers(world.first_grade, answers={"info_online": "yes"})
    cases = [
        (PermissionDenied, FirstAnswers(world.seed_subsidy, answers={"info_online": "no"})),
        (ValidationError, FirstAnswers(world.kindergarten, answers={"not_a_criterion": "yes"})),
        (ValidationError, FirstAnswers(world.kindergarten, answers={"info_online": "maybe"})),
        (
            ValidationError,
            FirstAnswers(
                world.kindergarten,
                answers={"info_online": "no"},
                at=timezone.now() - timedelta(days=400),  # before the service was added
            ),
        ),
    ]
    for refusal, entry in cases:
        with pytest.raises(refusal):
            answer_unanswered([fine, entry], by=world.head_of_education)
    assert not CriterionChange.objects.exists() and not ServiceCriterion.objects.exists()
    assert not Service.objects.exclude(version=0).exists()


def test_a_service_answered_already_goes_through_the_one_by_one_writes(world):
    criteria_writes.answer_criteria(
        world.kindergarten, answers={"info_online": "no"}, by=world.digital_office
    )
    with pytest.raises(ValidationError):
        answer_unanswered(
            [FirstAnswers(world.kindergarten, answers={"apply_online": "yes"})],
            by=world.digital_office,
        )
    assert CriterionChange.objects.count() == 1


def test_bulk_answers_are_read_as_of_their_moment(world):
    moment = timezone.now()
    answer_unanswered(
        [FirstAnswers(world.kindergarten, answers={"info_online": "yes"}, at=moment)],
        by=world.digital_office,
    )
    before = answers_at(moment, services=Service.objects.all())  # only what came before
    after = answers_at(moment + timedelta(seconds=1), services=Service.objects.all())
    assert world.kindergarten.pk not in before
    assert after[world.kindergarten.pk] == [("info_online", "yes", False)]


def queries_for(world, count: int, prefix: str) -> int:
    services = [
        make_service(world.education, f"{prefix}-{n}", by=world.head_of_education)
        for n in range(count)
    ]
    events = [LifeEvent.objects.get(code="school")]
    entries = [FirstAnswers(s, answers=ANSWERS, events=events) for s in services]
    office = User.objects.get(pk=world.digital_office.pk)  # access not yet read
    with CaptureQueriesContext(connection) as queries:
        assert answer_unanswered(entries, by=office) == count
    return len(queries)


def test_the_queries_do_not_grow_with_the_services(world):
    # 15 services' 75 rows still fit in one of SQLite's inserts (999 values).
    assert queries_for(world, 5, "А") == queries_for(world, 15, "Б") <= 15
