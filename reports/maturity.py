"""How electronic a region's services are, in its report: levels and life events.

Read from the criteria's history as of the report's cutoff (services.levels.answers_at),
by the criteria in use when the report is built — the method is frozen into the report
beside the figures, so it says how it counted. Verified first, as the shares are: a
head's "yes" the digital office had not accepted by then does not raise a service.

Life events are the services' present ones (a classification, not part of a service's
history): the report counts, per life event, its services in the register that day.
"""

from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass

from reports.figures import names
from services.levels import Levels, Method, answers_at, levels_of
from services.models import (
    DIGITAL_STATUSES,
    MAX_LEVEL,
    Answer,
    Criterion,
    LifeEvent,
    Service,
)

# The criterion "still needs a visit" counts read. If the national level retires it, the
# counts are left out (None), not guessed from the others.
NO_VISIT = "no_visit"
# "Electronic, but at this level or below": the next work the report lists.
NEXT_WORK_LEVEL = 1
NOT_ANSWERED = Levels(0, 0)


@dataclass(frozen=True)
class Maturity:
    levels: dict[int, Levels]  # service id → its levels at the cutoff
    no_visit: dict[int, bool]  # service id → "no visit needed" met (verified)
    asks_no_visit: bool  # whether the criterion is in use
    method: list[dict]  # the criteria counted: code, level, names


def maturity_at(region, cutoff) -> Maturity:
    """Two reads: the answers of the region's services at ``cutoff``, the criteria."""
    criteria = list(Criterion.objects.filter(active=True))
    method = Method({criterion.code: criterion.level for criterion in criteria})
    answers = answers_at(cutoff, services=Service.objects.filter(department__region=region))
    return Maturity(
        levels={service: levels_of(given, method) for service, given in answers.items()},
        no_visit={
            service: any(
                code == NO_VISIT and answer == Answer.YES and not awaiting
                for code, answer, awaiting in given
            )
            for service, given in answers.items()
        },
        asks_no_visit=NO_VISIT in method.levels,
        method=[
            names(criterion) | {"code": criterion.code, "level": criterion.level}
            for criterion in criteria
        ],
    )


def level_counts(services, maturity: Maturity) -> dict:
    """How many of ``services`` are at each level: verified and claimed, 0 to MAX_LEVEL,
    and how many of the electronic ones (verified) still need a visit."""
    verified, claimed = Counter(), Counter()
    for service in services:
        levels = maturity.levels.get(service.pk, NOT_ANSWERED)
        verified[levels.verified] += 1
        claimed[levels.claimed] += 1
    electronic = [
        s for s in services if s.status_on_day in DIGITAL_STATUSES and not s.awaiting_on_day
    ]
    return {
        "levels": [verified[level] for level in range(MAX_LEVEL + 1)],
        "levels_claimed": [claimed[level] for level in range(MAX_LEVEL + 1)],
        "electronic_needing_visit": (
            sum(not maturity.no_visit.get(s.pk, False) for s in electronic)
            if maturity.asks_no_visit
            else None
        ),
    }


def next_work(services, maturity: Maturity, departments: list[dict]) -> list[dict]:
    """Electronic services at level NEXT_WORK_LEVEL or below (verified): "electronic" in
    name, little of it in fact. Laggard departments first (``departments``: the report's
    ranked rows), then by level and name; each with its department's short name."""
    rank = {row["id"]: row["rank"] for row in departments}
    short_names = {
        row["id"]: {f"department_{key}": value for key, value in row.items() if "short_name" in key}
        for row in departments
    }
    found = []
    for service in services:
        level = maturity.levels.get(service.pk, NOT_ANSWERED).verified
        if service.status_on_day in DIGITAL_STATUSES and level <= NEXT_WORK_LEVEL:
            found.append(
                names(service)
                | {
                    "service_id": service.pk,
                    "department_id": service.department_id,
                    **short_names.get(service.department_id, {}),
                    "status": service.status_on_day,
                    "level": level,
                    "needs_visit": (
                        not maturity.no_visit.get(service.pk, False)
                        if maturity.asks_no_visit
                        else None
                    ),
                }
            )
    found.sort(key=lambda s: (rank.get(s["department_id"], 0), s["level"], s["name_ru"]))
    return found


EventNames = namedtuple("EventNames", "code order name_kk name_ru name_en")


def life_events(region, services, maturity: Maturity) -> list[dict]:
    """Per life event with a service of the region in the register: its services, how
    many are electronic (verified), how many of those still need a visit, its levels.
    One read (the events and their services, together), joined up to the region rather
    than naming its thousands of services one by one."""
    by_id = {service.pk: service for service in services}
    members = defaultdict(list)
    events = {}
    through = LifeEvent.services.through.objects.filter(
        service__department__region=region
    ).values_list("lifeevent_id", "service_id", *(f"lifeevent__{f}" for f in EventNames._fields))
    for event_id, service_id, *event in through:
        if service_id in by_id:  # not one withdrawn by the report's day
            events[event_id] = EventNames._make(event)
            members[event_id].append(by_id[service_id])
    result = []
    for event_id, event in sorted(events.items(), key=lambda item: (item[1].order, item[1].code)):
        its = members[event_id]
        verified = [s for s in its if s.status_on_day in DIGITAL_STATUSES and not s.awaiting_on_day]
        result.append(
            names(event)
            | {"code": event.code, "services": len(its), "verified": len(verified)}
            | level_counts(its, maturity)
        )
    return result
