"""Realistic data at the scale a ministry sees: `manage.py generate_dataset`.

National scale is all 20 regions with their district departments (~600), ~50,000
services, ~500,000 status changes over three years and 36 months of usage per service and
channel (~4 million rows). Everything is drawn from a seeded random generator, so two
runs give the same data:

- departments differ in size (a long tail: a few with hundreds of services, most with
  dozens), named after the demo oblast's twelve sectors and the region's districts;
- every service starts on paper or partially automated three years back and moves,
  mostly forward, sometimes back (an integration breaks), so the share electronic grows
  month by month from ~25 % to ~55 % as it did across the country;
- usage follows each sector's season (education peaks before September, agriculture in
  spring), grows over the years, and moves online once a service is electronic.

Rows are written in bulk: PostgreSQL's COPY where available, bulk_create elsewhere.
"""

import json
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from regions import restructure
from regions.kinds import infer_kind
from regions.models import Department, Membership, Region, Role, User
from services.models import (
    ONLINE_CHANNELS,
    Channel,
    Service,
    ServiceChange,
    Status,
    StatusChange,
    Usage,
)
from tracker.bulk import insert_rows
from tracker.demo import DEMO_FILE, MOVE_COMMENTS

MONTHS = 36
DIGITAL = (Status.ELECTRONIC, Status.PROACTIVE)
# A month's chance, per status, of moving up one step or falling back one. Tuned so the
# share electronic grows from about a quarter to about a half over three years.
STEP_UP = {Status.PAPER: 0.03, Status.PARTIAL: 0.035, Status.ELECTRONIC: 0.01}
FALL_BACK = {Status.PARTIAL: 0.02, Status.ELECTRONIC: 0.015, Status.PROACTIVE: 0.02}
# Changes that are not moves of the walk: corrections entered and undone the same week.
CORRECTIONS_PER_SERVICE = 7.2
# Which months a sector is busiest in (1 = January), for usage seasonality.
BUSY_MONTHS = {"EDU": (7, 8), "AGR": (3, 4, 5), "TOUR": (6, 7), "LAND": (4, 5, 6)}
FALLBACK_REASONS = [
    "Интеграция с базой данных прервана, приём временно на бумаге.",
    "ШЭП арқылы интеграция уақытша тоқтатылды.",
]
CORRECTION_REASONS = [
    "Исправлена ошибочная отметка.",
    "Қате белгі түзетілді.",
]


@dataclass(frozen=True)
class Scale:
    regions: int
    departments_per_region: int
    services: int

    def times(self, factor: int) -> "Scale":
        """The same country with ``factor`` times the departments and services (and so the
        history and usage): how the costs grow is measured against it (make bench-growth)."""
        return Scale(self.regions, self.departments_per_region * factor, self.services * factor)


SCALES = {
    "region": Scale(regions=1, departments_per_region=30, services=2_500),
    "national": Scale(regions=20, departments_per_region=30, services=50_000),
}


@dataclass
class Report:
    regions: int = 0
    departments: int = 0
    services: int = 0
    status_changes: int = 0
    usage_rows: int = 0


def generate(scale: Scale, *, seed: int = 2026, today: date | None = None, say=print) -> Report:
    """Write a dataset of this scale into an empty database (regions may exist)."""
    if Service.objects.exists():
        raise ValueError("The database already holds services; generate into an empty one.")
    rng = random.Random(seed)
    today = today or timezone.localdate()
    start = _month_start(today, -MONTHS)
    sectors = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["departments"]
    call_command("loaddata", "regions", verbosity=0)
    regions = list(Region.objects.order_by("code")[: scale.regions])
    report = Report(regions=len(regions))

    with transaction.atomic():
        departments = _departments(regions, scale, sectors, rng)
        report.departments = len(departments)
        say(f"{len(departments)} departments in {len(regions)} regions")
        people = _people(regions, departments)
        sizes = _sizes(len(departments), scale.services, rng)
        # A region at a time: memory stays that of one region's services and histories,
        # whatever the factor.
        for number, region in enumerate(regions, start=1):
            chosen = [i for i, d in enumerate(departments) if d.region_id == region.pk]
            services = _services(
                [departments[i] for i in chosen], [sizes[i] for i in chosen], sectors, rng
            )
            written = _write_services(services, people, sectors, start, today, rng)
            report.services += len(services)
            report.status_changes += written.status_changes
            report.usage_rows += written.usage_rows
            say(
                f"{number}/{len(regions)} {region.code}: {report.services} services, "
                f"{report.status_changes} status changes, {report.usage_rows} usage rows"
            )
    _analyze()
    return report


def _write_services(services, people, sectors, start: date, today: date, rng) -> Report:
    """Services, their status moves, their history rows and their usage."""
    histories = [_history(rng, start, today) for _ in services]
    for service, history in zip(services, histories, strict=True):
        service.status = history[-1][2]
        service.version = len(history)
        service.last_confirmed = today - timedelta(days=rng.randint(0, 60))
        if service.status not in DIGITAL and rng.random() < 0.6:
            service.target_status = Status.ELECTRONIC
            service.target_date = today + timedelta(days=rng.randint(-120, 365))
        service.channel_egov = service.status in DIGITAL
        service.channel_mgov = service.status == Status.PROACTIVE or (
            service.channel_egov and rng.random() < 0.4
        )
    Service.objects.bulk_create(services, batch_size=5000)
    written = Report(services=len(services))
    written.status_changes = _write_history(services, histories, people, rng)
    _write_service_changes(services)
    written.usage_rows = _write_usage(services, histories, sectors, start, rng)
    return written


def database_size() -> str:
    """The database's size on disk, as PostgreSQL puts it ("4120 MB"); "" elsewhere."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


# --- places and people --------------------------------------------------------------------


def _departments(regions, scale, sectors, rng) -> list[Department]:
    """The twelve sector departments of each oblast akimat, then district departments."""
    rows = []
    for region in regions:
        for index in range(scale.departments_per_region):
            sector = sectors[index % len(sectors)]
            district = index // len(sectors)
            names = {
                key: value
                for key, value in sector.items()
                if key.startswith(("name_", "short_name_"))
            }
            if district:  # a district office of the same sector
                names = {
                    key: f"{value} — {_district(key, district)}" for key, value in names.items()
                }
                names = {
                    key: value[:60] if "short" in key else value for key, value in names.items()
                }
            code = f"{sector['code']}{district or ''}"[:10]
            kind = infer_kind(code, names.get("name_ru", ""), names.get("name_kk", ""))
            rows.append(Department(region=region, code=code, kind=kind, **names))
    created = Department.objects.bulk_create(rows, batch_size=1000)
    # known since before the history began, as a region's departments are when it starts
    restructure.record_created(created, by=None, at=restructure.BEFORE_RECORDS)
    return created


def _district(key: str, number: int) -> str:
    language = key.rsplit("_", 1)[-1]
    return {"kk": f"{number}-аудан", "ru": f"район №{number}", "en": f"district {number}"}[language]


def _people(regions, departments) -> dict[int, list[User]]:
    """A head per department and a digital office per region; who writes which history."""
    heads = [
        User(username=f"head.{d.region.code.lower()}.{d.code.lower()}", is_staff=True)
        for d in departments
    ]
    offices = [User(username=f"digital.{r.code.lower()}", is_staff=True) for r in regions]
    for user in heads + offices:
        user.set_unusable_password()
    User.objects.bulk_create(heads + offices, batch_size=1000)
    heads = list(User.objects.filter(username__startswith="head.").order_by("pk"))
    offices = {u.username: u for u in User.objects.filter(username__startswith="digital.")}
    by_name = {u.username: u for u in heads}
    memberships, people = [], {}
    for department in departments:
        head = by_name[f"head.{department.region.code.lower()}.{department.code.lower()}"]
        office = offices[f"digital.{department.region.code.lower()}"]
        memberships.append(Membership(user=head, role=Role.HEAD, department=department))
        people[department.pk] = [head, office]
    memberships += [
        Membership(user=offices[f"digital.{r.code.lower()}"], role=Role.DIGITAL_OFFICE, region=r)
        for r in regions
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    return people


# --- services and their history -----------------------------------------------------------


def _sizes(departments: int, services: int, rng) -> list[int]:
    """Department sizes with a long tail (log-normal), summing to ``services``."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(departments)]
    scale = services / sum(weights)
    sizes = [max(1, round(w * scale)) for w in weights]
    sizes[sizes.index(max(sizes))] += services - sum(sizes)
    return sizes


def _services(departments, sizes, sectors, rng) -> list[Service]:
    by_code = {sector["code"]: sector["services"] for sector in sectors}
    services = []
    for department, size in zip(departments, sizes, strict=True):
        templates = by_code[department.code.rstrip("0123456789")]
        for number in range(size):
            template = templates[number % len(templates)]
            round_ = number // len(templates)
            suffix = f" ({round_ + 1})" if round_ else ""
            services.append(
                Service(
                    department=department,
                    name_kk=template["name_kk"][:490] + suffix,
                    name_ru=template["name_ru"][:490] + suffix,
                    name_en=template["name_en"][:490] + suffix,
                    sphere=template["sphere"],
                    socially_significant=template["socially_significant"],
                    channel_office=True,
                    channel_psc=rng.random() < 0.7,
                    documents_required=template.get("documents_required"),
                    term_days=template.get("term_days"),
                    documents_before=(template.get("documents_required") or 3) + rng.randint(0, 3),
                    term_days_before=(template.get("term_days") or 10) + rng.randint(0, 20),
                    blocker=template.get("blocker", ""),
                )
            )
    return services


Move = tuple[datetime, str, str, str]  # when, old status, new status, comment


def _history(rng, start: date, today: date) -> list[Move]:
    """One service's status moves from ``start`` to ``today``: a monthly random walk, plus
    corrections entered by mistake and undone a few days later."""
    status = rng.choices(Status.values, weights=[50, 25, 22, 3])[0]
    first = _moment(start, rng)
    moves: list[Move] = [(first, "", status, "Услуга внесена в перечень.")]
    for month in range(1, MONTHS + 1):
        month_start = _month_start(start, month)
        if month_start > today:
            break
        rank = Status.rank(status)
        if status in STEP_UP and rng.random() < STEP_UP[status]:
            new = Status.values[rank + 1]
            comment = rng.choice(MOVE_COMMENTS[new])
        elif status in FALL_BACK and rng.random() < FALL_BACK[status]:
            new = Status.values[rank - 1]
            comment = rng.choice(FALLBACK_REASONS)
        else:
            continue
        when = _moment(month_start, rng)
        if when.date() > today:
            break
        moves.append((when, status, new, comment))
        status = new
    corrections = _poisson(rng, CORRECTIONS_PER_SERVICE)
    for _ in range(corrections):
        index = rng.randrange(len(moves))
        when, _old, current, _comment = moves[index]
        following = moves[index + 1][0] if index + 1 < len(moves) else None
        mistake_at = when + timedelta(days=rng.randint(1, 20))
        undone_at = mistake_at + timedelta(days=rng.randint(1, 5))
        if (following and undone_at >= following) or undone_at.date() > today:
            continue
        wrong = rng.choice([s for s in Status.values if s != current])
        fix = rng.choice(CORRECTION_REASONS)
        moves[index + 1 : index + 1] = [
            (mistake_at, current, wrong, "Обновлены сведения."),
            (undone_at, wrong, current, fix),
        ]
    return moves


def _write_history(services, histories, people, rng) -> int:
    def rows():
        for service, history in zip(services, histories, strict=True):
            head, office = people[service.department_id]
            for when, old, new, comment in history:
                author = office if rng.random() < 0.3 else head
                yield (service.pk, old, new, when, author.pk, comment, "", False)

    return insert_rows(
        StatusChange,
        [
            "service_id",
            "old_status",
            "new_status",
            "changed_at",
            "changed_by_id",
            "comment",
            "evidence_url",
            "needs_verification",
        ],
        rows(),
    )


def _write_service_changes(services, *, chunk: int = 5000) -> int:
    """One history row per status move, as services.actions writes them, read back from
    the moves just written (their ids are the rows' link to the claim state). A chunk of
    services at a time: the moves are read before each COPY, which holds the connection."""
    by_id = {service.pk: service for service in services}
    ids = sorted(by_id)
    written = 0
    for start in range(0, len(ids), chunk):
        moves = list(
            StatusChange.objects.filter(service_id__in=ids[start : start + chunk])
            .order_by("service_id", "changed_at", "pk")
            .values_list(
                "pk",
                "service_id",
                "old_status",
                "new_status",
                "changed_at",
                "changed_by_id",
                "comment",
            )
        )
        written += insert_rows(
            ServiceChange,
            ServiceChange.COLUMNS,
            (_history_row(by_id[move[1]], *move) for move in moves),
            json_columns={"changes"},
        )
    return written


def _history_row(service, pk, service_id, old, new, when, author, comment) -> tuple:
    """A status move's history row; the generated services keep their particulars."""
    return ServiceChange.values_of(
        service,
        kind="status" if old else "created",
        changed_at=when,
        recorded_at=when,
        changed_by_id=author,
        comment=comment,
        evidence_url="",
        changes={"status": [old, new]} if old else {},
        status_change_id=pk,
        status=new,
        last_confirmed=timezone.localdate(when),
        withdrawn_on=None,
    )


def _write_usage(services, histories, sectors, start: date, rng) -> int:
    """Deliveries per month and channel: a base demand per service, the sector's season,
    growth over the years, and a move online once the service is electronic."""

    def rows():
        for service, history in zip(services, histories, strict=True):
            sector = service.department.code.rstrip("0123456789")
            busy = BUSY_MONTHS.get(sector, ())
            demand = rng.lognormvariate(3.5, 1.0)
            channels = [c for c in Channel.values if getattr(service, f"channel_{c}")]
            became_digital = _first_digital(history)
            for month in range(MONTHS):
                first_day = _month_start(start, month)
                season = 1.8 if first_day.month in busy else 1.0
                growth = 1 + month / MONTHS * 0.3
                online = 0.1
                if became_digital and first_day >= became_digital:
                    months_online = (first_day - became_digital).days / 30
                    online = min(0.85, 0.25 + months_online * 0.03)
                total = demand * season * growth
                for channel in channels:
                    share = _channel_share(channel, channels, online)
                    count = int(total * share * rng.uniform(0.85, 1.15))
                    if count:
                        yield (service.pk, first_day, channel, count)

    return insert_rows(Usage, ["service_id", "month", "channel", "count"], rows())


def _channel_share(channel: str, channels: list[str], online: float) -> float:
    online_channels = [c for c in channels if c in ONLINE_CHANNELS]
    offline = [c for c in channels if c not in online_channels]
    if not online_channels:
        return 1 / len(offline)
    if channel in online_channels:
        return online / len(online_channels)
    return (1 - online) / len(offline)


def _first_digital(history: list[Move]) -> date | None:
    for when, _old, new, _comment in history:
        if new in DIGITAL:
            return when.date().replace(day=1)
    return None


def _analyze():
    """What autovacuum would do in its own time after a bulk load: planner statistics
    (without them PostgreSQL guesses) and the visibility map (without it no index-only
    scans)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction (a caller's, or a test's)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


# --- small helpers --------------------------------------------------------------------------


def _month_start(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _moment(day: date, rng) -> datetime:
    when = datetime.combine(day + timedelta(days=rng.randint(0, 27)), time(9)) + timedelta(
        minutes=rng.randint(0, 540)
    )
    return timezone.make_aware(when, timezone.get_default_timezone())


def _poisson(rng, mean: float) -> int:
    """Knuth's method; small means only."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
