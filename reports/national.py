"""The country at a glance: every region's latest report side by side.

Read from the reports' headline columns (reports.headline), never from their content: the
latest finished report of every region is found in one query, the history of every
region's share in another, whatever the number of regions or reports. Regions without a
report yet are listed too (last, whatever the order), so a missing region is seen.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from reports.figures import share
from reports.headline import HEADLINE_FIELDS
from reports.models import ReportSnapshot
from services.models import LifeEvent


@dataclass(frozen=True)
class NationalColumn:
    key: str  # a RegionRow attribute
    label: str
    higher_is_better: bool = True


COLUMNS = [
    NationalColumn("services_total", _("Services")),
    NationalColumn("verified", _("Electronic, verified")),
    NationalColumn("claimed", _("Claimed, awaiting verification"), higher_is_better=False),
    NationalColumn("share_verified", _("Share electronic, verified")),
    NationalColumn("share_digital_change", _("Change since the previous report")),
    NationalColumn("services_overdue", _("Overdue targets"), higher_is_better=False),
    NationalColumn("share_socially_significant", _("Socially significant electronic")),
    NationalColumn("take_up", _("Digital take-up")),
    NationalColumn("share_level_two", _("At level 2 or above")),
    NationalColumn(
        "electronic_needing_visit", _("Electronic, still needing a visit"), higher_is_better=False
    ),
    NationalColumn("readiness_met", _("Readiness figures at target")),
    NationalColumn("stale_departments", _("Departments with stale data"), higher_is_better=False),
]
SORTABLE = {column.key: column for column in COLUMNS} | {
    "region": NationalColumn("region", _("Region"))
}
DEFAULT_SORT = "share_verified"  # laggards first


@dataclass
class RegionRow:
    region: object
    report: ReportSnapshot | None
    report_age_days: int | None

    def __getattr__(self, name):
        # A headline figure of the region's latest report; None without one.
        if name in HEADLINE_FIELDS:
            return getattr(self.report, name) if self.report is not None else None
        raise AttributeError(name)

    @property
    def verified(self) -> int | None:
        if self.report is None:
            return None
        return self.report.services_digital - self.report.services_awaiting

    @property
    def share_level_two(self) -> float | None:
        """Of its services, the share at level 2 or above (reports.maturity); None for a
        report without levels."""
        if self.report is None or self.report.level_two_or_above is None:
            return None
        return share(self.report.level_two_or_above, self.report.services_total)

    @property
    def claimed(self) -> int | None:
        return self.report.services_awaiting if self.report is not None else None

    @property
    def old_report(self) -> bool:
        """Built for a date too long ago to stand for the region today."""
        return (
            self.report_age_days is not None
            and self.report_age_days > settings.NATIONAL_REPORT_MAX_AGE_DAYS
        )

    @property
    def fresh(self) -> bool:
        return self.report is not None and not self.old_report and not self.stale_departments


def latest_reports(
    regions: list[Region] | None = None, *, on: date | None = None
) -> dict[int, ReportSnapshot]:
    """Each region's (of ``regions``, else every region's) latest finished report, of
    ``on`` or before when given — the latest date, then the latest build of that date —
    headline only, in one query."""
    done = ReportSnapshot.objects.done().filter(region=OuterRef("pk"))
    if on is not None:
        done = done.filter(as_of__lte=on)
    newest = done.order_by("-as_of", "-finished_at", "-pk").values("pk")[:1]
    chosen = Region.objects.all()
    if regions is not None:
        chosen = chosen.filter(pk__in=[region.pk for region in regions])
    latest = chosen.annotate(latest_report=Subquery(newest)).values("latest_report")
    reports = ReportSnapshot.objects.filter(pk__in=latest).only(
        "pk", "region_id", "as_of", "finished_at", *HEADLINE_FIELDS
    )
    return {report.region_id: report for report in reports}


def region_rows(regions, *, today: date | None = None) -> list[RegionRow]:
    today = today or timezone.localdate()
    reports = latest_reports(regions)
    rows = []
    for region in regions:
        report = reports.get(region.pk)
        age = (today - report.as_of).days if report is not None else None
        rows.append(RegionRow(region, report, age))
    return rows


def sort_rows(rows: list[RegionRow], key: str, *, descending: bool) -> list[RegionRow]:
    """By one column; regions without the figure (no report, no data) always last."""
    if key == "region":
        return sorted(rows, key=lambda row: str(row.region.name), reverse=descending)
    known = [row for row in rows if getattr(row, key) is not None]
    unknown = [row for row in rows if getattr(row, key) is None]
    known.sort(key=lambda row: (getattr(row, key), row.region.code), reverse=descending)
    return known + sorted(unknown, key=lambda row: row.region.code)


@dataclass(frozen=True)
class NationalTotals:
    regions: int
    reported: int
    services_total: int
    verified: int
    claimed: int
    share_verified: float | None
    share_digital: float | None
    services_overdue: int
    share_socially_significant: float | None
    take_up: float | None
    stale_departments: int
    old_reports: int
    share_level_two: float | None
    electronic_needing_visit: int


@dataclass(frozen=True)
class LifeEventTotal:
    """One life event across the regions' latest reports."""

    event: object  # services.models.LifeEvent
    services: int
    verified: int
    electronic_needing_visit: int
    regions: int


def life_event_totals(rows: list[RegionRow]) -> list[LifeEventTotal]:
    """Per life event, the sums of the regions' latest reports (their headline's
    life_events: no report's content is read), in the events' order. One query, for the
    events' names."""
    sums = {}
    for row in rows:
        for event in (row.report.life_events if row.report is not None else None) or []:
            found = sums.setdefault(event["code"], [0, 0, 0, 0])
            found[0] += event["services"]
            found[1] += event["verified"]
            found[2] += event.get("electronic_needing_visit") or 0
            found[3] += 1
    if not sums:
        return []
    return [
        LifeEventTotal(event, *sums[event.code])
        for event in LifeEvent.objects.filter(code__in=sums).order_by("order", "code")
    ]


def totals(rows: list[RegionRow]) -> NationalTotals:
    """The country's figures from the regions' latest reports: shares of the summed
    counts (a small region weighs as much as its services), take-up weighted by use."""
    reported = [row for row in rows if row.report is not None]

    def total(name):
        return sum(getattr(row, name) or 0 for row in reported)

    services, digital = total("services_total"), total("services_digital")
    claimed = total("services_awaiting")
    used = [row for row in reported if row.take_up is not None and row.usage_total]
    usage = sum(row.usage_total for row in used)
    return NationalTotals(
        regions=len(rows),
        reported=len(reported),
        services_total=services,
        verified=digital - claimed,
        claimed=claimed,
        share_verified=share(digital - claimed, services),
        share_digital=share(digital, services),
        services_overdue=total("services_overdue"),
        share_socially_significant=share(
            total("socially_significant_digital"), total("socially_significant")
        ),
        take_up=(
            round(sum(row.take_up * row.usage_total for row in used) / usage, 4) if usage else None
        ),
        stale_departments=total("stale_departments"),
        old_reports=sum(row.old_report for row in reported),
        share_level_two=share(
            total("level_two_or_above"),
            sum(row.services_total or 0 for row in reported if row.levels is not None),
        ),
        electronic_needing_visit=total("electronic_needing_visit"),
    )


def share_history(regions, *, since: date | None = None) -> dict[int, list[tuple[date, float]]]:
    """Every region's share electronic (verified) over its finished reports, one point a
    date (the latest build of the day wins), in one query."""
    since = since or timezone.localdate() - timedelta(days=365)
    points: dict[int, dict[date, float]] = {}
    reports = (
        ReportSnapshot.objects.done()
        .filter(region__in=regions, as_of__gte=since, share_verified__isnull=False)
        .order_by("as_of", "finished_at", "pk")
        .values_list("region_id", "as_of", "share_verified")
    )
    for region_id, day, value in reports:
        points.setdefault(region_id, {})[day] = value
    return {region_id: sorted(days.items()) for region_id, days in points.items()}
