"""Building a region's progress report: plain functions, called by the tasks and tests.

A build reads the region as it stood at the end of ``as_of`` from the status history (so
a report for a past date is right whatever has changed since), compares it with the
region's previous finished snapshot, and freezes the result in ``ReportSnapshot.content``
— the one source of the report page, the XLSX and the PDF. It costs the same handful of
queries for 5 departments or 600.

``content`` is a plain JSON document::

    region       {code, name_kk, name_ru, name_en}
    as_of        "YYYY-MM-DD"
    previous     {id, as_of} or null
    summary      Figures (+ socially_significant, socially_significant_digital) and "delta"
    departments  [Figures + id, code, names, short names, rank, last_confirmed,
                  days_since_confirmed, stale, delta,
                  lagging: [service still on paper or partially automated]]
    changes      [status moves since the previous snapshot: who, when, old -> new]
    little_used  [electronic services with take-up online below 20% over the last year]
    targets      [{place names, scope, goal, deadline, planned, actual, state}] where state
                  is met, on_track, at_risk or overdue
    readiness    {period, source, indicators: [{key, value, target, met}]} or null

Usage over the twelve months up to the date gives each department and the region
usage_total and take_up (online channels ÷ all, None without data), and the summary
take_up_by_month.

where Figures = total, paper, partial, electronic, proactive, digital (of which
awaiting_verification: claimed, not yet accepted), share_digital, overdue.
Shares are fractions (0..1) rounded to 4 places.
"""

import logging
from collections import defaultdict, namedtuple
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Department, Readiness, Region
from reports.models import ProgressTarget, ReportSnapshot
from services.models import (
    DIGITAL_STATUSES,
    ONLINE_CHANNELS,
    Service,
    Status,
    StatusChange,
    Usage,
    end_of_day,
)
from tracker.jobs import mark as _mark

SCHEMA_VERSION = 1
COUNTED = (
    "total",
    "paper",
    "partial",
    "electronic",
    "proactive",
    "digital",
    "overdue",
    "awaiting_verification",
)
# Plain strings and a rank table: the build tests every service against these, and the
# choices enum answers slowly (Status.values builds a list on each call).
DIGITAL = frozenset(str(status) for status in DIGITAL_STATUSES)
LAGGING_STATUSES = frozenset((str(Status.PAPER), str(Status.PARTIAL)))
RANK = {str(status): rank for rank, status in enumerate(Status.values)}
# What a report reads of each service, as plain tuples: model instances would cost more
# than the rest of the build at national scale.
REPORTED_FIELDS = (
    "pk",
    "department_id",
    "name_kk",
    "name_ru",
    "name_en",
    "socially_significant",
    "blocker",
    "target_status",
    "target_date",
    "last_confirmed",
    "documents_required",
    "documents_before",
    "term_days",
    "term_days_before",
    "status_on_day",
    "status_since",
    "awaiting_on_day",
)
ReportedService = namedtuple("ReportedService", REPORTED_FIELDS)

log = logging.getLogger(__name__)


def build_region_report(
    region: Region,
    *,
    as_of: date,
    requested_by=None,
    trigger: str = ReportSnapshot.Trigger.MANUAL,
) -> ReportSnapshot:
    """Create a snapshot and build it now, in this process (demo loader, tests, shell)."""
    snapshot = ReportSnapshot.objects.create(
        region=region, as_of=as_of, requested_by=requested_by, trigger=trigger
    )
    return run_build(snapshot)


def run_build(snapshot: ReportSnapshot) -> ReportSnapshot:
    """Build a queued (or failed, or interrupted) snapshot; a finished one is left alone.

    On any error the snapshot is marked failed with a readable reason and the error is
    raised again (so the task can retry); nothing of the failed build is kept, and the
    region's earlier snapshots are never touched.
    """
    if snapshot.state == ReportSnapshot.State.DONE:
        return snapshot  # a redelivered task: the work is already done
    _mark(
        snapshot,
        state=ReportSnapshot.State.RUNNING,
        progress=5,
        error="",
        started_at=timezone.now(),
        finished_at=None,
    )
    try:
        previous = previous_snapshot(snapshot)
        content = compute_report(
            snapshot.region,
            as_of=snapshot.as_of,
            previous=previous,
            on_progress=lambda percent: _mark(snapshot, progress=percent),
        )
        with transaction.atomic():
            snapshot.content = content
            snapshot.previous = previous
            snapshot.state = ReportSnapshot.State.DONE
            snapshot.progress = 100
            snapshot.finished_at = timezone.now()
            snapshot.save(update_fields=["content", "previous", "state", "progress", "finished_at"])
    except Exception as error:
        _record_failure(snapshot, error)
        raise
    return snapshot


def previous_snapshot(snapshot: ReportSnapshot) -> ReportSnapshot | None:
    """The region's latest finished snapshot of an earlier date: "the last meeting"."""
    return (
        ReportSnapshot.objects.done()
        .filter(region_id=snapshot.region_id, as_of__lt=snapshot.as_of)
        .order_by("-as_of", "-finished_at", "-pk")
        .first()
    )


def compute_report(
    region: Region, *, as_of: date, previous: ReportSnapshot | None, on_progress=None
) -> dict:
    """The report's content. Seven reads (eight off PostgreSQL), whatever the size of the
    region."""
    progress = on_progress or (lambda percent: None)
    departments = list(Department.objects.filter(region=region).order_by("code"))
    services = [
        ReportedService._make(row)
        for row in Service.objects.filter(department__region=region)
        .as_of(as_of)
        .order_by("-socially_significant", "name_ru", "pk")
        .values_list(*REPORTED_FIELDS)
    ]
    progress(50)
    changes = _changes_since(region, previous, as_of)
    usage = _usage(region, as_of)
    targets = list(
        ProgressTarget.objects.filter(region=region, set_on__lte=as_of).select_related("department")
    )
    readiness = (
        Readiness.objects.filter(region=region, period__lte=as_of).order_by("-period").first()
    )
    progress(75)

    by_department = defaultdict(list)
    for service in services:
        by_department[service.department_id].append(service)
    previous_content = previous.content if previous else {}
    previous_rows = {row["id"]: row for row in previous_content.get("departments", [])}

    rows = []
    for department in departments:
        its_services = by_department[department.pk]
        row = _department_row(department, its_services, as_of, previous_rows.get(department.pk))
        row |= _take_up([usage.by_service.get(s.pk) for s in its_services])
        rows.append(row)
    _rank_laggards_first(rows)
    summary = _summary(services, as_of)
    summary["stale_departments"] = sum(row["stale"] for row in rows)
    summary["burden"] = _burden(services)
    summary |= _take_up([usage.by_service.get(s.pk) for s in services])
    summary["take_up_by_month"] = [
        [month.isoformat(), _share(online, total)]
        for month, (online, total) in sorted(usage.by_month.items())
    ]
    summary["delta"] = _delta(summary, previous_content.get("summary"))
    return {
        "schema": SCHEMA_VERSION,
        "region": _names(region) | {"code": region.code},
        "as_of": as_of.isoformat(),
        "previous": {"id": previous.pk, "as_of": previous.as_of.isoformat()} if previous else None,
        "summary": summary,
        "departments": rows,
        "changes": changes,
        "little_used": _little_used(services, usage, departments),
        "take_up_by_service": _take_up_by_service(services, usage, departments),
        "targets": [_target_state(target, services, as_of) for target in targets],
        "readiness": {
            "period": readiness.period.isoformat(),
            "source": readiness.source,
            "indicators": readiness.indicators(),
        }
        if readiness
        else None,
    }


# --- share targets -------------------------------------------------------------------------

ON_TRACK_MARGIN = 0.02  # within two points of the plan line still counts as on track


def _target_state(target, services, as_of: date) -> dict:
    """Where a region's or department's share target stands on ``as_of``: met, on track
    (at or above its straight plan line from when it was set), at risk, or overdue."""
    chosen = [
        s
        for s in services
        if (target.department_id is None or s.department_id == target.department_id)
        and (target.scope == ProgressTarget.Scope.ALL or s.socially_significant)
    ]
    actual = _share(sum(s.status_on_day in DIGITAL for s in chosen), len(chosen))
    goal, start = float(target.share) / 100, float(target.baseline_share) / 100
    elapsed = (as_of - target.set_on).days / (target.deadline - target.set_on).days
    planned = round(start + (goal - start) * min(max(elapsed, 0.0), 1.0), 4)
    if actual is not None and actual >= goal:
        state = "met"
    elif as_of > target.deadline:
        state = "overdue"
    elif actual is not None and actual >= planned - ON_TRACK_MARGIN:
        state = "on_track"
    else:
        state = "at_risk"
    return {
        **_place_names(target),
        "region_wide": target.department_id is None,
        "scope": target.scope,
        "set_on": target.set_on.isoformat(),
        "baseline": start,
        "goal": goal,
        "deadline": target.deadline.isoformat(),
        "planned": planned,
        "actual": actual,
        "state": state,
    }


def _place_names(target) -> dict:
    """place_kk/ru/en: the department's short name (or full), else the region's name."""
    names = {}
    for code in ("kk", "ru", "en"):
        if target.department:
            department = target.department
            names[f"place_{code}"] = getattr(department, f"short_name_{code}") or getattr(
                department, f"name_{code}"
            )
        else:
            names[f"place_{code}"] = getattr(target.region, f"name_{code}")
    return names


# --- usage and digital take-up -------------------------------------------------------------

USAGE_MONTHS = 12
LITTLE_USED_BELOW = 0.2  # electronic, yet fewer than this share of deliveries online
LITTLE_USED_MIN_VOLUME = 10  # a year with fewer deliveries says little either way


@dataclass
class UsageTotals:
    by_service: dict  # service id -> [online, all] over the window
    by_month: dict  # month -> [online, all] for the whole region


def _usage(region, as_of: date) -> UsageTotals:
    """Deliveries in the twelve months up to ``as_of``, online and all, summed by the
    database per service and per month (a few thousand rows, not one per service, month
    and channel). PostgreSQL does both sums in one pass over the usage (GROUPING SETS,
    which the ORM cannot say); other databases take two queries."""
    first_month = _month_start(as_of, back=USAGE_MONTHS - 1)
    if connection.vendor == "postgresql":
        return _usage_in_one_pass(region.pk, first_month, as_of)
    window = Usage.objects.filter(
        service__department__region=region, month__gte=first_month, month__lte=as_of
    )
    sums = {
        "online": Sum("count", filter=Q(channel__in=ONLINE_CHANNELS), default=0),
        "total": Sum("count"),
    }
    by_service = window.values_list("service_id").annotate(**sums).order_by()
    by_month = window.values_list("month").annotate(**sums).order_by()
    return UsageTotals(
        by_service={service: [online, total] for service, online, total in by_service},
        by_month={month: [online, total] for month, online, total in by_month},
    )


# Joined up to the region, not "department_id = ANY(ids)": PostgreSQL misjudges how many
# services such a list matches and then scans the whole usage table instead of walking
# each service's months through the usage's unique index.
USAGE_IN_ONE_PASS = """
    SELECT u.service_id, u.month,
           coalesce(sum(u.count) FILTER (WHERE u.channel = ANY(%(online)s)), 0),
           sum(u.count)
    FROM {usage} u
    JOIN {service} s ON s.id = u.service_id
    JOIN {department} d ON d.id = s.department_id
    WHERE d.region_id = %(region)s
      AND u.month >= %(first_month)s AND u.month <= %(as_of)s
    GROUP BY GROUPING SETS ((u.service_id), (u.month))
"""


def _usage_in_one_pass(region_id: int, first_month: date, as_of: date) -> UsageTotals:
    sql = USAGE_IN_ONE_PASS.format(
        usage=Usage._meta.db_table,
        service=Service._meta.db_table,
        department=Department._meta.db_table,
    )
    totals = UsageTotals(by_service={}, by_month={})
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "online": [str(channel) for channel in ONLINE_CHANNELS],
                "region": region_id,
                "first_month": first_month,
                "as_of": as_of,
            },
        )
        for service_id, month, online, total in cursor.fetchall():
            if service_id is not None:  # the per-service grouping set
                totals.by_service[service_id] = [online, total]
            else:
                totals.by_month[month] = [online, total]
    return totals


def _take_up(pairs) -> dict:
    """Online ÷ all over the services that have usage data; None when none has."""
    known = [pair for pair in pairs if pair]
    online, total = sum(p[0] for p in known), sum(p[1] for p in known)
    return {"usage_total": total, "take_up": _share(online, total)}


def _little_used(services, usage, departments) -> list[dict]:
    """Electronic on paper, yet little used online: a name without substance."""
    short_names = {d.pk: _names(d, "short_name") for d in departments}
    flagged = []
    for service in services:
        online, total = usage.by_service.get(service.pk) or (0, 0)
        if (
            service.status_on_day in DIGITAL
            and total >= LITTLE_USED_MIN_VOLUME
            and online / total < LITTLE_USED_BELOW
        ):
            flagged.append(
                _names(service)
                | {f"department_{k}": v for k, v in short_names[service.department_id].items()}
                | {"service_id": service.pk, "take_up": _share(online, total), "usage_total": total}
            )
    return sorted(flagged, key=lambda s: s["take_up"])


def _take_up_by_service(services, usage, departments) -> list[dict]:
    """Every service with usage data: deliveries and the share online (for the XLSX)."""
    codes = {d.pk: d.code for d in departments}
    rows = []
    for service in services:
        if service.pk in usage.by_service:
            online, total = usage.by_service[service.pk]
            rows.append(
                _names(service)
                | {
                    "service_id": service.pk,
                    "department_code": codes[service.department_id],
                    "status": service.status_on_day,
                    "usage_total": total,
                    "take_up": _share(online, total),
                }
            )
    return sorted(rows, key=lambda row: (row["department_code"], row["name_ru"]))


def _month_start(day: date, *, back: int) -> date:
    month_index = day.year * 12 + day.month - 1 - back
    return date(month_index // 12, month_index % 12 + 1, 1)


# --- figures ----------------------------------------------------------------------------------


def _figures(services, as_of: date) -> dict:
    figures = dict.fromkeys(COUNTED, 0)
    for service in services:
        status = service.status_on_day
        figures["total"] += 1
        figures[status] += 1
        figures["digital"] += status in DIGITAL
        figures["overdue"] += _overdue(service, as_of)
        # claimed electronic by a head, not yet accepted by the digital office on that day
        figures["awaiting_verification"] += bool(service.awaiting_on_day)
    figures["share_digital"] = _share(figures["digital"], figures["total"])
    return figures


def _summary(services, as_of: date) -> dict:
    summary = _figures(services, as_of)
    significant = [s for s in services if s.socially_significant]
    summary["socially_significant"] = len(significant)
    summary["socially_significant_digital"] = sum(s.status_on_day in DIGITAL for s in significant)
    summary["share_socially_significant_digital"] = _share(
        summary["socially_significant_digital"], len(significant)
    )
    return summary


def _department_row(department, services, as_of: date, previous_row: dict | None) -> dict:
    row = _names(department) | _names(department, "short_name")
    row |= {"id": department.pk, "code": department.code}
    row |= _figures(services, as_of)
    confirmed = [_confirmed_on(service, as_of) for service in services]
    # A department's data are as current as its least recently confirmed service.
    last_confirmed = min(confirmed) if confirmed else None
    row["last_confirmed"] = last_confirmed.isoformat() if last_confirmed else None
    row["days_since_confirmed"] = (as_of - last_confirmed).days if last_confirmed else None
    row["stale"] = bool(last_confirmed) and row["days_since_confirmed"] > settings.STALE_AFTER_DAYS
    row["delta"] = _delta(row, previous_row)
    row["lagging"] = [
        _names(service)
        | {
            "service_id": service.pk,
            "status": service.status_on_day,
            "socially_significant": service.socially_significant,
            "blocker": service.blocker,
            "target_status": service.target_status,
            "target_date": service.target_date.isoformat() if service.target_date else None,
            "overdue": _overdue(service, as_of),
            "target_state": _service_target_state(service, as_of),
        }
        for service in services
        if service.status_on_day in LAGGING_STATUSES
    ]
    return row


def _burden(services) -> dict:
    """Average documents and days, before digitisation and now, over the services where
    both are known (a service with one figure only would skew the comparison)."""
    burden = {}
    for name, before, now in (
        ("documents", "documents_before", "documents_required"),
        ("term_days", "term_days_before", "term_days"),
    ):
        known = [
            (getattr(s, before), getattr(s, now))
            for s in services
            if getattr(s, before) is not None and getattr(s, now) is not None
        ]
        burden[name] = {
            "services": len(known),
            "before": round(sum(b for b, _n in known) / len(known), 1) if known else None,
            "now": round(sum(n for _b, n in known) / len(known), 1) if known else None,
        }
    return burden


def _rank_laggards_first(rows: list[dict]) -> None:
    """Lowest share electronic first; among equals, more services on paper first."""
    rows.sort(key=lambda r: (r["total"] == 0, r["share_digital"] or 0, -r["paper"], r["code"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank


def _delta(current: dict, previous: dict | None) -> dict | None:
    if not previous:
        return None
    delta = {key: current[key] - previous.get(key, 0) for key in COUNTED}
    if current["share_digital"] is not None and previous.get("share_digital") is not None:
        delta["share_digital"] = round(current["share_digital"] - previous["share_digital"], 4)
    else:
        delta["share_digital"] = None
    return delta


AT_RISK_WITHIN_DAYS = 30  # a target this close, not yet reached, is at risk


def _service_target_state(service, as_of: date) -> str | None:
    if not service.target_status or not service.target_date:
        return None
    if RANK[service.status_on_day] >= RANK[service.target_status]:
        return "met"
    if service.target_date < as_of:
        return "overdue"
    if (service.target_date - as_of).days <= AT_RISK_WITHIN_DAYS:
        return "at_risk"
    return "on_track"


def _overdue(service, as_of: date) -> bool:
    return bool(
        service.target_status
        and service.target_date
        and service.target_date < as_of
        and RANK[service.status_on_day] < RANK[service.target_status]
    )


def _confirmed_on(service, as_of: date) -> date:
    """When the service's data were last confirmed, as it could be known on ``as_of``."""
    if service.last_confirmed and service.last_confirmed <= as_of:
        return service.last_confirmed
    return timezone.localdate(service.status_since)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _names(obj, base: str = "name") -> dict:
    return {f"{base}_{code}": getattr(obj, f"{base}_{code}") for code in ("kk", "ru", "en")}


# --- changes since the previous snapshot -------------------------------------------------------


def _changes_since(region, previous: ReportSnapshot | None, as_of: date) -> list[dict]:
    if previous is None:
        return []
    moves = (
        StatusChange.objects.filter(
            service__department__region=region,
            changed_at__gte=end_of_day(previous.as_of),
            changed_at__lt=end_of_day(as_of),
        )
        .select_related("service__department", "changed_by")
        .order_by("changed_at", "pk")
    )
    return [
        _names(move.service)
        | {
            f"department_{key}": value
            for key, value in _names(move.service.department, "short_name").items()
        }
        | {
            "service_id": move.service_id,
            "department_code": move.service.department.code,
            "old_status": move.old_status,
            "new_status": move.new_status,
            "changed_at": timezone.localtime(move.changed_at).isoformat(),
            "changed_by": move.changed_by.get_full_name() or move.changed_by.get_username(),
            "comment": move.comment,
        }
        for move in moves
    ]


# --- state ------------------------------------------------------------------------------------


def _record_failure(snapshot: ReportSnapshot, error: Exception) -> None:
    reason = str(error).strip() or error.__class__.__name__
    try:
        _mark(
            snapshot,
            state=ReportSnapshot.State.FAILED,
            error=_("The report could not be built: %(reason)s") % {"reason": reason},
            finished_at=timezone.now(),
        )
    except DatabaseError:
        # The database that broke the build may refuse this too; the task will retry.
        log.exception("Could not mark report snapshot %s as failed", snapshot.pk)
