"""Criteria answered, claimed, verified and rejected, with history: and the refusals —
a "yes" without proof, a head deciding on a claim, another department's service, a
stale copy, a criterion not in use."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from services import criteria_writes as writes
from services.actions import StaleVersion
from services.levels import answers_at, recompute_levels
from services.models import (
    Answer,
    Criterion,
    CriterionChange,
    CriterionReview,
    LifeEvent,
    Service,
    ServiceChange,
    ServiceCriterion,
)
from services.readable_history import entries

pytestmark = pytest.mark.django_db

PROOF = "https://egov.kz/services/kindergarten"


def level_one_codes():
    return list(Criterion.objects.filter(level=1, active=True).values_list("code", flat=True))


def all_yes(level):
    codes = Criterion.objects.filter(level__lte=level, active=True).values_list("code", flat=True)
    return dict.fromkeys(codes, Answer.YES)


def stored(service):
    service.refresh_from_db()
    return service.level, service.level_verified


def test_a_heads_yes_without_evidence_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refusal:
        writes.answer_criteria(world.kindergarten, answers=all_yes(1), by=world.head_of_education)
    assert "criteria_evidence_url" in refusal.value.message_dict
    assert not CriterionChange.objects.exists() and not ServiceCriterion.objects.exists()
    assert stored(world.kindergarten) == (0, 0)


def test_a_heads_yes_is_a_claim_until_the_digital_office_accepts_it(world):
    service = world.kindergarten
    version = service.version
    [claim] = writes.answer_criteria(
        service, answers=all_yes(1), by=world.head_of_education, evidence_url=PROOF
    )
    assert claim.needs_verification and claim.evidence_url == PROOF
    assert stored(service) == (1, 0)  # claimed level 1, verified 0
    assert service.version == version + 1
    row = ServiceChange.objects.filter(service=service).latest("changed_at", "pk")
    assert row.kind == ServiceChange.Kind.CRITERIA
    code = level_one_codes()[0]
    assert row.changes == {f"criterion:{code}": [None, "claimed"], "level": [0, 1]}

    writes.verify_criterion_claim(claim, by=world.digital_office)
    assert stored(service) == (1, 1)
    assert claim.review.decision == CriterionReview.Decision.ACCEPTED
    verified = ServiceChange.objects.filter(service=service).latest("changed_at", "pk")
    assert verified.kind == ServiceChange.Kind.VERIFIED
    assert verified.changes == {f"criterion:{code}": ["claimed", "yes"], "level_verified": [0, 1]}


def test_the_digital_offices_own_yes_needs_no_verification(world):
    writes.answer_criteria(world.kindergarten, answers=all_yes(2), by=world.digital_office)
    assert stored(world.kindergarten) == (2, 2)
    assert not ServiceCriterion.objects.filter(awaiting=True).exists()


def test_a_head_may_not_decide_on_a_claim_not_even_their_own(world):
    [claim] = writes.answer_criteria(
        world.kindergarten, answers=all_yes(1), by=world.head_of_education, evidence_url=PROOF
    )
    for decide in (
        lambda: writes.verify_criterion_claim(claim, by=world.head_of_education),
        lambda: writes.reject_criterion_claim(claim, by=world.head_of_education, reason="no"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    assert not CriterionReview.objects.exists()
    assert stored(world.kindergarten) == (1, 0)


def test_nobody_decides_on_their_own_claim(world):
    # A head who claimed, and later joined the digital office, still may not accept it.
    from regions.models import Membership, Role

    [claim] = writes.answer_criteria(
        world.kindergarten, answers=all_yes(1), by=world.head_of_education, evidence_url=PROOF
    )
    Membership.objects.create(
        user=world.head_of_education, role=Role.DIGITAL_OFFICE, region=world.zhambyl
    )
    head = type(world.head_of_education).objects.get(pk=world.head_of_education.pk)
    with pytest.raises(PermissionDenied):
        writes.verify_criterion_claim(claim, by=head)


def test_a_rejected_claim_goes_back_to_its_answer_with_the_reason_in_history(world):
    service = world.kindergarten
    code = level_one_codes()[0]
    writes.answer_criteria(service, answers={code: Answer.NO}, by=world.head_of_education)
    [claim] = writes.answer_criteria(
        service, answers={code: Answer.YES}, by=world.head_of_education, evidence_url=PROOF
    )
    claimed = ServiceChange.objects.filter(service=service).latest("changed_at", "pk")
    assert claimed.changes == {f"criterion:{code}": ["no", "claimed"], "level": [0, 1]}
    with pytest.raises(ValidationError):
        writes.reject_criterion_claim(claim, by=world.digital_office, reason="  ")
    writes.reject_criterion_claim(claim, by=world.digital_office, reason="No page on eGov")
    assert ServiceCriterion.objects.get(service=service, criterion__code=code).answer == "no"
    assert stored(service) == (0, 0)
    row = ServiceChange.objects.filter(service=service).latest("changed_at", "pk")
    assert row.kind == ServiceChange.Kind.REJECTED
    assert row.changes == {f"criterion:{code}": ["claimed", "no"], "level": [1, 0]}
    assert "No page on eGov" in row.comment
    with pytest.raises(ValidationError):  # decided already
        writes.verify_criterion_claim(claim, by=world.digital_office)


def test_a_claim_superseded_by_a_later_answer_is_no_longer_decided(world):
    code = level_one_codes()[0]
    [claim] = writes.answer_criteria(
        world.kindergarten,
        answers={code: Answer.YES},
        by=world.head_of_education,
        evidence_url=PROOF,
    )
    writes.answer_criteria(
        world.kindergarten, answers={code: Answer.UNKNOWN}, by=world.head_of_education
    )
    with pytest.raises(ValidationError):
        writes.verify_criterion_claim(claim, by=world.digital_office)
    assert stored(world.kindergarten) == (0, 0)


def test_another_departments_service_is_refused(world):
    with pytest.raises(PermissionDenied):
        writes.answer_criteria(
            world.seed_subsidy, answers=all_yes(1), by=world.head_of_education, evidence_url=PROOF
        )
    with pytest.raises(PermissionDenied):
        writes.answer_criteria(
            world.almaty_kindergarten, answers=all_yes(1), by=world.digital_office
        )
    assert not CriterionChange.objects.exists()


def test_a_stale_copy_is_refused(world):
    copy = Service.objects.get(pk=world.kindergarten.pk)
    writes.answer_criteria(world.kindergarten, answers=all_yes(1), by=world.digital_office)
    with pytest.raises(StaleVersion):
        writes.answer_criteria(
            copy,
            answers={level_one_codes()[0]: Answer.NO},
            by=world.digital_office,
            expected_version=copy.version,
        )
    assert stored(world.kindergarten) == (1, 1)


@pytest.mark.parametrize("answers", [{"no_such_criterion": "yes"}, {"info_online": "maybe"}])
def test_an_unknown_criterion_or_answer_is_refused(world, answers):
    with pytest.raises(ValidationError):
        writes.answer_criteria(world.kindergarten, answers=answers, by=world.digital_office)
    assert not CriterionChange.objects.exists()


def test_a_retired_criterion_takes_no_answers(world):
    code = level_one_codes()[0]
    Criterion.objects.filter(code=code).update(active=False)
    with pytest.raises(ValidationError):
        writes.answer_criteria(
            world.kindergarten, answers={code: Answer.YES}, by=world.digital_office
        )


def test_answering_what_is_already_so_writes_nothing(world):
    writes.answer_criteria(world.kindergarten, answers=all_yes(1), by=world.digital_office)
    rows = ServiceChange.objects.count()
    assert (
        writes.answer_criteria(world.kindergarten, answers=all_yes(1), by=world.digital_office)
        == []
    )
    assert (
        writes.answer_criteria(
            world.first_grade,
            answers={level_one_codes()[0]: Answer.UNKNOWN},
            by=world.digital_office,
        )
        == []
    )  # unanswered is unknown already
    assert ServiceChange.objects.count() == rows


def test_answers_as_of_a_moment_read_the_claim_and_its_acceptance_when_they_happened(world):
    service = world.kindergarten
    services = Service.objects.filter(pk=service.pk)
    [claim] = writes.answer_criteria(
        service, answers=all_yes(1), by=world.head_of_education, evidence_url=PROOF
    )
    after_claim = timezone.now() + timedelta(microseconds=1)
    review = writes.verify_criterion_claim(claim, by=world.digital_office)
    code = claim.criterion.code
    assert answers_at(claim.changed_at, services=services) == {}
    assert answers_at(after_claim, services=services)[service.pk] == [(code, "yes", True)]
    later = review.reviewed_at + timedelta(microseconds=1)
    assert answers_at(later, services=services)[service.pk] == [(code, "yes", False)]


def test_the_levels_follow_the_criteria_when_the_national_level_changes_them(world):
    writes.answer_criteria(world.kindergarten, answers=all_yes(2), by=world.digital_office)
    assert stored(world.kindergarten) == (2, 2)
    # A new criterion of level 1, not yet answered: the service is back at 0.
    Criterion.objects.create(
        code="new_one", group="transparency", level=1, name_kk="к", name_ru="р", name_en="e"
    )
    assert recompute_levels() == 1
    assert stored(world.kindergarten) == (0, 0)


def test_the_history_shows_each_answer_in_the_readers_language(world):
    from django.utils import translation

    writes.answer_criteria(
        world.kindergarten, answers=all_yes(1), by=world.head_of_education, evidence_url=PROOF
    )
    criterion = Criterion.objects.get(code=level_one_codes()[0])
    with translation.override("ru"):
        [entry, *_] = entries(world.kindergarten)
        shown = {change.label: (change.old, change.new) for change in entry.fields}
    assert shown[criterion.name_ru] == ("—", "да, ожидает проверки")
    assert shown["уровень"] == ("0 · ещё не онлайн", "1 · информация онлайн")


def test_life_events_are_set_with_history_and_refused_to_others(world):
    birth, school = LifeEvent.objects.filter(code__in=["birth", "school"]).order_by("code")
    assert writes.set_life_events(
        world.kindergarten, events=[birth, school], by=world.head_of_education
    )
    assert set(world.kindergarten.life_events.values_list("code", flat=True)) == {
        "birth",
        "school",
    }
    row = ServiceChange.objects.filter(service=world.kindergarten).latest("changed_at", "pk")
    assert row.changes == {"life_events": [[], ["birth", "school"]]}
    assert not writes.set_life_events(
        world.kindergarten, events=[school, birth], by=world.head_of_education
    )
    with pytest.raises(PermissionDenied):
        writes.set_life_events(world.seed_subsidy, events=[birth], by=world.head_of_education)
    assert not world.seed_subsidy.life_events.exists()
