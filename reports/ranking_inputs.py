"""What a national ranking reads: the method, every region with its latest report's
headline, and the previous ranking's ranks — three statements whatever the number of
regions or reports.

Written as SQL on one cursor, not through the ORM: a ranking reads about twenty rows, and
for so few the ORM's building of a correlated subquery and of model instances cost three
times the reads themselves (`make bench`, national_build, holds the build to twice these
reads). The SQL is plain — a window function picks each region's latest report — and
runs the same on PostgreSQL and SQLite.
"""

import json
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils.dateparse import parse_date

from regions.models import Region
from reports.models import NationalSnapshot, RankingIndicator, ReportSnapshot

DONE = NationalSnapshot.State.DONE.value  # the same value for reports and rankings


@dataclass(frozen=True)
class Headline:
    """The figures of a region's report the indicators are computed from."""

    id: int
    as_of: date
    share_verified: float | None
    share_socially_significant: float | None
    take_up: float | None
    targets_on_time: int | None
    targets_count: int | None
    departments_count: int | None
    stale_departments: int | None
    readiness_met: int | None
    readiness_known: int | None


HEADLINE_COLUMNS = [name for name in Headline.__dataclass_fields__ if name not in ("id", "as_of")]


@dataclass(frozen=True)
class RegionInput:
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    report: Headline | None  # None: no finished report of that date or before


@dataclass(frozen=True)
class PreviousRanking:
    id: int
    as_of: date
    ranks: dict[str, int]  # region code → its rank then


@dataclass(frozen=True)
class RankingInputs:
    method: list[dict]
    regions: list[RegionInput]  # in code order
    previous: PreviousRanking | None


METHOD_SQL = f"""
    SELECT key, weight, floor, goal FROM {RankingIndicator._meta.db_table}
    WHERE weight > 0 ORDER BY weight DESC, key
"""

# Each region's latest finished report of the date or before — the latest date, then the
# latest build of that date — and the regions without one (LEFT JOIN), in code order.
REGIONS_SQL = f"""
    SELECT r.code, r.name_kk, r.name_ru, r.name_en,
           s.id, s.as_of, {", ".join(f"s.{column}" for column in HEADLINE_COLUMNS)}
    FROM {Region._meta.db_table} r
    LEFT JOIN (
        SELECT *, ROW_NUMBER() OVER (
            PARTITION BY region_id ORDER BY as_of DESC, finished_at DESC, id DESC
        ) AS newest
        FROM {ReportSnapshot._meta.db_table}
        WHERE state = %(done)s AND as_of <= %(day)s
    ) s ON s.region_id = r.id AND s.newest = 1
    ORDER BY r.code
"""

# The latest finished ranking of an earlier date: what the rank changes compare with.
PREVIOUS_SQL = f"""
    SELECT id, as_of, content FROM {NationalSnapshot._meta.db_table}
    WHERE state = %(done)s AND as_of < %(day)s
    ORDER BY as_of DESC, finished_at DESC, id DESC
    LIMIT 1
"""


def read_inputs(as_of: date) -> RankingInputs:
    parameters = {"done": DONE, "day": as_of}
    with connection.cursor() as cursor:
        cursor.execute(METHOD_SQL)
        method = [_indicator(*row) for row in cursor.fetchall()]
        cursor.execute(REGIONS_SQL, parameters)
        regions = [_region(row) for row in cursor.fetchall()]
        cursor.execute(PREVIOUS_SQL, parameters)
        previous = cursor.fetchone()
    return RankingInputs(method, regions, _previous(*previous) if previous else None)


def _indicator(key, weight, floor, goal) -> dict:
    # floor and goal are kept in percent, frozen as fractions (reports.ranking)
    return {"key": key, "weight": weight, "floor": float(floor) / 100, "goal": float(goal) / 100}


def _region(row) -> RegionInput:
    code, name_kk, name_ru, name_en, report_id, as_of, *figures = row
    report = None
    if report_id is not None:
        report = Headline(report_id, _day(as_of), *figures)
    return RegionInput(code, name_kk, name_ru, name_en, report)


def _previous(snapshot_id, as_of, content) -> PreviousRanking:
    if isinstance(content, str):  # jsonb and SQLite's JSON both arrive as text
        content = json.loads(content)
    ranks = {row["code"]: row["rank"] for row in content.get("regions", [])}
    return PreviousRanking(snapshot_id, _day(as_of), ranks)


def _day(value) -> date:
    return value if isinstance(value, date) else parse_date(value)
