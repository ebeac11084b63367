"""The demo oblast's criteria answers and life events: what a meeting would find — most
"electronic" services still need a visit somewhere, paper ones at best have their
information online — and a few heads' claims waiting for the digital office."""

import random
from datetime import datetime, timedelta

from django.db.models import Max

from services import criteria_writes
from services.criteria_bulk import FirstAnswers, answer_unanswered
from services.models import DIGITAL_STATUSES, Answer, Criterion, LifeEvent, Service, Status

# How likely each criterion is met, by the service's status (not listed: never).
LIKELY = {
    Status.PAPER: {"info_online": 0.5, "feedback_online": 0.2},
    Status.PARTIAL: {
        "info_online": 0.9,
        "apply_online": 0.5,
        "digital_signature": 0.3,
        "feedback_online": 0.4,
        "term_met": 0.5,
    },
    Status.ELECTRONIC: {
        "info_online": 1.0,
        "apply_online": 0.95,
        "digital_signature": 0.9,
        "feedback_online": 0.7,
        "no_visit": 0.4,
        "documents_from_registers": 0.5,
        "progress_online": 0.6,
        "result_electronic": 0.6,
        "prefilled": 0.3,
        "term_met": 0.7,
        "mobile_or_video": 0.4,
    },
}
LIKELY[Status.PROACTIVE] = {**dict.fromkeys(LIKELY[Status.ELECTRONIC], 0.95), "proactive": 1.0}
OPEN_CRITERIA_CLAIMS = 5  # heads' "no visit needed" the digital office has not checked

# A service's life events: by its sphere, and by words of its Russian name.
BY_SPHERE = {
    "education": ["school"],
    "social_protection": ["social_support"],
    "employment": ["work"],
    "healthcare": ["health"],
    "agriculture": ["farming"],
    "veterinary": ["farming"],
    "land": ["land_housing"],
    "natural_resources": ["nature"],
    "tourism": ["business"],
    "culture": ["culture_sport"],
    "archives": ["retirement"],
    "sport": ["culture_sport"],
    "architecture": ["building"],
    "construction": ["building"],
    "entrepreneurship": ["business"],
    "industry": ["business"],
    "housing": ["land_housing"],
}
BY_WORDS = {
    "birth": ["рожден", "усынов", "патронат", "сирот", "дошкольн", "многодетн"],
    "retirement": ["пенси"],
    "death": ["погребен", "смерт", "умерш"],
    "social_support": ["инвалид"],
    "business": ["лиценз", "предпринимат"],
    "land_housing": ["земельн", "жил"],
}


def answer_criteria(
    region,
    *,
    digital_office,
    rng: random.Random,
    now: datetime,
    claims: int = OPEN_CRITERIA_CLAIMS,
    depth: float = 1.0,
    answer_no: bool = True,
) -> None:
    """Every service of the region answered by the digital office in the last six weeks,
    after its history's latest change; then a few heads' claims (``claims``), still open.
    ``depth`` scales how likely each criterion is met: how far, beyond the status word,
    the region's services have gone (the made-up regions differ by it). Without
    ``answer_no`` a criterion not met is left unanswered: the levels and visits come out
    the same, in a third of the rows (the made-up regions, whose pages nobody opens)."""
    criteria = list(Criterion.objects.filter(active=True).values_list("code", flat=True))
    services = (
        Service.objects.filter(department__region=region)
        .select_related("department")
        .annotate(latest=Max("history__changed_at"))
        .order_by("pk")
    )
    electronic_needing_a_visit, first = [], []
    for service in services:
        likely = LIKELY[Status(service.status)]
        answers = {
            code: Answer.YES if rng.random() < likely.get(code, 0) * depth else Answer.NO
            for code in criteria
        }
        if not answer_no:
            answers = {code: answer for code, answer in answers.items() if answer == Answer.YES}
        earliest = max(service.latest, now - timedelta(days=45))
        moment = earliest + (now - timedelta(hours=12) - earliest) * rng.uniform(0.1, 0.9)
        first.append(FirstAnswers(service, answers=answers, at=moment))
        if service.status in DIGITAL_STATUSES and answers.get("no_visit") == Answer.NO:
            electronic_needing_a_visit.append(service)
    answer_unanswered(first, by=digital_office)
    claims = min(claims, len(electronic_needing_a_visit))
    for service in rng.sample(electronic_needing_a_visit, claims):
        head = service.department.memberships.get(role="head").user
        criteria_writes.answer_criteria(
            service,
            answers={"no_visit": Answer.YES},
            by=head,
            at=now - timedelta(hours=rng.uniform(1, 10)),
            comment="Выдача результата переведена в личный кабинет eGov.",
            evidence_url="https://egov.kz/cms/ru",
        )


def place_in_life_events(region) -> None:
    """Each service of the region in the life events its sphere and name suggest."""
    events = {event.code: event for event in LifeEvent.objects.all()}
    through = LifeEvent.services.through
    rows = []
    for service in Service.objects.filter(department__region=region).only("sphere", "name_ru"):
        codes = set(BY_SPHERE.get(service.sphere, []))
        name = service.name_ru.lower()
        codes |= {code for code, words in BY_WORDS.items() if any(w in name for w in words)}
        rows += [through(lifeevent=events[c], service=service) for c in codes if c in events]
    through.objects.bulk_create(rows, ignore_conflicts=True)
