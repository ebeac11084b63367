"""The demo oblast of the akimat meeting: departments, 190 services, two years of history,
and two report snapshots a month apart.

Data: ``fixtures/demo/zhambyl.json`` (services as they stand today). The history leading
to today's statuses is generated here, deterministically, so every load gives the same
figures the meeting heard: 190 services, education with 5 not electronic, employment and
social programmes with 11 electronic, agriculture with 17.
"""

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from regions import restructure
from regions.models import Department, Membership, Readiness, Region, Role, User
from reports.build import build_region_report
from reports.models import ProgressTarget, ReportNote, ReportSnapshot
from reports.notes import save_note
from services import actions
from services.first_set import ensure_first_set
from services.models import Channel, Service, Status, Usage
from tracker import demo_criteria
from tracker.demo_country import load_country

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "zhambyl.json"
DEMO_PASSWORD = "demo12345"
HISTORY_DAYS = 730
REPORT_INTERVAL_DAYS = 30
REPORT_HISTORY_MONTHS = 5  # the meetings before today's
PENDING_CLAIMS = 6  # heads' claims the digital office has not yet looked at
STALE_DEPARTMENTS = {"HLT", "TOUR", "NAT"}  # whose data nobody has confirmed for weeks

MOVE_COMMENTS = {
    Status.PARTIAL: [
        "Приём заявлений переведён в ИС ЦОН, результат пока выдаётся на бумаге.",
        "Өтініштерді қабылдау ХҚКО ақпараттық жүйесіне ауыстырылды.",
        "Заявления регистрируются в информационной системе, подпись на бумаге.",
    ],
    Status.ELECTRONIC: [
        "Услуга доступна на портале eGov, результат — электронный документ.",
        "Қызмет eGov порталында электрондық түрде қолжетімді.",
        "Завершена интеграция через ШЭП, услуга оказывается в электронном виде.",
    ],
    Status.PROACTIVE: [
        "Услуга оказывается проактивно: SMS-согласие без заявления.",
        "Қызмет проактивті форматта: өтінішсіз, SMS арқылы келісім.",
    ],
}
EVIDENCE_URL = "https://egov.kz/cms/ru"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    place: str


def load_demo(
    *, seed: int = 2019, now: datetime | None = None, country: bool = True
) -> tuple[bool, list[DemoLogin]]:
    """Load the demo once. Returns (loaded now?, the demo logins). Safe to call again.

    ``country``: also every other region, made up, for the national view (a few seconds
    more; the tests of one region's journeys go without)."""
    call_command("loaddata", "regions", verbosity=0)
    ensure_first_set()  # the criteria and life events, where a flush emptied them
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    region = Region.objects.get(code=data["region"])
    with transaction.atomic():
        users = _demo_users(region, data["departments"])
        already = Department.objects.filter(region=region, code=data["departments"][0]["code"])
        if already.exists():
            return False, _logins(users)
        now = now or timezone.now()
        rng = random.Random(seed)
        _load_services(region, data["departments"], users, rng, now)
        demo_criteria.place_in_life_events(region)
        _confirm_recently(region, rng, timezone.localdate(now))
        # After the confirmations (history reads in order); a random stream of its own,
        # so the rest of the demo stays as it was.
        demo_criteria.answer_criteria(
            region, digital_office=users["digital"], rng=random.Random(seed + 1), now=now
        )
        _record_readiness(region, timezone.localdate(now))
        _record_usage(region, rng, timezone.localdate(now))
        _set_targets(region, timezone.localdate(now))
        _write_notes(region, users["digital"], timezone.localdate(now))
        _build_reports(region, users["akim"], timezone.localdate(now))
        if country:  # every other region, made up, for the national view
            load_country(data["departments"], demo_region=region, by=users["admin"], now=now)
        # Open data from a month ago, as a digital office that published would have it.
        Region.objects.update(published_on=timezone.localdate(now) - timedelta(days=30))
    return True, _logins(users)


HEAD_NAMES = [
    "Гүлнар Әбенова",
    "Бауыржан Смағұлов",
    "Сәуле Нұрпейісова",
    "Мұрат Есенов",
    "Әсел Тұрсынова",
    "Нұрлан Әлиев",
    "Жанар Қожахметова",
    "Серік Байжанов",
    "Ләззат Мұхамеджанова",
    "Данияр Оспанов",
    "Қарлығаш Жүсіпова",
    "Арман Төлеуов",
]


def _demo_users(region, departments) -> dict[str, User]:
    """Create (or find) one demo user per role; heads get their department below."""
    # Demo people carry names like the akimat's staff; the username says the role.
    specs = [
        ("admin", None, "Асқар Бекқожин"),
        ("digital", Role.DIGITAL_OFFICE, "Айгерім Сәрсенбаева"),
        ("akim", Role.GOVERNOR, "Ерлан Қасымов"),
        ("official", Role.OFFICIAL, "Дина Омарова"),
        ("ministry", Role.NATIONAL, "Тимур Жақсылықов"),
        *(
            (f"head.{d['code'].lower()}", Role.HEAD, HEAD_NAMES[index % len(HEAD_NAMES)])
            for index, d in enumerate(departments)
        ),
    ]
    users = {}
    for username, role, full_name in specs:
        first_name, last_name = full_name.split()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": True,
                "is_superuser": username == "admin",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
        if role in (Role.DIGITAL_OFFICE, Role.GOVERNOR, Role.OFFICIAL):
            Membership.objects.get_or_create(user=user, role=role, region=region)
        elif role == Role.NATIONAL:
            Membership.objects.get_or_create(user=user, role=role, region=None, department=None)
    return users


def _load_services(region, departments, users, rng, now) -> None:
    today = timezone.localdate(now)
    start = now - timedelta(days=HISTORY_DAYS)
    open_claims = []  # each service's latest move, when it is a head's claim
    for spec in departments:
        department = Department.objects.create(
            region=region,
            code=spec["code"],
            **{key: value for key, value in spec.items() if "name" in key},
        )
        restructure.record_created([department], by=users["digital"], at=start)
        head = users[f"head.{spec['code'].lower()}"]
        Membership.objects.get_or_create(user=head, role=Role.HEAD, department=department)
        head = User.objects.get(pk=head.pk)  # fresh object: its access now includes this
        for service_spec in spec["services"]:
            claim = _load_service(
                department, service_spec, head, users["digital"], rng, start, now, today
            )
            if claim is not None:
                open_claims.append(claim)
    _review_open_claims(open_claims, users["digital"], rng, now)


def _load_service(department, spec, head, digital_office, rng, start, now, today):
    """Create one service and its history; returns its latest move if that is a claim."""
    final = spec["status"]
    created_at = start + timedelta(days=rng.randint(0, 90), hours=rng.randint(9, 17))
    target_days = spec.get("target_in_days")
    service = actions.create_service(
        department=department,
        by=head,
        at=created_at,
        comment="Услуга внесена в перечень управления.",
        name_kk=spec["name_kk"],
        name_ru=spec["name_ru"],
        name_en=spec["name_en"],
        sphere=spec["sphere"],
        socially_significant=spec["socially_significant"],
        documents_required=spec.get("documents_required"),
        term_days=spec.get("term_days"),
        **_burden_before(spec, rng),
        target_status=spec.get("target_status") or "",
        target_date=today + timedelta(days=target_days) if target_days is not None else None,
        blocker=spec.get("blocker", ""),
        evidence_url=EVIDENCE_URL if final in (Status.ELECTRONIC, Status.PROACTIVE) else "",
        **{Channel(c).field_name: Channel(c) in spec["channels"] for c in Channel.values},
    )
    steps = Status.values[1 : Status.rank(final) + 1]
    moments = sorted(created_at + (now - created_at) * rng.uniform(0.05, 0.995) for _ in steps)
    for index, (status, moment) in enumerate(zip(steps, moments, strict=True)):
        by = digital_office if rng.random() < 0.2 else head
        change = actions.set_status(
            service,
            status=status,
            by=by,
            at=moment,
            comment=rng.choice(MOVE_COMMENTS[status]),
            evidence_url=EVIDENCE_URL if status != Status.PARTIAL else "",
        )
        if index + 1 == len(moments):
            return change if change.needs_verification else None
        _review_before(change, digital_office, rng, until=moments[index + 1])
    return None


def _burden_before(spec, rng) -> dict:
    """What a service asked of people before it went electronic: more papers, more days."""
    digital = spec["status"] in (Status.ELECTRONIC, Status.PROACTIVE)
    documents, term = spec.get("documents_required"), spec.get("term_days")
    return {
        "documents_before": documents + rng.randint(1, 3) if digital and documents else documents,
        "term_days_before": term + rng.randint(5, 25) if digital and term else term,
    }


def _review_before(change, digital_office, rng, *, until) -> None:
    """A claim later overtaken by another move was accepted within about two weeks."""
    if not change.needs_verification:
        return
    reviewed_at = change.changed_at + timedelta(days=rng.uniform(1, 15))
    if reviewed_at < until:
        actions.verify_claim(change, by=digital_office, at=reviewed_at)


def _review_open_claims(claims, digital_office, rng, now) -> None:
    """The digital office accepted every standing claim but the latest few, which wait."""
    for claim in sorted(claims, key=lambda change: change.changed_at)[:-PENDING_CLAIMS]:
        reviewed_at = min(
            claim.changed_at + timedelta(days=rng.uniform(1, 15)), now - timedelta(hours=1)
        )
        actions.verify_claim(claim, by=digital_office, at=reviewed_at)


def _confirm_recently(region, rng, today) -> None:
    """Most heads confirmed their lists in the last fortnight; the laggards long ago."""
    for department in Department.objects.filter(region=region):
        stale = department.code in STALE_DEPARTMENTS
        confirmed = today - timedelta(days=rng.randint(45, 150) if stale else rng.randint(1, 14))
        moment = timezone.make_aware(datetime.combine(confirmed, time(10)))
        head = User.objects.get(memberships__department=department, memberships__role=Role.HEAD)
        # Only what the history has not moved on from since: it reads in order.
        services = department.services.alias(latest=Max("history__changed_at")).filter(
            latest__lt=moment
        )
        actions.confirm_services(services.select_related("department"), by=head, at=moment)


def _record_readiness(region, today) -> None:
    """What the akim said at the meeting: 26 villages without internet, 61% literacy."""
    Readiness.objects.create(
        region=region,
        period=today.replace(month=1, day=1),
        villages_without_internet=26,
        villages_without_internet_target=0,
        territory_coverage=Decimal("98.7"),
        territory_coverage_target=100,
        digital_literacy=61,
        digital_literacy_target=80,
        internet_users=None,
        internet_users_target=78,
        source_kk=(
            "Әкімдіктің «Цифрлық Қазақстан» бағдарламасы бойынша кеңесі; бағдарлама нысаналары."
        ),
        source_ru=(
            "Совещание акимата по программе «Цифровой Казахстан»; целевые показатели программы."
        ),
        source_en="Akimat meeting on the “Digital Kazakhstan” programme; targets of the programme.",
    )


LITTLE_USED = 3  # electronic services people still mostly use in person


def _record_usage(region, rng, today) -> None:
    """Twelve months of deliveries by channel. Electronic services are mostly used online,
    with school-year peaks in education; a few electronic ones are still used in person."""
    rows = []
    services = list(Service.objects.filter(department__region=region).order_by("pk"))
    digital = [s for s in services if s.status in (Status.ELECTRONIC, Status.PROACTIVE)]
    little_used = {s.pk for s in rng.sample(digital, LITTLE_USED)}
    for service in services:
        base = rng.randint(20, 400)
        if service.pk in little_used:
            online_share = rng.uniform(0.03, 0.12)
        elif service.status in (Status.ELECTRONIC, Status.PROACTIVE):
            online_share = rng.uniform(0.35, 0.92)
        else:
            online_share = 0.0
        for back in range(12):
            month_index = today.year * 12 + today.month - 1 - back
            month = date(month_index // 12, month_index % 12 + 1, 1)
            season = 1.6 if service.sphere == "education" and month.month in (6, 7, 8) else 1.0
            volume = max(1, int(base * season * rng.uniform(0.8, 1.2)))
            online = int(volume * online_share)
            split = {
                Channel.EGOV: int(online * 0.7),
                Channel.MGOV: online - int(online * 0.7),
                Channel.PSC: (volume - online) // 2,
            }
            split[Channel.OFFICE] = volume - online - split[Channel.PSC]
            rows += [
                Usage(service=service, month=month, channel=channel, count=count)
                for channel, count in split.items()
                if count
            ]
    Usage.objects.bulk_create(rows, batch_size=2000)


def _set_targets(region, today) -> None:
    """The government's order (every socially significant service electronic by the year's
    end) and three departments' own targets: one overdue, one at risk, one on its way."""
    departments = {d.code: d for d in Department.objects.filter(region=region)}
    Scope = ProgressTarget.Scope
    for department, scope, share, deadline_in, set_ago, baseline in [
        (
            None,
            Scope.SOCIALLY_SIGNIFICANT,
            100,
            (date(today.year, 12, 31) - today).days or 1,
            300,
            30,
        ),
        ("EDU", Scope.ALL, 90, 60, 365, 60),
        ("AGR", Scope.ALL, 60, -45, 400, 25),
        ("TOUR", Scope.ALL, 50, 120, 200, 0),
    ]:
        ProgressTarget.objects.create(
            region=region,
            department=departments.get(department),
            scope=scope,
            share=share,
            deadline=today + timedelta(days=deadline_in),
            set_on=today - timedelta(days=set_ago),
            baseline_share=baseline,
        )


def _build_reports(region, governor, today) -> None:
    """Six months of monthly meetings' reports (from the history, as they stood then), so
    "since the last meeting", the trend and the forecasts show on first visit."""
    for months_ago in range(REPORT_HISTORY_MONTHS, 0, -1):
        build_region_report(
            region,
            as_of=today - timedelta(days=REPORT_INTERVAL_DAYS * months_ago),
            trigger=ReportSnapshot.Trigger.SCHEDULE,
        )
    build_region_report(region, as_of=today, requested_by=governor)


def _write_notes(region, digital_office, today) -> None:
    """The digital office's notes on the charts: the order behind the year's target, and
    the register's review a meeting ago."""
    social_target = ProgressTarget.objects.get(region=region, department=None)
    notes = [
        ReportNote(
            region=region,
            on=social_target.set_on,
            target=social_target,
            text_kk="Әкімнің тапсырмасы: жыл соңына дейін әлеуметтік маңызы бар барлық "
            "қызметтер электрондық түрде.",
            text_ru="Поручение акима: все социально значимые услуги перевести в электронный "
            "вид до конца года.",
            text_en="The akim's order: every socially significant service electronic by the "
            "year's end.",
        ),
        ReportNote(
            region=region,
            on=today - timedelta(days=REPORT_INTERVAL_DAYS + 3),
            text_kk="Басқармалар қағаздағы қызметтер тізімін қайта қарады.",
            text_ru="Управления пересмотрели списки услуг, оказываемых на бумаге.",
            text_en="The departments reviewed their lists of services still on paper.",
        ),
    ]
    for note in notes:
        save_note(note, by=digital_office)


def _logins(users: dict[str, User]) -> list[DemoLogin]:
    logins = []
    for user in users.values():
        membership = user.memberships.select_related("department", "region").first()
        if user.is_superuser:
            logins.append(DemoLogin(user.username, "superuser", "—"))
        elif membership:
            place = membership.department or membership.region or "Kazakhstan"
            logins.append(DemoLogin(user.username, membership.get_role_display(), str(place)))
    return logins
