"""When will we get there: each target's and the region's forecast, for a report build.

The arithmetic is ``reports.forecast``'s; this module gives it the report history — the
region's earlier finished reports (their headline columns) and its departments' figures
in them (DepartmentFigures), two queries whatever the number of reports — plus the
figures of the report being built, and freezes the answers as JSON in the content.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from reports import forecast
from reports.models import DepartmentFigures, ReportSnapshot

REGION_GOAL = 1.0  # the region's share: every service electronic


@dataclass
class History:
    """Shares of the region's earlier finished reports, oldest first (the latest build of
    a date last, so it wins: reports.forecast keeps a date's last value)."""

    share_verified: list[tuple[date, float | None]] = field(default_factory=list)
    share_socially_significant: list[tuple[date, float | None]] = field(default_factory=list)
    departments: dict[int, list[tuple[date, float | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def history_of(region, *, before: date, department_ids=()) -> History:
    """The region's finished reports of dates before ``before`` (and, for the departments
    named, their shares in them). The window of a forecast is its last few reports, so
    only the latest ones are read."""
    history = History()
    earlier = ReportSnapshot.objects.done().filter(region=region, as_of__lt=before)
    window = forecast.FORECAST_POINTS * 3  # a few builds a date at most: enough dates
    reports = list(
        earlier.order_by("-as_of", "-finished_at", "-pk").values_list(
            "pk", "as_of", "share_verified", "share_socially_significant"
        )[:window]
    )
    for _pk, day, verified, social in reversed(reports):
        history.share_verified.append((day, verified))
        history.share_socially_significant.append((day, social))
    if department_ids and reports:
        rows = (
            DepartmentFigures.objects.filter(
                snapshot_id__in=[pk for pk, *_rest in reports], department_id__in=department_ids
            )
            .order_by("snapshot__as_of", "snapshot__finished_at", "snapshot_id")
            .values_list("department_id", "snapshot__as_of", "share_verified")
        )
        for department_id, day, share in rows:
            history.departments[department_id].append((day, share))
    return history


def target_forecast(target: dict, history: History, *, as_of: date) -> dict | None:
    """A target's forecast (its ``actual`` is today's point); None without the history a
    forecast needs (reports.forecast: three reports) or for a department's socially
    significant services, whose share earlier reports do not keep."""
    if target["region_wide"]:
        social = target["scope"] == "social"
        series = history.share_socially_significant if social else history.share_verified
    elif target["scope"] == "all":
        series = history.departments.get(target["department_id"], [])
    else:
        return None
    return _goal(
        series, (as_of, target["actual"]), goal=target["goal"], deadline=target["deadline"]
    )


def region_forecast(summary: dict, history: History, *, as_of: date) -> dict | None:
    """When every service of the region would be electronic (verified) at its pace."""
    return _goal(history.share_verified, (as_of, summary["share_verified"]), goal=REGION_GOAL)


def take_up_forecast(take_up_by_month: list) -> list[dict] | None:
    """The next months of digital take-up, from its months so far."""
    points = [(date.fromisoformat(month), share) for month, share in take_up_by_month]
    result = forecast.forecast_series(points)
    return [point.as_dict() for point in result] if result else None


def _goal(series, today, *, goal: float, deadline: str | None = None) -> dict | None:
    result = forecast.forecast_goal(
        [*series, today],
        goal=goal,
        deadline=date.fromisoformat(deadline) if deadline else None,
    )
    return result.as_dict() if result else None
