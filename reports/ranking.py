"""The national ranking, computed from each region's latest report as of a date.

The method is data (RankingIndicator rows, set by the national level in the admin): for
each indicator a weight, the value worth 0 points and the value worth 100. A region's
points on an indicator grow in proportion between the two; its score is the weighted mean
of its points (0..100, one decimal); a region without a figure (no report, no targets,
no usage data) gets 0 points on it, marked "no data" — an indicator nobody reports on
rewards nobody. Equal scores share a rank (1, 2, 2, 4). The values come from the reports'
headline columns (reports.headline), so a ranking of the whole country reads one row per
region (reports.ranking_inputs).

``content`` of a NationalSnapshot::

    as_of     "YYYY-MM-DD"
    previous  {id, as_of} or null
    method    [{key, weight, floor, goal}]      floor and goal as fractions (0..1)
    regions   [{code, name_kk, name_ru, name_en, report: {id, as_of} or null,
                values: {key: fraction or null}, points: {key: 0..100},
                score, rank, rank_change (up is positive) or null}]  best first
"""

from datetime import date

from reports.figures import names, share
from reports.models import RankingIndicator
from reports.models.national import Indicator
from reports.ranking_inputs import RankingInputs

SCHEMA_VERSION = 1

# The first method, which the migration also writes (its own copy, as migrations keep):
# what the meeting asks first — services electronic, verified — weighs most.
FIRST_METHOD = [
    (Indicator.SHARE_VERIFIED, 40, 0, 100),
    (Indicator.SOCIALLY_SIGNIFICANT, 20, 0, 100),
    (Indicator.TAKE_UP, 15, 0, 80),
    (Indicator.TARGETS_ON_TIME, 10, 0, 100),
    (Indicator.DATA_FRESHNESS, 10, 0, 100),
    (Indicator.READINESS, 5, 0, 100),
]


def ensure_a_method() -> None:
    """The first method, where there is no method at all (a database set up without the
    migration's rows, e.g. after a flush): a ranking of nothing would rank every region
    first."""
    if not RankingIndicator.objects.exists():
        RankingIndicator.objects.bulk_create(
            RankingIndicator(key=key, weight=weight, floor=floor, goal=goal)
            for key, weight, floor, goal in FIRST_METHOD
        )


def value_of(key: str, report) -> float | None:
    """One indicator's value for a region, from its report's headline; None: no data."""
    if report is None:
        return None
    if key == Indicator.SHARE_VERIFIED:
        return report.share_verified
    if key == Indicator.SOCIALLY_SIGNIFICANT:
        return report.share_socially_significant
    if key == Indicator.TAKE_UP:
        return report.take_up
    if key == Indicator.TARGETS_ON_TIME:
        return share(report.targets_on_time or 0, report.targets_count or 0)
    if key == Indicator.DATA_FRESHNESS:
        departments = report.departments_count or 0
        return share(departments - (report.stale_departments or 0), departments)
    if key == Indicator.READINESS:
        return share(report.readiness_met or 0, report.readiness_known or 0)
    raise ValueError(f"unknown indicator {key!r}")


def points(value: float | None, floor: float, goal: float) -> float:
    if value is None:
        return 0.0
    return round(max(0.0, min(1.0, (value - floor) / (goal - floor))) * 100, 1)


def score(region_points: dict[str, float], method: list[dict]) -> float:
    weights = sum(indicator["weight"] for indicator in method)
    if not weights:
        return 0.0
    total = sum(region_points[item["key"]] * item["weight"] for item in method)
    return round(total / weights, 1)


def ranked(rows: list[dict]) -> list[dict]:
    """Best first; equal scores share a rank, the next rank skips (1, 2, 2, 4)."""
    rows.sort(key=lambda row: (-row["score"], row["code"]))
    for position, row in enumerate(rows, start=1):
        tied = position > 1 and row["score"] == rows[position - 2]["score"]
        row["rank"] = rows[position - 2]["rank"] if tied else position
    return rows


def compute_ranking(inputs: RankingInputs, *, as_of: date) -> dict:
    """The content of a national snapshot (see the module's docstring)."""
    method, previous = inputs.method, inputs.previous
    earlier = previous.ranks if previous else {}
    rows = []
    for region in inputs.regions:
        report = region.report
        values = {item["key"]: value_of(item["key"], report) for item in method}
        region_points = {
            item["key"]: points(values[item["key"]], item["floor"], item["goal"]) for item in method
        }
        rows.append(
            names(region)
            | {
                "code": region.code,
                "report": {"id": report.id, "as_of": report.as_of.isoformat()} if report else None,
                "values": values,
                "points": region_points,
                "score": score(region_points, method),
            }
        )
    for row in ranked(rows):
        before = earlier.get(row["code"])
        row["rank_change"] = before - row["rank"] if before is not None else None
    return {
        "schema": SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "previous": {"id": previous.id, "as_of": previous.as_of.isoformat()} if previous else None,
        "method": method,
        "regions": rows,
    }
