"""A head's move to electronic is a claim: proof required, the digital office decides."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports.build import build_region_report
from services import actions
from services.models import ClaimReview, HistoryIsImmutable, Service, Status, StatusChange
from tests.conftest import almaty, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(world):
    """The head of education claims the kindergarten queue is electronic now."""
    return actions.set_status(
        world.kindergarten,
        status=Status.ELECTRONIC,
        by=world.head_of_education,
        comment="На портале",
        evidence_url="https://egov.kz/cms/ru/services/kindergarten",
    )


def awaiting(service) -> bool:
    return Service.objects.with_claims().get(pk=service.pk).awaiting_verification


def test_a_heads_move_to_electronic_without_proof_is_refused(world):
    bare = make_service(world.education, "Без ссылки", by=world.head_of_education, evidence_url="")
    with pytest.raises(ValidationError):
        actions.set_status(bare, status=Status.ELECTRONIC, by=world.head_of_education)
    bare.refresh_from_db()
    assert bare.status == Status.PAPER
    assert bare.status_changes.count() == 1


def test_a_heads_move_to_electronic_with_proof_awaits_verification(world, claim):
    assert claim.needs_verification
    assert claim.evidence_url.endswith("kindergarten")
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.ELECTRONIC
    assert awaiting(world.kindergarten)


def test_the_digital_offices_own_move_is_no_claim(world):
    change = actions.set_status(
        world.seed_subsidy, status=Status.ELECTRONIC, by=world.digital_office
    )
    assert not change.needs_verification
    assert not awaiting(world.seed_subsidy)


def test_the_digital_office_accepts_a_claim(world, claim):
    review = actions.verify_claim(claim, by=world.digital_office)
    assert (review.decision, review.reviewed_by) == (
        ClaimReview.Decision.ACCEPTED,
        world.digital_office,
    )
    assert not awaiting(world.kindergarten)


def test_a_head_cannot_verify_their_own_claim(world, claim):
    with pytest.raises(PermissionDenied):
        actions.verify_claim(claim, by=world.head_of_education)
    assert not ClaimReview.objects.exists()


def test_another_head_or_a_governor_cannot_verify_either(world, claim):
    for user in (world.head_of_agriculture, world.governor, world.national_analyst):
        with pytest.raises(PermissionDenied):
            actions.verify_claim(claim, by=user)
    assert awaiting(world.kindergarten)


def test_a_rejected_claim_returns_the_status_with_the_reason_in_history(world, claim):
    actions.reject_claim(claim, by=world.digital_office, reason="Ссылка ведёт на старую версию")
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER
    back = world.kindergarten.status_changes.latest()
    assert (back.old_status, back.new_status, back.changed_by) == (
        Status.ELECTRONIC,
        Status.PAPER,
        world.digital_office,
    )
    assert "Ссылка ведёт на старую версию" in back.comment
    assert claim.review.decision == ClaimReview.Decision.REJECTED
    assert not awaiting(world.kindergarten)


def test_a_rejection_needs_a_reason(world, claim):
    with pytest.raises(ValidationError):
        actions.reject_claim(claim, by=world.digital_office, reason="  ")
    assert awaiting(world.kindergarten)


def test_a_claim_already_reviewed_or_overtaken_cannot_be_reviewed_again(world, claim):
    actions.verify_claim(claim, by=world.digital_office)
    with pytest.raises(ValidationError):
        actions.reject_claim(claim, by=world.digital_office, reason="передумали")
    newer = actions.set_status(
        world.kindergarten, status=Status.PROACTIVE, by=world.head_of_education
    )
    with pytest.raises(ValidationError):
        actions.verify_claim(claim, by=world.digital_office)  # no longer the latest move
    assert newer.needs_verification


def test_a_review_is_never_edited(world, claim):
    review = actions.verify_claim(claim, by=world.digital_office)
    with pytest.raises(HistoryIsImmutable):
        review.save()
    with pytest.raises(HistoryIsImmutable):
        review.delete()


def test_reports_count_claims_awaiting_verification_as_of_their_day(world):
    head = world.head_of_education
    camps = make_service(world.education, "Лагеря", by=head, at=almaty(2025, 1, 10))
    change = actions.set_status(camps, status=Status.ELECTRONIC, by=head, at=almaty(2025, 3, 1))
    actions.verify_claim(change, by=world.digital_office, at=almaty(2025, 4, 1))
    before = build_region_report(world.zhambyl, as_of=date(2025, 3, 15)).content["summary"]
    after = build_region_report(world.zhambyl, as_of=date(2025, 4, 15)).content["summary"]
    assert (before["digital"], before["awaiting_verification"]) == (1, 1)
    assert (after["digital"], after["awaiting_verification"]) == (1, 0)


# --- in the admin -------------------------------------------------------------------------


def run_action(client, action, services, **extra):
    return client.post(
        reverse("admin:services_service_changelist"),
        {"action": action, "_selected_action": [s.pk for s in services], **extra},
        follow=True,
    )


def test_the_digital_office_accepts_claims_from_the_list(client, world, claim):
    client.force_login(world.digital_office)
    listed = (
        client.get(reverse("admin:services_service_changelist"), {"awaiting_verification": "true"})
        .context["cl"]
        .queryset
    )
    # first_grade too: the head added it already electronic, which is also a claim
    assert {s.pk for s in listed} == {world.kindergarten.pk, world.first_grade.pk}
    run_action(client, "accept_claims", [world.kindergarten])
    assert ClaimReview.objects.get(change=claim).decision == ClaimReview.Decision.ACCEPTED


def test_a_head_is_not_offered_the_review_actions(client, world, claim):
    client.force_login(world.head_of_education)
    response = run_action(client, "accept_claims", [world.kindergarten])
    assert response.status_code == 200
    assert not ClaimReview.objects.exists()


def test_the_form_asks_a_head_for_proof_before_a_move_to_electronic(client, world):
    bare = make_service(world.education, "Без ссылки", by=world.head_of_education, evidence_url="")
    client.force_login(world.head_of_education)
    url = reverse("admin:services_service_change", args=[bare.pk])
    response = client.post(
        url,
        {
            "department": world.education.pk,
            "name_ru": "Без ссылки",
            "sphere": "other",
            "status": "electronic",
            "status_comment": "готово",
            "expected_version": 0,
            "channel_office": "on",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "evidence_url" in response.context["adminform"].form.errors
    assert StatusChange.objects.filter(service=bare).count() == 1
