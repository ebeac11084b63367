"""The rest of the country, for trying the national view: every region but the demo oblast
gets the demo oblast's departments and services, their statuses drawn by a generator
seeded with the region's code, so each region leads or lags in its own way and every load
gives the same figures. These regions' figures are made up (the README says so); only the
demo oblast's follow the akimat meeting.

Each region: its services listed a year ago, some moved on since the previous report,
their criteria answered and life events placed (tracker.demo_criteria), two reports a
month apart, readiness figures, three months of usage for a few regions;
then the national ranking of both dates. The same service carries the same made-up
register code (99xxxxxx) in every region, so the services compare across regions.
"""

import random
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from regions import restructure
from regions.models import Department, Readiness, Region
from reports.build import build_region_report
from reports.models import ReportSnapshot
from reports.national_build import build_national_snapshot
from reports.ranking import ensure_a_method
from services import actions
from services.models import Channel, Service, Status, Usage
from tracker import demo_criteria

LISTED_DAYS_AGO = 365
MOVED_DAYS_AGO = 12  # between the previous report (30 days ago) and today's
REPORT_INTERVAL_DAYS = 30
DEMO_CODE_PREFIX = "99"
EVIDENCE_URL = "https://egov.kz/cms/ru"


def load_country(departments: list[dict], *, demo_region: Region, by, now: datetime) -> None:
    """``departments``: the demo oblast's (fixtures/demo), copied into every other region."""
    today = timezone.localdate(now)
    listed = now - timedelta(days=LISTED_DAYS_AGO)
    for region in Region.objects.exclude(pk=demo_region.pk).order_by("code"):
        rng = random.Random(f"demo-country-{region.code}")
        pace = rng.uniform(0.2, 0.8)  # how far along this region is
        _load_region(region, departments, rng, pace, by=by, listed=listed, now=now)
        _answer_criteria(region, by=by, now=now)
        _record_readiness(region, rng, today)
        if rng.random() < 0.5:
            _record_usage(region, rng, today)
        build_region_report(
            region,
            as_of=today - timedelta(days=REPORT_INTERVAL_DAYS),
            trigger=ReportSnapshot.Trigger.SCHEDULE,
        )
        build_region_report(region, as_of=today, trigger=ReportSnapshot.Trigger.SCHEDULE)
    ensure_a_method()
    build_national_snapshot(as_of=today - timedelta(days=REPORT_INTERVAL_DAYS))
    build_national_snapshot(as_of=today)


def _answer_criteria(region, *, by, now: datetime) -> None:
    """Its services in life events and answered, by a stream of their own (the statuses
    above stay as they were drawn), each region met to a depth of its own."""
    rng = random.Random(f"demo-country-criteria-{region.code}")
    demo_criteria.place_in_life_events(region)
    demo_criteria.answer_criteria(
        region,
        digital_office=by,
        rng=rng,
        now=now,
        claims=0,
        depth=rng.uniform(0.5, 1.2),
        answer_no=False,
    )


def department_names(spec: dict) -> dict:
    """The demo oblast's department names without the oblast: "Управление образования"."""
    return {
        "name_ru": re.sub(r"\s+акимата\s.*$", "", spec["name_ru"]),
        "name_kk": _capfirst(re.sub(r"^.*?әкімдігінің\s+", "", spec["name_kk"])),
        "name_en": re.sub(r"\s+of the .* Akimat$", "", spec["name_en"]),
        **{key: value for key, value in spec.items() if key.startswith("short_name_")},
    }


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _load_region(region, departments, rng, pace, *, by, listed, now) -> None:
    moves = []
    for number, spec in enumerate(departments):
        department = Department.objects.create(
            region=region, code=spec["code"], **department_names(spec)
        )
        restructure.record_created([department], by=by, at=listed)
        prepared = []
        for index, service in enumerate(spec["services"]):
            final = _drawn_status(service["status"], rng, pace)
            # Most already had their status a month ago; the rest moved on since.
            before = _earlier_status(final, rng) if rng.random() < 0.25 else final
            prepared.append(
                actions.prepare_service(
                    department=department,
                    by=by,
                    at=listed,
                    status=before,
                    comment="Услуга внесена в перечень управления.",
                    register_code=f"{DEMO_CODE_PREFIX}{number:02d}{index:04d}",
                    name_kk=service["name_kk"],
                    name_ru=service["name_ru"],
                    name_en=service["name_en"],
                    sphere=service["sphere"],
                    socially_significant=service["socially_significant"],
                    documents_required=service.get("documents_required"),
                    term_days=service.get("term_days"),
                    evidence_url=EVIDENCE_URL if before in DIGITAL else "",
                    **{
                        Channel(c).field_name: Channel(c) in service["channels"]
                        for c in Channel.values
                    },
                )
            )
            if before != final:
                moves.append((len(prepared) - 1, department, final))
        created = actions.create_services(prepared)
        for position, _department, final in [m for m in moves if m[1] == department]:
            actions.set_status(
                created[position],
                status=final,
                by=by,
                at=now - timedelta(days=MOVED_DAYS_AGO, hours=rng.randint(0, 48)),
                comment="Статус обновлён управлением.",
                evidence_url=EVIDENCE_URL if final in DIGITAL else "",
            )
        _confirm(department, rng, by=by, now=now)


DIGITAL = {Status.ELECTRONIC, Status.PROACTIVE}


def _drawn_status(demo_status: str, rng, pace: float) -> str:
    """A region further along (higher ``pace``) has more of its services electronic; one
    electronic in the demo oblast is likelier electronic here too."""
    chance = min(0.95, pace + (0.25 if demo_status in DIGITAL else -0.1))
    if rng.random() < chance:
        return Status.PROACTIVE if rng.random() < 0.04 else Status.ELECTRONIC
    return Status.PARTIAL if rng.random() < 0.4 else Status.PAPER


def _earlier_status(status: str, rng) -> str:
    order = Status.values
    return order[max(0, order.index(status) - rng.randint(1, 2))]


def _confirm(department, rng, *, by, now) -> None:
    """Most departments confirmed their data lately; one in six weeks ago (stale)."""
    days = rng.randint(45, 120) if rng.random() < 1 / 6 else rng.randint(1, 20)
    moment = timezone.make_aware(
        datetime.combine(timezone.localdate(now) - timedelta(days), time(10))
    )
    # Only what the history has not moved on from since: it reads in order.
    services = department.services.alias(latest=Max("history__changed_at")).filter(
        latest__lt=moment
    )
    actions.confirm_services(services.select_related("department"), by=by, at=moment)


def _record_readiness(region, rng, today) -> None:
    Readiness.objects.create(
        region=region,
        period=today.replace(month=1, day=1),
        villages_without_internet=rng.randint(0, 40),
        villages_without_internet_target=0,
        territory_coverage=Decimal(str(round(rng.uniform(92, 100), 1))),
        territory_coverage_target=100,
        digital_literacy=rng.randint(55, 90),
        digital_literacy_target=80,
        internet_users=rng.randint(70, 92),
        internet_users_target=85,
        source_kk="Демонстрациялық деректер, өлшенбеген.",
        source_ru="Демонстрационные данные, не измерены.",
        source_en="Demonstration data, not measured.",
    )


def _record_usage(region, rng, today) -> None:
    """Three months of deliveries: electronic services partly used online."""
    rows = []
    for service in Service.objects.filter(department__region=region).only("pk", "status"):
        online_share = rng.uniform(0.3, 0.9) if service.status in DIGITAL else 0.0
        for back in range(1, 4):
            month_index = today.year * 12 + today.month - 1 - back
            month = date(month_index // 12, month_index % 12 + 1, 1)
            volume = rng.randint(10, 300)
            online = int(volume * online_share)
            if online:
                rows.append(Usage(service=service, month=month, channel=Channel.EGOV, count=online))
            if volume - online:
                rows.append(
                    Usage(service=service, month=month, channel=Channel.PSC, count=volume - online)
                )
    Usage.objects.bulk_create(rows, batch_size=2000)
