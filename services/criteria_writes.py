"""Every write of a service's criteria and life events: the criteria's part of
services.actions, with its rules.

A criterion's answer moves like a status. A head's "yes" is a claim: it needs an
evidence link and counts as verified only once the region's digital office accepts it
(its "no" or "unknown" needs neither: lowering one's own claim is always believed). The
digital office's own answers are not claims. Nobody decides on their own claim. Each
write locks the service, checks the version the writer saw, keeps its levels
(services.levels) and adds one row to the service's history (services.models.history),
all in one transaction.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.access import scope_for
from services import actions
from services.levels import Method, levels_of
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

Kind = ServiceChange.Kind
# How a claimed "yes" reads in the service's history, until the digital office decides.
CLAIMED = "claimed"


def history_key(criterion: Criterion) -> str:
    """The key of a criterion's answer among a history row's changes."""
    return f"criterion:{criterion.code}"


@transaction.atomic
def answer_criteria(
    service: Service,
    *,
    answers: dict[str, str],
    by,
    comment: str = "",
    evidence_url: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> list[CriterionChange]:
    """Answer some of the service's criteria: ``answers`` maps a criterion's code to
    yes, no or unknown. Returns the answers that changed (none: nothing is written).

    Refused whole: a code that is not a criterion in use, an answer that is not one, a
    head's "yes" without ``evidence_url``, a copy of the service older than the one
    stored (StaleVersion), a service the person may not change.
    """
    current = actions._lock(service, expected_version)
    actions._require_editor(by, current.department)
    criteria = _criteria_in_use(answers)
    for answer in answers.values():
        if answer not in Answer.values:
            raise ValidationError(
                _("“%(answer)s” is not an answer: yes, no or unknown.") % {"answer": answer}
            )
    in_force = {
        row.criterion_id: row
        for row in ServiceCriterion.objects.select_related("criterion")
        .select_for_update(of=("self",))
        .filter(service=current)
    }
    verifier = not is_claim(current.department, by)
    at = at or timezone.now()
    written, history = [], {}
    for code, answer in answers.items():
        criterion = criteria[code]
        row = in_force.get(criterion.pk)
        old = row.answer if row else ""
        if answer == (old or Answer.UNKNOWN):
            continue  # an unanswered criterion is unknown already
        claim = answer == Answer.YES and not verifier
        if claim:
            require_evidence(evidence_url)
        change = CriterionChange.objects.create(
            service=current,
            criterion=criterion,
            old_answer=old,
            new_answer=answer,
            changed_at=at,
            changed_by=by,
            comment=comment,
            evidence_url=evidence_url,
            needs_verification=claim,
        )
        # How it read before, taken before the row in force is moved on.
        history[history_key(criterion)] = [_shown(row), CLAIMED if claim else answer]
        in_force[criterion.pk] = _keep_in_force(row, current, criterion, answer, change, claim)
        written.append(change)
    if written:
        _write_service(
            current,
            in_force.values(),
            kind=Kind.CRITERIA,
            by=by,
            at=at,
            comment=comment,
            evidence_url=evidence_url,
            changes=history,
        )
        actions._refresh(service, current)
    return written


@transaction.atomic
def verify_criterion_claim(change: CriterionChange, *, by) -> CriterionReview:
    """The digital office accepts a head's "yes": from now it counts as verified."""
    current = actions._lock(change.service, None)  # the service first, as every write
    row = _require_reviewable(change, current, by)
    review = CriterionReview.objects.create(
        change=change, decision=CriterionReview.Decision.ACCEPTED, reviewed_by=by
    )
    row.awaiting = False
    row.save(update_fields=["awaiting"])
    _write_service(
        current,
        ServiceCriterion.objects.filter(service=current),
        kind=Kind.VERIFIED,
        by=by,
        at=review.reviewed_at,
        evidence_url=change.evidence_url,
        changes={history_key(change.criterion): [CLAIMED, Answer.YES]},
    )
    actions._refresh(change.service, current)
    return review


@transaction.atomic
def reject_criterion_claim(change: CriterionChange, *, by, reason: str) -> CriterionReview:
    """Refuse a head's "yes": the answer goes back to what it was, the reason in history."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the claim is rejected; the head will read it."))
    current = actions._lock(change.service, None)  # the service first, as every write
    row = _require_reviewable(change, current, by)
    review = CriterionReview.objects.create(
        change=change,
        decision=CriterionReview.Decision.REJECTED,
        reviewed_by=by,
        reason=reason,
    )
    comment = _("Claim rejected: %(reason)s") % {"reason": reason}
    back_to = change.old_answer or Answer.UNKNOWN
    revert = CriterionChange.objects.create(
        service=current,
        criterion=change.criterion,
        old_answer=Answer.YES,
        new_answer=back_to,
        changed_at=review.reviewed_at,
        changed_by=by,
        comment=comment,
    )
    _keep_in_force(row, current, change.criterion, back_to, revert, claim=False)
    _write_service(
        current,
        ServiceCriterion.objects.filter(service=current),
        kind=Kind.REJECTED,
        by=by,
        at=review.reviewed_at,
        comment=comment,
        changes={history_key(change.criterion): [CLAIMED, back_to]},
    )
    actions._refresh(change.service, current)
    return review


@transaction.atomic
def set_life_events(
    service: Service,
    *,
    events: Iterable[LifeEvent],
    by,
    comment: str = "",
    expected_version: int | None = None,
) -> bool:
    """Put the service in exactly ``events``. Returns whether anything changed."""
    current = actions._lock(service, expected_version)
    actions._require_editor(by, current.department)
    before = sorted(current.life_events.values_list("code", flat=True))
    events = list(events)
    after = sorted(event.code for event in events)
    if before == after:
        return False
    current.life_events.set(events)
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    _record(
        current,
        kind=Kind.LIFE_EVENTS,
        by=by,
        at=timezone.now(),
        comment=comment,
        changes={"life_events": [before, after]},
    )
    actions._refresh(service, current)
    return True


def is_claim(department, by) -> bool:
    """Is a "yes" given by ``by`` to a criterion of a service of ``department`` a claim?"""
    return not scope_for(by).may_verify_department(department)


def require_evidence(evidence_url: str) -> None:
    """A claimed "yes" is refused without proof: on the form's evidence field."""
    if not evidence_url:
        raise ValidationError(
            {
                "criteria_evidence_url": _(
                    "A “yes” needs an evidence link (the service's eGov page, an order), "
                    "which the digital office checks."
                )
            }
        )


def criterion_claims_awaiting(services):
    """The claimed answers of ``services`` (a queryset) the digital office has not decided."""
    return CriterionChange.objects.filter(
        pk__in=ServiceCriterion.objects.filter(
            service__in=services.order_by().values("pk"), awaiting=True
        ).values("change_id")
    )


# --- helpers ------------------------------------------------------------------------------


def _criteria_in_use(answers: dict) -> dict[str, Criterion]:
    criteria = {c.code: c for c in Criterion.objects.filter(code__in=answers, active=True)}
    unknown = sorted(set(answers) - set(criteria))
    if unknown:
        raise ValidationError(
            _("Not a criterion in use: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return criteria


def _shown(row: ServiceCriterion | None) -> str | None:
    """How the answer in force reads in the history: a claim awaiting reads as such."""
    if row is None:
        return None
    return CLAIMED if row.awaiting else row.answer


def _keep_in_force(row, service, criterion, answer, change, claim) -> ServiceCriterion:
    if row is None:
        return ServiceCriterion.objects.create(
            service=service, criterion=criterion, answer=answer, change=change, awaiting=claim
        )
    row.answer, row.change, row.awaiting = answer, change, claim
    row.save(update_fields=["answer", "change", "awaiting"])
    return row


def _write_service(current: Service, in_force, *, changes: dict, **row) -> None:
    """Store the service's levels from its answers in force and record the write."""
    levels = levels_of(
        ((r.criterion.code, r.answer, r.awaiting) for r in _with_criteria(in_force)),
        Method.current(),
    )
    for name, new in (("level", levels.claimed), ("level_verified", levels.verified)):
        old = getattr(current, name)
        if old != new:
            changes[name] = [old, new]
            setattr(current, name, new)
    current.version += 1
    current.save(update_fields=["level", "level_verified", "version", "updated_at"])
    _record(current, changes=changes, **row)


def _with_criteria(rows) -> list[ServiceCriterion]:
    """The rows with their criterion at hand (a queryset is read with it in one query)."""
    if hasattr(rows, "select_related"):
        return list(rows.select_related("criterion"))
    return list(rows)


def _record(current: Service, *, kind, by, at, changes, comment="", evidence_url="") -> None:
    latest = actions._require_in_order(actions._latest_row(current), at)
    ServiceChange.of(
        current,
        kind=kind,
        changed_at=at,
        changed_by=by,
        comment=comment,
        evidence_url=evidence_url,
        changes=changes,
        status_change_id=actions._in_force(current, latest),
    ).save()


def _require_reviewable(change: CriterionChange, service: Service, by) -> ServiceCriterion:
    """The claim's answer in force, if ``by`` may decide on it now."""
    if not scope_for(by).may_verify_department(service.department):
        raise PermissionDenied(_("Only the region's digital office verifies claims."))
    if change.changed_by_id == by.pk:
        raise PermissionDenied(_("Nobody verifies their own claim."))
    row = (
        ServiceCriterion.objects.select_for_update()
        .filter(service_id=change.service_id, criterion_id=change.criterion_id)
        .first()
    )
    if row is None or row.change_id != change.pk or not row.awaiting:
        raise ValidationError(_("This change is not a claim awaiting verification."))
    return row
