"""A service's maturity level, from its criteria' answers.

The rule, shown to readers as it is written here: a service is at level N (1 to
MAX_LEVEL) when every criterion in use of levels 1 to N is answered "yes", and at level 0
while one of level 1 is not. "No" and "unknown" count alike: not met. A level with no
criterion in use is passed by every service that reached the one below.

Two levels per service: *claimed* counts every "yes" in force, *verified* leaves out a
head's "yes" the digital office has not accepted yet (for a report, one not accepted by
the report's moment) — as a status claim does not count as verified electronic.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from services.models import (
    MAX_LEVEL,
    Answer,
    Criterion,
    CriterionChange,
    CriterionReview,
    Service,
    ServiceCriterion,
)


class Level(models.IntegerChoices):
    NOT_ONLINE = 0, _("not online yet")
    INFORMED = 1, _("informed online")
    APPLIED = 2, _("applied for online")
    DONE = 3, _("done online")
    SEAMLESS = 4, _("seamless")


LEVEL_NAMES = dict(Level.choices)
LEVELS = range(MAX_LEVEL + 1)


@dataclass(frozen=True)
class Method:
    """The criteria in use and the level each belongs to: what levels are computed by.
    Frozen into a report with its figures, so the report says how it counted."""

    levels: dict[str, int]  # criterion code → its level

    @classmethod
    def current(cls) -> "Method":
        return cls(dict(Criterion.objects.filter(active=True).values_list("code", "level")))

    def level_of(self, met: Iterable[str]) -> int:
        """The level reached by a service whose criteria ``met`` are answered "yes"."""
        met = set(met)
        missing_from = [level for code, level in self.levels.items() if code not in met]
        return min(missing_from, default=MAX_LEVEL + 1) - 1

    def as_content(self) -> list[dict]:
        """The method as a report keeps it: each criterion's code and level."""
        return [{"code": code, "level": level} for code, level in sorted(self.levels.items())]


@dataclass(frozen=True)
class Levels:
    claimed: int
    verified: int


def levels_of(answers: Iterable[tuple[str, str, bool]], method: Method) -> Levels:
    """The levels of one service from its answers: (criterion code, answer, awaiting)."""
    claimed, verified = set(), set()
    for code, answer, awaiting in answers:
        if answer == Answer.YES:
            claimed.add(code)
            if not awaiting:
                verified.add(code)
    return Levels(method.level_of(claimed), method.level_of(verified))


def current_levels(services) -> dict[int, Levels]:
    """The levels of ``services`` (a queryset) from their answers in force, in one query
    (and one for the method): each service present, level 0 without an answer."""
    method = Method.current()
    answers = defaultdict(list)
    rows = ServiceCriterion.objects.filter(service__in=services.order_by().values("pk"))
    for service_id, code, answer, awaiting in rows.values_list(
        "service_id", "criterion__code", "answer", "awaiting"
    ):
        answers[service_id].append((code, answer, awaiting))
    return {
        service_id: levels_of(answers.get(service_id, ()), method)
        for service_id in services.values_list("pk", flat=True)
    }


def recompute_levels(services=None) -> int:
    """Store every service's levels again (after the criteria themselves changed: one
    added, retired, or moved to another level). Returns how many services changed."""
    services = Service.objects.all() if services is None else services
    levels = current_levels(services)
    changed = [
        Service(pk=pk, level=each.claimed, level_verified=each.verified)
        for pk, each, stored in (
            (pk, levels[pk], (level, verified))
            for pk, level, verified in services.values_list("pk", "level", "level_verified")
        )
        if (each.claimed, each.verified) != stored
    ]
    Service.objects.bulk_update(changed, ["level", "level_verified"], batch_size=1000)
    return len(changed)


def answers_at(moment: datetime, *, services) -> dict[int, list[tuple[str, str, bool]]]:
    """Each service's answers as they stood at ``moment`` — (code, answer, awaiting) — in
    one query: every criterion's latest answer before it, awaiting when it was a claim
    the digital office had not accepted by then. ``services`` is a queryset."""
    latest = (
        CriterionChange.objects.filter(
            service=OuterRef("service"), criterion=OuterRef("criterion"), changed_at__lt=moment
        )
        .order_by("-changed_at", "-pk")
        .values("pk")[:1]
    )
    accepted_by_then = CriterionReview.objects.filter(
        change=OuterRef("pk"),
        decision=CriterionReview.Decision.ACCEPTED,
        reviewed_at__lt=moment,
    )
    pairs = ServiceCriterion.objects.filter(service__in=services.order_by().values("pk"))
    rows = (
        CriterionChange.objects.order_by()
        .filter(pk__in=pairs.annotate(row=Subquery(latest)).values("row"))
        .annotate(accepted=Exists(accepted_by_then))
        .values_list(
            "service_id", "criterion__code", "new_answer", "needs_verification", "accepted"
        )
    )
    found = defaultdict(list)
    for service_id, code, answer, claim, accepted in rows:
        found[service_id].append((code, answer, claim and not accepted))
    return found


def level_shown(service) -> str:
    """The verified level and its name ("2 · applied for online"), with the claimed
    level beside it while claims await."""
    shown = f"{service.level_verified} · {LEVEL_NAMES[service.level_verified]}"
    if service.level != service.level_verified:
        claimed = _("claimed: %(level)s") % {"level": service.level}
        return f"{shown} ({claimed})"
    return shown


@dataclass(frozen=True)
class AnswerShown:
    criterion: str
    level: int
    answer: str
    awaiting: bool


def answers_shown(service) -> list[AnswerShown]:
    """Every criterion in use with the service's answer to it, in the criteria's order."""
    in_force = {row.criterion_id: row for row in ServiceCriterion.objects.filter(service=service)}
    shown = []
    for criterion in Criterion.objects.filter(active=True):
        row = in_force.get(criterion.pk)
        answer = Answer(row.answer if row else Answer.UNKNOWN)
        shown.append(
            AnswerShown(criterion.name, criterion.level, answer.label, bool(row and row.awaiting))
        )
    return shown
