"""The regions' report figures, as of a day: what the figures endpoints read.

Each region's figures are those of its latest finished report — or, as of a day, of the
latest one built for that day or before — found for every region at once in one query
(as reports.national does for today). A region's figures are its report's headline
columns (reports.headline); a department's are its row of the report's content, cut to
the public part here: counts by status, shares and usage, never the services lagging
behind, their blockers and targets, nor how current each department's data are.
"""

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from regions.models import Region
from reports.figures import share
from reports.headline import HEADLINE_FIELDS, verified_change
from reports.models import ReportSnapshot


def latest_reports(regions: QuerySet, *, as_of: date | None = None) -> QuerySet:
    """The latest finished report of each of ``regions`` (of ``as_of`` or before): the
    latest date, then the latest build of that date. One query, whatever the count."""
    reports = ReportSnapshot.objects.done().filter(region=OuterRef("pk"))
    if as_of is not None:
        reports = reports.filter(as_of__lte=as_of)
    newest = reports.order_by("-as_of", "-finished_at", "-pk").values("pk")[:1]
    chosen = regions.order_by().annotate(report=Subquery(newest)).values("report")
    return ReportSnapshot.objects.filter(pk__in=chosen)


def region_figures(regions: QuerySet, *, as_of: date | None = None) -> QuerySet:
    """Reports with their headline columns and region code only: never their content."""
    return (
        latest_reports(regions, as_of=as_of)
        .select_related("region")
        .only("pk", "as_of", "region__code", *HEADLINE_FIELDS)
        .order_by("region__code")
    )


def verified(report) -> int | None:
    """Electronic services whose move the digital office has accepted (or that needed no
    acceptance): the honest count, as the national page shows it."""
    if report.services_digital is None:
        return None
    return report.services_digital - (report.services_awaiting or 0)


# A department row's public part, as the report's content names it (reports.build).
DEPARTMENT_COUNTS = ("total", "paper", "partial", "electronic", "proactive", "digital")


def public_department_row(row: dict, *, region: str, as_of: str) -> dict:
    """The public part of a report's department row (and the region's code and day)."""
    digital_verified = row["digital"] - row.get("awaiting_verification", 0)
    return {
        "region": region,
        "as_of": as_of,
        "department": row["id"],
        "code": row["code"],
        "kind": row.get("kind", ""),  # reports built before kinds were recorded: none
        **{f"name_{code}": row.get(f"name_{code}", "") for code in ("kk", "ru", "en")},
        **{name: row[name] for name in DEPARTMENT_COUNTS},
        "digital_verified": digital_verified,
        "share_digital": row["share_digital"],
        "share_verified": share(digital_verified, row["total"]),
        "share_digital_change": verified_change(row),
        "usage_total": row.get("usage_total"),
        "take_up": row.get("take_up"),
        "rank": row.get("rank"),
    }


class DepartmentRows:
    """Every department row of some reports, in the reports' order (region code), read
    only for the page shown.

    Each report's ``departments_count`` column says where its rows fall, so a page loads
    the departments of the one or two reports it covers, not of every region: two
    queries (the reports' counts, then those reports' rows), whatever the regions."""

    def __init__(self, reports: QuerySet):
        self.reports = list(
            reports.order_by("region__code").values_list(
                "pk", "region__code", "as_of", "departments_count"
            )
        )

    def count(self) -> int:
        return sum(count or 0 for *_, count in self.reports)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("DepartmentRows are read a page (a slice) at a time")
        start, stop, _ = index.indices(self.count())
        spans, at = [], 0
        for pk, code, day, count in self.reports:
            count = count or 0
            if at < stop and at + count > start:
                spans.append((pk, code, day, max(start - at, 0), min(stop - at, count)))
            at += count
        if not spans:
            return []
        contents = dict(
            ReportSnapshot.objects.filter(pk__in=[span[0] for span in spans]).values_list(
                "pk", "content__departments"
            )
        )
        rows = []
        for pk, code, day, first, last in spans:
            for row in (contents.get(pk) or [])[first:last]:
                rows.append(public_department_row(row, region=code, as_of=day.isoformat()))
        return rows


def open_reported_regions(scope, query) -> QuerySet:
    """The regions whose figures the reader may see (regions.access), narrowed by the
    query's region."""
    return query.regions(scope.filter_open_reported_regions(Region.objects.all()))
