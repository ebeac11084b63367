"""When will we get there: a forecast from a report's history, simple enough to explain.

The method, for a share (0..1) reported on a series of dates:

1. The points: one per date (a date given twice keeps its last value), None values
   dropped, sorted by date.
2. The window: the last ``FORECAST_POINTS`` (6) points. Fewer than 3 give no forecast:
   a line through two points always fits exactly, so it says nothing about its spread.
3. The pace: the least-squares straight line through the window, x = days since the
   window's first date, y = share. Its slope is the pace (share per day; per 30 days for
   reading: 0.012 is "+1.2 pp a month").
4. The range: the slope ± its standard error,
   se = sqrt(sum(residual²) / (n - 2) / sum((x - mean x)²)): the slow and fast paces.
5. From where: the line's value on the last date (the fitted value, not the last
   report's figure), so that one noisy report does not move the date.
6. The date the goal is reached: last date + (goal - start) / pace days, rounded up to a
   whole day; the fast pace gives the earliest date, the slow pace the latest. A pace of
   zero or less reaches nothing (None: "not at this pace"); so does a date more than
   ``HORIZON_YEARS`` away. If the last report already meets the goal, no date is needed.
7. Against a deadline: days late (reaching date - deadline; negative is early) and the
   pace needed, (goal - last reported value) / (deadline - last date) per day. A deadline
   on or before the last date leaves no pace to ask for: the goal is overdue.

Digital take-up (share of deliveries made online, month by month) gets the same line over
its last ``TAKE_UP_MONTHS`` (12) months, with x counted in months, extended from its value
at the last month over the next months with its range, each value held within 0..1.

Pure Python: no Django, no database, no translations. The results are frozen dataclasses
of numbers and dates; ``as_dict()`` gives the JSON a report snapshot freezes.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta

FORECAST_POINTS = 6
TAKE_UP_MONTHS = 12
MIN_POINTS = 3  # two points always fit a line exactly: no measure of spread
DAYS_PER_MONTH = 30  # the reading unit of a pace: "+1.2 pp a month"
# A date further away than this is no date anyone plans for (and would overflow `date`).
HORIZON_YEARS = 100

SHARE_PLACES = 4
# A per-day pace needs more places than a share (0.0001 a day is already 0.3 pp a month);
# seven keep its per-30-days reading right to the 4 places of a share.
PACE_PLACES = 7

Points = Iterable[tuple[date, float | None]]


def per_30_days(per_day: float | None) -> float | None:
    """A per-day pace as read by people: per 30 days."""
    return None if per_day is None else round(per_day * DAYS_PER_MONTH, SHARE_PLACES)


@dataclass(frozen=True)
class Pace:
    """How fast a share moves, per day: the fitted line's slope and its range (± se)."""

    per_day: float
    slow_per_day: float
    fast_per_day: float

    @property
    def per_30_days(self) -> float:
        return per_30_days(self.per_day)

    @property
    def slow_per_30_days(self) -> float:
        return per_30_days(self.slow_per_day)

    @property
    def fast_per_30_days(self) -> float:
        return per_30_days(self.fast_per_day)


@dataclass(frozen=True)
class GoalForecast:
    """When a share reaches ``goal`` at the pace of its last reports, and against what
    deadline. Shares are rounded to 4 places, per-day paces to 7; the dates come from
    the unrounded line."""

    goal: float
    points_used: int
    first_day: date
    last_day: date
    start: float  # the fitted line's value on last_day: where the forecast starts
    last_actual: float  # the last report's own figure
    pace: float  # per day
    slow_pace: float
    fast_pace: float
    already_met: bool
    reaches_on: date | None  # None: not at this pace (or already met)
    earliest: date | None  # at the fast pace
    latest: date | None  # at the slow pace; None: not at the slow pace
    deadline: date | None
    days_late: int | None  # positive: after the deadline; negative: before it
    needed_pace: float | None  # per day, from the last report to the deadline
    overdue: bool  # the deadline is on or before the last report, the goal not met

    @property
    def paces(self) -> Pace:
        return Pace(per_day=self.pace, slow_per_day=self.slow_pace, fast_per_day=self.fast_pace)

    @property
    def needed_pace_per_30_days(self) -> float | None:
        return per_30_days(self.needed_pace)

    def as_dict(self) -> dict:
        """The fields as JSON values (dates as ISO strings), with the paces per 30 days
        beside, since a template cannot multiply."""
        data = {f.name: _json_value(getattr(self, f.name)) for f in fields(self)}
        data["pace_per_30_days"] = self.paces.per_30_days
        data["slow_pace_per_30_days"] = self.paces.slow_per_30_days
        data["fast_pace_per_30_days"] = self.paces.fast_per_30_days
        data["needed_pace_per_30_days"] = self.needed_pace_per_30_days
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "GoalForecast":
        """Back from ``as_dict()``; the per-30-days values are derived, so not read."""
        return cls(**{f.name: _from_json(f.name, data[f.name]) for f in fields(cls)})


@dataclass(frozen=True)
class SeriesPoint:
    """One month of a forecast series: the line's value and its range, within 0..1."""

    month: date  # the first day of the month
    value: float
    low: float  # at the slow pace
    high: float  # at the fast pace

    def as_dict(self) -> dict:
        return {f.name: _json_value(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict) -> "SeriesPoint":
        return cls(**{f.name: _from_json(f.name, data[f.name]) for f in fields(cls)})


def forecast_goal(
    points: Points, *, goal: float, deadline: date | None = None, window: int = FORECAST_POINTS
) -> GoalForecast | None:
    """When the share in ``points`` reaches ``goal`` at the pace of its last ``window``
    reports, and the pace the deadline asks for. None when fewer than 3 reports."""
    chosen = _clean(points, window)
    if chosen is None:
        return None
    days, shares = zip(*chosen, strict=True)
    first_day, last_day = days[0], days[-1]
    line = _fit([(day - first_day).days for day in days], shares)
    start = line.value_at((last_day - first_day).days)
    slow, fast = line.slope - line.se, line.slope + line.se
    last_actual = shares[-1]

    already_met = last_actual >= goal
    if already_met:
        reaches_on = earliest = latest = None
    else:
        gap = goal - start
        reaches_on = _reaching_day(last_day, gap, line.slope)
        earliest = _reaching_day(last_day, gap, fast)
        latest = _reaching_day(last_day, gap, slow)

    overdue = deadline is not None and deadline <= last_day and not already_met
    days_late = needed_pace = None
    if deadline is not None and not already_met:
        if reaches_on is not None:
            days_late = (reaches_on - deadline).days
        if not overdue:
            # From the last report's own figure: that is where the region really stands,
            # and what the remaining days have to make up.
            needed_pace = round((goal - last_actual) / (deadline - last_day).days, PACE_PLACES)

    return GoalForecast(
        goal=goal,
        points_used=len(chosen),
        first_day=first_day,
        last_day=last_day,
        start=round(start, SHARE_PLACES),
        last_actual=round(last_actual, SHARE_PLACES),
        pace=round(line.slope, PACE_PLACES),
        slow_pace=round(slow, PACE_PLACES),
        fast_pace=round(fast, PACE_PLACES),
        already_met=already_met,
        reaches_on=reaches_on,
        earliest=earliest,
        latest=latest,
        deadline=deadline,
        days_late=days_late,
        needed_pace=needed_pace,
        overdue=overdue,
    )


def forecast_series(
    points: Points, *, months: int = 6, window: int = TAKE_UP_MONTHS
) -> list[SeriesPoint] | None:
    """The next ``months`` months of a monthly share (take-up), from the line through its
    last ``window`` months, with the range from the slow and fast paces. Any day of a month
    stands for that month. None when fewer than 3 months."""
    by_month = ((day.replace(day=1), share) for day, share in points)
    chosen = _clean(by_month, window)
    if chosen is None:
        return None
    month_starts, shares = zip(*chosen, strict=True)
    first, last = _month_index(month_starts[0]), _month_index(month_starts[-1])
    # Counted in months, not days: deliveries are counted per calendar month, so February
    # being three days shorter is no slower month.
    line = _fit([_month_index(month) - first for month in month_starts], shares)
    start = line.value_at(last - first)
    slow, fast = line.slope - line.se, line.slope + line.se
    return [
        SeriesPoint(
            month=_month_from_index(last + ahead),
            value=_share_within_bounds(start + line.slope * ahead),
            low=_share_within_bounds(start + slow * ahead),
            high=_share_within_bounds(start + fast * ahead),
        )
        for ahead in range(1, months + 1)
    ]


@dataclass(frozen=True)
class _Line:
    intercept: float
    slope: float
    se: float  # standard error of the slope

    def value_at(self, x: float) -> float:
        return self.intercept + self.slope * x


def _clean(points: Points, window: int) -> list[tuple[date, float]] | None:
    """The last ``window`` points, one per date (the last value given wins), None values
    dropped, by date; None if fewer than MIN_POINTS remain."""
    if window < MIN_POINTS:
        raise ValueError(f"a forecast needs a window of at least {MIN_POINTS} points")
    by_day = {}
    for day, share in points:
        if share is not None:
            by_day[day] = float(share)
    chosen = sorted(by_day.items())[-window:]
    return chosen if len(chosen) >= MIN_POINTS else None


def _fit(xs: list[float], ys: tuple[float, ...]) -> _Line:
    """The least-squares line through (x, y) and its slope's standard error. Centred on
    the means, which keeps the sums small and exact for the hand-checked tests."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    residuals = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    se = math.sqrt(residuals / (n - 2) / sxx)
    return _Line(intercept=intercept, slope=slope, se=se)


def _reaching_day(last_day: date, gap: float, pace: float) -> date | None:
    """The day a line starting ``gap`` short of the goal on ``last_day`` gets there at
    ``pace`` a day; None if it does not (pace zero or less, or beyond the horizon)."""
    if pace <= 0:
        return None
    # A line already past the goal (its fitted value above it, the last report below)
    # says the next report should show it: no days to wait, not a day in the past.
    days = max(gap / pace, 0.0)
    if days > HORIZON_YEARS * 365.25:
        return None
    # Rounded up to a whole day, so the goal is met on the date given, not the day after
    # it; float dust first rounded off, else 80.00000000000004 days would become 81.
    return last_day + timedelta(days=math.ceil(round(days, 6)))


def _share_within_bounds(share: float) -> float:
    return round(min(max(share, 0.0), 1.0), SHARE_PLACES)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


_DATE_FIELDS = {"first_day", "last_day", "reaches_on", "earliest", "latest", "deadline", "month"}


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def _from_json(name: str, value):
    return date.fromisoformat(value) if name in _DATE_FIELDS and value is not None else value
