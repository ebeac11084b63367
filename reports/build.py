"""Building a region's progress report: plain functions, called by the tasks and tests.

A build reads the region as it stood at its cutoff — the moment it started for today's
date, the end of the day for a past one — from the history alone (``reports.standing``),
so a report of a past date shows what was true then whatever has changed since. It
compares that with the region as it stood at the previous finished snapshot's cutoff,
the services grouped by today's departments (so a merge or a split compares like with
like), and freezes the result in ``ReportSnapshot.content`` — the one source of the
report page, the XLSX and the PDF. It costs the same handful of queries for 5
departments or 600. The figures are counted in ``reports.figures``, usage in
``reports.usage``, share targets in ``reports.targets``.

``content`` is a plain JSON document::

    region       {code, name_kk, name_ru, name_en}
    as_of        "YYYY-MM-DD"
    previous     {id, as_of} or null
    summary      Figures (+ socially_significant, socially_significant_digital and
                  _verified, their shares) and "delta"
    cutoff       ISO instant the history was read up to
    departments  [Figures + id, code, kind, names, short names, rank, last_confirmed,
                  days_since_confirmed, stale, delta, restructured (merges and splits
                  since the previous snapshot that explain its delta),
                  lagging: [service still on paper or partially automated],
                  electronic_services: [service electronic or proactive, claims marked]]
    changes      [since the previous snapshot: status moves, services added, withdrawn,
                  returned, moved; who, when, kind, old -> new]
    restructured [merges and splits of departments since the previous snapshot]
    little_used  [electronic services with take-up online below 20% over the last year]
    targets      [{place names, scope, goal, deadline, planned, actual (verified), claimed,
                  actual_with_claims, state, forecast}] where state
                  is met, on_track, at_risk or overdue
    readiness    {period, source_kk/ru/en, indicators: [{key, value, target, met, change}]}
                  or null
    next_work    [electronic services at level 1 or below: names, service_id,
                  department_id, status, level, needs_visit], laggard departments first
    life_events  [{code, names, services, verified} + Levels], in the events' order
    criteria     [{code, level, names}]: the criteria the levels were counted by

Since schema 4 the summary and each department carry Levels = levels (verified: how
many services at each level 0..4), levels_claimed (with heads' claims), and
electronic_needing_visit (verified electronic services whose "no visit needed" is not
met; None when that criterion is not in use). See reports.maturity.

Usage over the twelve months up to the date gives each department and the region
usage_total and take_up (online channels ÷ all, None without data), and the summary
take_up_by_month. Forecasts (reports.outlook, reports.forecast; None without three reports
of history): each target's, the summary's "forecast" (every service electronic) and
"take_up_forecast" (the next six months).

where Figures = total, paper, partial, electronic, proactive, digital (of which
awaiting_verification: claimed, not yet accepted), verified (digital without the claims),
share_digital, share_verified, overdue. Since schema 3 the report reads verified first:
departments are ranked and targets judged by their verified services (reports.schema
gives older snapshots the verified figures they lack).
Shares are fractions (0..1) rounded to 4 places.
"""

from collections import defaultdict
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Readiness, Region
from reports import figures, maturity, outlook, standing, targets, usage
from reports.headline import HEADLINE_FIELDS, headline_of
from reports.models import DepartmentFigures, ReportSnapshot
from services.models import end_of_day
from tracker.collector import collector_paused
from tracker.jobs import claim, record_failure
from tracker.jobs import mark as _mark

SCHEMA_VERSION = 4


def build_region_report(
    region: Region,
    *,
    as_of: date,
    requested_by=None,
    trigger: str = ReportSnapshot.Trigger.MANUAL,
    cutoff: datetime | None = None,
) -> ReportSnapshot:
    """Create a snapshot and build it now, in this process (demo loader, tests, shell)."""
    snapshot = ReportSnapshot.objects.create(
        region=region, as_of=as_of, requested_by=requested_by, trigger=trigger, cutoff=cutoff
    )
    return run_build(snapshot)


def cutoff_for(as_of: date, *, now: datetime | None = None) -> datetime:
    """Up to when a report of ``as_of`` reads: now for today, the day's end for the past."""
    return min(now or timezone.now(), end_of_day(as_of))


def run_build(snapshot: ReportSnapshot) -> ReportSnapshot:
    """Build a queued (or failed, or interrupted) snapshot; a finished one is left alone.

    On any error the snapshot is marked failed with a readable reason and the error is
    raised again (so the task can retry); nothing of the failed build is kept, and the
    region's earlier snapshots are never touched. The cutoff is fixed on the first try,
    so a retried build reads what the first one would have.
    """
    if not claim(snapshot):
        return snapshot  # done already, or another worker is building it now
    snapshot.cutoff = snapshot.cutoff or cutoff_for(snapshot.as_of)
    # From the claim on, any error marks the build failed, the first write included: a
    # retry claims a failed build again, a "running" one left behind it could not.
    try:
        _mark(
            snapshot,
            progress=5,
            error="",
            cutoff=snapshot.cutoff,
            started_at=timezone.now(),
            finished_at=None,
        )
        previous = previous_snapshot(snapshot)
        content = compute_report(
            snapshot.region,
            as_of=snapshot.as_of,
            cutoff=snapshot.cutoff,
            previous=previous,
            on_progress=lambda percent: _mark(snapshot, progress=percent),
        )
        with transaction.atomic():
            snapshot.content = content
            for name, value in headline_of(content).items():
                setattr(snapshot, name, value)
            snapshot.previous = previous
            snapshot.state = ReportSnapshot.State.DONE
            snapshot.progress = 100
            snapshot.finished_at = timezone.now()
            snapshot.save(
                update_fields=[
                    "content",
                    *HEADLINE_FIELDS,
                    "previous",
                    "state",
                    "progress",
                    "finished_at",
                ]
            )
            _record_department_figures(snapshot, content)
    except Exception as error:
        _record_failure(snapshot, error)
        raise
    return snapshot


def _record_department_figures(snapshot: ReportSnapshot, content: dict) -> None:
    """The report's departments as rows of figures (reports.models.departments), written
    in the transaction that marks it done: a failed or interrupted build leaves none."""
    DepartmentFigures.objects.bulk_create(
        DepartmentFigures(
            snapshot=snapshot,
            department_id=row["id"],
            kind=row.get("kind", ""),
            total=row["total"],
            digital=row["digital"],
            awaiting=row["awaiting_verification"],
            share_verified=figures.share(
                row["digital"] - row["awaiting_verification"], row["total"]
            ),
            stale=row["stale"],
            rank=row["rank"],
        )
        for row in content["departments"]
    )


def previous_snapshot(snapshot: ReportSnapshot) -> ReportSnapshot | None:
    """The region's latest finished snapshot of an earlier date: "the last meeting"."""
    return (
        ReportSnapshot.objects.done()
        .filter(region_id=snapshot.region_id, as_of__lt=snapshot.as_of)
        .order_by("-as_of", "-finished_at", "-pk")
        .first()
    )


@collector_paused()
def compute_report(
    region: Region,
    *,
    as_of: date,
    cutoff: datetime | None = None,
    previous: ReportSnapshot | None,
    on_progress=None,
) -> dict:
    """The report's content, read up to ``cutoff`` (see cutoff_for). Fourteen reads on
    PostgreSQL, fifteen elsewhere, whatever the size of the region: departments (two),
    services now and at the previous meeting (together), changes (two), restructurings,
    usage, targets, readiness, the earlier reports' shares for the forecasts (two), and the
    criteria, their answers and the life events (reports.maturity)."""
    progress = on_progress or (lambda percent: None)
    cutoff = cutoff or cutoff_for(as_of)
    departments = standing.departments_at(region, cutoff)
    since = (previous.cutoff or end_of_day(previous.as_of)) if previous else None
    if previous:
        services, before = standing.services_now_and_then(
            region, cutoff, since, days=(previous.as_of, as_of)
        )
    else:
        services, before = standing.services_at(region, cutoff, day=as_of), None
    progress(60)
    changes = (
        standing.changes_between(region, since, cutoff, days=(previous.as_of, as_of))
        if previous
        else []
    )
    restructured = standing.restructured_between(region, since, cutoff)
    usage_totals = usage.usage_of(region, as_of)
    share_targets = targets.targets_of(region, as_of)
    readiness = (
        Readiness.objects.filter(region=region, period__lte=as_of).order_by("-period").first()
    )
    levels = maturity.maturity_at(region, cutoff)
    progress(75)

    by_department = defaultdict(list)
    for service in services:
        by_department[service.department_id].append(service)
    before_by_department = _grouped_as_now(before, services) if previous else {}
    existed_before = _departments_before(before, previous) if previous else set()
    notes = defaultdict(list)
    for note in restructured:
        notes[note["department_id"]].append(note)

    rows = []
    for department in departments:
        its_services = by_department[department.pk]
        row = figures.department_row(department, its_services, as_of)
        then = before_by_department.get(department.pk, [])
        row["delta"] = (
            figures.delta(row, figures.figures(then, previous.as_of))
            if previous and (then or department.pk in existed_before)
            else None
        )
        row["restructured"] = notes.get(department.pk, [])
        row |= usage.take_up([usage_totals.by_service.get(s.pk) for s in its_services])
        row |= maturity.level_counts(its_services, levels)
        rows.append(row)
    figures.rank_laggards_first(rows)
    summary = figures.summary(services, as_of)
    summary["stale_departments"] = sum(row["stale"] for row in rows)
    summary["burden"] = figures.burden(services)
    summary |= maturity.level_counts(services, levels)
    summary |= usage.take_up([usage_totals.by_service.get(s.pk) for s in services])
    summary["take_up_by_month"] = [
        [month.isoformat(), figures.share(online, total)]
        for month, (online, total) in sorted(usage_totals.by_month.items())
    ]
    summary["delta"] = (
        figures.delta(summary, figures.figures(before, previous.as_of)) if previous else None
    )
    target_rows = [targets.target_state(target, services, as_of) for target in share_targets]
    history = outlook.history_of(
        region,
        before=as_of,
        department_ids=[t["department_id"] for t in target_rows if not t["region_wide"]],
    )
    for target in target_rows:
        target["forecast"] = outlook.target_forecast(target, history, as_of=as_of)
    summary["forecast"] = outlook.region_forecast(summary, history, as_of=as_of)
    summary["take_up_forecast"] = outlook.take_up_forecast(summary["take_up_by_month"])
    return {
        "schema": SCHEMA_VERSION,
        "region": figures.names(region) | {"code": region.code},
        "as_of": as_of.isoformat(),
        "cutoff": timezone.localtime(cutoff).isoformat(),
        "previous": {"id": previous.pk, "as_of": previous.as_of.isoformat()} if previous else None,
        "summary": summary,
        "departments": rows,
        "changes": changes,
        "restructured": restructured,
        "little_used": usage.little_used(services, usage_totals, departments),
        "take_up_by_service": usage.take_up_by_service(services, usage_totals, departments),
        "targets": target_rows,
        "next_work": maturity.next_work(services, levels, rows),
        "life_events": maturity.life_events(region, services, levels),
        "criteria": levels.method,
        "readiness": {
            "period": readiness.period.isoformat(),
            **figures.names(readiness, "source"),
            "indicators": _with_changes(readiness.indicators(), previous),
        }
        if readiness
        else None,
    }


def _with_changes(indicators: list[dict], previous: ReportSnapshot | None) -> list[dict]:
    """Each readiness figure with its change since the previous report's (None where
    either is unknown): 26 villages without internet after 30 is 4 fewer."""
    before = {
        row["key"]: row["value"]
        for row in (
            (previous.content.get("readiness") or {}).get("indicators", []) if previous else []
        )
    }
    return [
        row
        | {
            "change": round(row["value"] - before[row["key"]], 2)
            if row["value"] is not None and before.get(row["key"]) is not None
            else None
        }
        for row in indicators
    ]


def _grouped_as_now(before, services) -> dict[int, list]:
    """The previous meeting's services grouped by the department each is in now: a merged
    department is compared with its parts together, a split one without what it gave."""
    department_now = {service.pk: service.department_id for service in services}
    grouped = defaultdict(list)
    for service in before:
        grouped[department_now.get(service.pk, service.department_id)].append(service)
    return grouped


def _departments_before(before, previous: ReportSnapshot) -> set[int]:
    """Departments the previous meeting knew: listed in its report, or holding services."""
    listed = {row["id"] for row in previous.content.get("departments", [])}
    return listed | {service.department_id for service in before}


# --- state ------------------------------------------------------------------------------------


def _record_failure(snapshot: ReportSnapshot, error: Exception) -> None:
    record_failure(snapshot, error, _("The report could not be built: %(reason)s"))
