"""First answers and life events of many services at once: a file's new services, the
demo's regions.

For each service not answered yet this writes what services.criteria_writes would (each
answer changed, the answers in force, the levels, a history row for the answers and one
for the life events) with the same rules — the person must be allowed to change the
service, a head's "yes" is a claim that needs evidence, history stays in order — but in a
constant number of queries for the lot, not thirty a service.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.access import scope_for
from services import actions
from services.criteria_writes import (
    CLAIMED,
    _criteria_in_use,
    history_key,
    require_evidence,
)
from services.levels import Method, levels_of
from services.models import (
    Answer,
    CriterionChange,
    LifeEvent,
    Service,
    ServiceChange,
    ServiceCriterion,
)

Kind = ServiceChange.Kind
BATCH = 1000


@dataclass
class FirstAnswers:
    """What one service is to be answered: ``answers`` maps criteria codes to yes, no or
    unknown (unknown is what an unanswered criterion is already: not written)."""

    service: Service
    answers: dict[str, str] = field(default_factory=dict)
    events: list[LifeEvent] = field(default_factory=list)
    at: datetime | None = None
    comment: str = ""
    evidence_url: str = ""


@dataclass
class _Writes:
    changes: list = field(default_factory=list)
    in_force: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    history: list = field(default_factory=list)
    services: list = field(default_factory=list)


def answer_unanswered(entries: list[FirstAnswers], *, by) -> int:
    """Write every entry or none. Returns how many services changed.

    Refused whole (ValidationError, PermissionDenied): a criterion not in use, an answer
    that is none, a claimed "yes" without evidence, a service already answered or in a
    life event (those go through services.criteria_writes), a moment before the
    service's latest history row, a service the person may not change."""
    entries = [e for e in entries if e.events or _written(e.answers)]
    if not entries:
        return 0  # not even a savepoint: most files have no criteria columns
    with transaction.atomic():
        return _answer_all(entries, by=by)


def _answer_all(entries: list[FirstAnswers], *, by) -> int:
    criteria = _criteria_in_use({code for e in entries for code in e.answers})
    for answer in {answer for e in entries for answer in e.answers.values()}:
        if answer not in Answer.values:
            raise ValidationError(
                _("“%(answer)s” is not an answer: yes, no or unknown.") % {"answer": answer}
            )
    scope = scope_for(by)
    for department in {e.service.department for e in entries}:
        actions._require_editor(by, department)
    _require_unanswered(entries)
    services = _locked({e.service.pk for e in entries})
    method, now, writes = Method.current(), timezone.now(), _Writes()
    for entry in entries:
        current = services[entry.service.pk]
        verifier = scope.may_verify_department(current.department)
        _answer(current, entry, criteria, verifier, method, by, entry.at or now, writes)
    _save(writes, now)
    for entry in entries:
        actions._refresh(entry.service, services[entry.service.pk])
    return len(writes.services)


def _written(answers: dict) -> bool:
    return any(answer != Answer.UNKNOWN for answer in answers.values())


def _require_unanswered(entries: list[FirstAnswers]) -> None:
    """First answers only: a service answered, or placed in life events, already changes
    from what it has, which services.criteria_writes writes one service at a time."""
    answering = [e.service.pk for e in entries if _written(e.answers)]
    placing = [e.service.pk for e in entries if e.events]
    answered = ServiceCriterion.objects.filter(service_id__in=answering).exists()
    placed = LifeEvent.services.through.objects.filter(service_id__in=placing).exists()
    if answered or placed:
        raise ValidationError(
            _("Some of these services are answered already; nothing was changed.")
        )


def _locked(ids: set[int]) -> dict[int, Service]:
    """The services, locked, each with its latest history row's moment and status move."""
    newest = ServiceChange.objects.filter(service_id=OuterRef("pk")).order_by("-changed_at", "-pk")
    found = (
        Service.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(pk__in=ids)
        .annotate(
            latest_at=Subquery(newest.values("changed_at")[:1]),
            latest_move=Subquery(newest.values("status_change_id")[:1]),
        )
    )
    services = {service.pk: service for service in found}
    for service in services.values():
        service.version_read = service.version
    return services


def _answer(current, entry, criteria, verifier, method, by, at, writes: _Writes) -> None:
    if current.latest_at is not None and at < current.latest_at:
        raise ValidationError(_("A change cannot be dated before the previous one."))
    move = current.latest_move or actions._in_force(current, None)
    recorded = {"changed_by": by, "changed_at": at, "comment": entry.comment}
    changed, answers = {}, []
    for code, answer in entry.answers.items():
        if answer == Answer.UNKNOWN:
            continue
        claim = answer == Answer.YES and not verifier
        if claim:
            require_evidence(entry.evidence_url)
        change = CriterionChange(
            service=current,
            criterion=criteria[code],
            old_answer="",
            new_answer=answer,
            evidence_url=entry.evidence_url,
            needs_verification=claim,
            **recorded,
        )
        writes.changes.append(change)
        writes.in_force.append(
            ServiceCriterion(
                service=current,
                criterion=criteria[code],
                answer=answer,
                change=change,
                awaiting=claim,
            )
        )
        answers.append((code, answer, claim))
        changed[history_key(criteria[code])] = [None, CLAIMED if claim else answer]
    if changed:
        levels = levels_of(answers, method)
        for name, new in (("level", levels.claimed), ("level_verified", levels.verified)):
            if getattr(current, name) != new:
                changed[name] = [getattr(current, name), new]
                setattr(current, name, new)
        current.version += 1
        writes.history.append(
            ServiceChange.of(
                current,
                kind=Kind.CRITERIA,
                evidence_url=entry.evidence_url,
                changes=changed,
                status_change_id=move,
                **recorded,
            )
        )
    if entry.events:
        codes = sorted(event.code for event in entry.events)
        writes.memberships += [
            LifeEvent.services.through(service_id=current.pk, lifeevent_id=event.pk)
            for event in entry.events
        ]
        current.version += 1
        writes.history.append(
            ServiceChange.of(
                current,
                kind=Kind.LIFE_EVENTS,
                changes={"life_events": [[], codes]},
                status_change_id=move,
                **recorded,
            )
        )
    writes.services.append(current)


def _save(writes: _Writes, now) -> None:
    CriterionChange.objects.bulk_create(writes.changes, batch_size=BATCH)
    ServiceCriterion.objects.bulk_create(writes.in_force, batch_size=BATCH)
    LifeEvent.services.through.objects.bulk_create(writes.memberships, batch_size=BATCH)
    # One UPDATE per combination of levels and version step (a few dozen at most), not
    # bulk_update's CASE over every service, which is slow on thousands.
    groups = defaultdict(list)
    for service in writes.services:
        service.updated_at = now
        key = (service.level, service.level_verified, service.version - service.version_read)
        groups[key].append(service.pk)
    for (level, verified, step), ids in groups.items():
        for start in range(0, len(ids), BATCH):
            Service.objects.filter(pk__in=ids[start : start + BATCH]).update(
                level=level, level_verified=verified, version=F("version") + step, updated_at=now
            )
    ServiceChange.objects.bulk_create(writes.history, batch_size=BATCH)
