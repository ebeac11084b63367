"""The operations `make bench` measures, each beside the baseline it is compared with.

Every operation returns a :class:`Measured`: the seconds of the measured part only (set-up
such as logging in or reading the file's bytes is left out), rows handled and queries
run. Operations that write (imports) roll back, so the data stays the same between runs.
"""

import io
import multiprocessing
import os
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import tablib
import xlsxwriter
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone
from import_export import fields, resources, widgets
from rest_framework.pagination import Cursor

from regions.models import Department, Region, User
from reports import ranking
from reports.build import build_region_report, compute_report
from reports.models import ReportSnapshot
from reports.ranking_inputs import read_inputs
from reports.tasks import regions_largest_first
from reports.usage import USAGE_MONTHS
from services import exports
from services.models import Service, ServiceChange, Status, StatusChange, end_of_day
from services.spreadsheets.importer import import_services
from tracker.api.pagination import CursorPages

BENCH_ADMIN = "bench.admin"
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 10_000))
IMPORT_REGION = "KZ-10"  # the first region of the national dataset


@dataclass
class Measured:
    seconds: float
    rows: int
    queries: int | None = None
    peak_mb: float | None = None  # of worker processes, when the work ran in others


class Timer:
    """Times a block and counts its queries (a wrapper around each execute: no query log,
    which would slow the measured code and stops counting at 9,000)."""

    def __enter__(self):
        self.queries = 0
        self._counting = connection.execute_wrapper(self._count)
        self._counting.__enter__()
        self.started = time.perf_counter()
        return self

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self._counting.__exit__(*exc)

    def result(self, rows: int) -> Measured:
        return Measured(self.seconds, rows, self.queries)


# --- reports --------------------------------------------------------------------------------


def report_build() -> Measured:
    """Every region's report as of today, as the Monday schedule builds them: one build
    per region (a task each), spread over as many worker processes as the machine has
    cores — `celery worker --concurrency N` in production. The workers are started and
    connected before the clock starts, as a running worker pool is."""
    region_ids = list(regions_largest_first().values_list("pk", flat=True))  # as queued
    workers = os.cpu_count() or 1
    _close_before_fork()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        list(pool.map(_connect, range(workers * 2)))
        started = time.perf_counter()
        builds = list(pool.map(_build_region, region_ids))
        seconds = time.perf_counter() - started
    return Measured(
        seconds,
        rows=len(region_ids),
        queries=sum(queries for queries, _ in builds),
        peak_mb=max(peak for _, peak in builds),
    )


def _close_before_fork() -> None:
    """Each forked worker opens its own connections: none may be inherited, not even the
    connection pool's idle ones (settings: DATABASE_POOL_MAX), or two processes would talk
    over one socket — as Celery's prefork workers close theirs at start."""
    for connection_ in connections.all(initialized_only=True):
        connection_.close()
        if getattr(connection_, "pool", None) is not None:
            connection_.close_pool()


def _connect(_) -> None:
    Region.objects.exists()


def _build_region(region_id: int) -> tuple[int, float]:
    """In a worker: one region's report; its queries and the worker's peak memory."""
    region = Region.objects.get(pk=region_id)
    today = timezone.localdate()
    last_week = today - timedelta(days=PREVIOUS_MEETING_DAYS)
    # compared with last week's meeting, as every build after a region's first is
    previous = ReportSnapshot(region=region, as_of=last_week, cutoff=end_of_day(last_week))
    with Timer() as timer:
        compute_report(region, as_of=today, previous=previous)
    return timer.queries, peak_mb()


# The floor for the reports: every department's figures — services by status as of a
# moment and as of the previous meeting (each service's latest history row before each,
# then a GROUP BY) and deliveries online and in all over the twelve months — in one
# statement over the same tables, nothing else.
DEPARTMENT_TOTALS_SQL = """
    WITH latest AS (
        SELECT DISTINCT ON (service_id) service_id, department_id, status
        FROM services_servicechange
        WHERE changed_at < %(moment)s
        ORDER BY service_id, changed_at DESC, id DESC
    ),
    before AS (
        SELECT DISTINCT ON (service_id) service_id, department_id, status
        FROM services_servicechange
        WHERE changed_at < %(previous)s
        ORDER BY service_id, changed_at DESC, id DESC
    ),
    statuses AS (
        SELECT l.department_id,
               count(*) AS total,
               count(*) FILTER (WHERE l.status IN ('electronic', 'proactive')) AS digital,
               count(*) FILTER (WHERE l.status = 'partial') AS partial,
               count(*) FILTER (WHERE l.status = 'paper') AS paper
        FROM latest l
        GROUP BY l.department_id
    ),
    statuses_before AS (
        SELECT b.department_id, count(*) AS total_before,
               count(*) FILTER (WHERE b.status IN ('electronic', 'proactive')) AS digital_before
        FROM before b
        GROUP BY b.department_id
    ),
    deliveries AS (
        SELECT s.department_id,
               sum(u.count) FILTER (
                   WHERE u.channel IN ('egov', 'mgov', 'video', 'elicense')
               ) AS online,
               sum(u.count) AS delivered
        FROM services_usage u JOIN services_service s ON s.id = u.service_id
        WHERE u.month >= %(first_month)s AND u.month <= %(day)s
        GROUP BY s.department_id
    )
    SELECT * FROM statuses
    LEFT JOIN statuses_before USING (department_id)
    LEFT JOIN deliveries USING (department_id)
"""

LATEST_STATUS_SQL = """
    SELECT DISTINCT ON (service_id) service_id, status
    FROM services_servicechange
    WHERE changed_at < %(moment)s
    ORDER BY service_id, changed_at DESC, id DESC
"""

PREVIOUS_MEETING_DAYS = 7  # the reports compare with last week's


def _raw_sql(sql: str) -> Measured:
    day = timezone.localdate()
    months = day.year * 12 + day.month - 1 - (USAGE_MONTHS - 1)  # as the reports count
    first_month = date(months // 12, months % 12 + 1, 1)
    parameters = {
        "moment": end_of_day(day),
        "previous": end_of_day(day - timedelta(days=PREVIOUS_MEETING_DAYS)),
        "day": day,
        "first_month": first_month,
    }
    with Timer() as timer, connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    return timer.result(len(rows))


def report_floor() -> Measured:
    return _raw_sql(DEPARTMENT_TOTALS_SQL)


def as_of() -> Measured:
    """Every service's status at the end of today, through the queryset reports use."""
    with Timer() as timer:
        rows = list(  # in service order, as the baseline gives them
            ServiceChange.objects.standing_at(end_of_day(timezone.localdate()))
            .order_by("service_id")
            .values_list("service_id", "status")
        )
    return timer.result(len(rows))


def as_of_floor() -> Measured:
    return _raw_sql(LATEST_STATUS_SQL)


# --- the national view ----------------------------------------------------------------------


def national_build() -> Measured:
    """The national ranking of today from every region's latest report, as its task
    computes it (its method, the regions with their reports' headlines, the previous
    ranking), without the write of the frozen snapshot."""
    today = timezone.localdate()
    with Timer() as timer:
        content = ranking.compute_ranking(read_inputs(today), as_of=today)
    return timer.result(len(content["regions"]))


# The floor for the ranking: what it reads, each in the one statement that reads it
# fastest — the method, every region with its latest finished report's figures, the
# previous ranking's ranks.
RANKING_READS_SQL = [
    "SELECT key, weight, floor, goal FROM reports_rankingindicator WHERE weight > 0",
    """
    SELECT DISTINCT ON (r.id) r.id, r.code, r.name_kk, r.name_ru, r.name_en, s.id, s.as_of,
           s.share_verified, s.share_socially_significant, s.take_up, s.targets_on_time,
           s.targets_count, s.departments_count, s.stale_departments, s.readiness_met,
           s.readiness_known
    FROM regions_region r
    LEFT JOIN reports_reportsnapshot s
           ON s.region_id = r.id AND s.state = 'done' AND s.as_of <= %(day)s
    ORDER BY r.id, s.as_of DESC, s.finished_at DESC, s.id DESC
    """,
    """
    SELECT id, as_of, content -> 'regions' FROM reports_nationalsnapshot
    WHERE state = 'done' AND as_of < %(day)s ORDER BY as_of DESC LIMIT 1
    """,
]


def national_floor() -> Measured:
    parameters = {"day": timezone.localdate()}
    rows = 0
    with Timer() as timer, connection.cursor() as cursor:
        for sql in RANKING_READS_SQL:
            cursor.execute(sql, parameters)
            rows += len(cursor.fetchall())
    return timer.result(rows)


def national_page() -> Measured:
    """The national analyst's page: every region side by side, its totals and chart."""
    return _admin_page("/reports/national/").result(Region.objects.count())


def api_page() -> Measured:
    """An anonymous reader's page of the open-data API's services in the middle of them
    all (at national scale, the 250th of 500), reached by the cursor a harvester following
    ``next`` would hold there; every region published for the measurement; median of
    several loads."""
    client = Client(SERVER_NAME="localhost")
    register = Service.objects.in_register().order_by("pk").values_list("pk", flat=True)
    middle = register[max(0, register.count() // 2 - 1)]  # the last of the page before
    pages = CursorPages()
    pages.base_url = "/api/v1/services/"
    path = pages.encode_cursor(Cursor(offset=0, reverse=False, position=str(middle)))
    assert client.get(path).status_code == 200
    loads = []
    for _ in range(PAGE_LOADS):
        with Timer() as timer:
            response = client.get(path)
            response.content  # noqa: B018 - rendered in full
        assert response.status_code == 200
        loads.append(timer)
    rows = len(response.json()["results"])
    return sorted(loads, key=lambda load: load.seconds)[PAGE_LOADS // 2].result(rows)


def ensure_region_reports(say) -> None:
    """A finished report of today for every region, as the Monday schedule leaves them
    (built once; the national measurements read them)."""
    today = timezone.localdate()
    missing = (
        Region.objects.filter(departments__isnull=False)
        .exclude(report_snapshots__state="done", report_snapshots__as_of=today)
        .distinct()
    )
    for region in missing:
        say(f"data: building {region.code}'s report of today")
        build_region_report(region, as_of=today)
    # every region open data, for the API's measurement; the planner told (as autovacuum
    # would tell it soon after, in production)
    if Region.objects.filter(published_on__isnull=True).update(published_on=today):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE regions_region")


# --- admin ----------------------------------------------------------------------------------


PAGE_LOADS = 7  # a page takes a fraction of a second: several loads, the median one


def _admin_page(path: str) -> Timer:
    """The median of several loads of an admin page, as one signed-in user."""
    client = Client(SERVER_NAME="localhost")  # a host ALLOWED_HOSTS accepts
    client.force_login(User.objects.get(username=BENCH_ADMIN))
    assert client.get(path).status_code == 200  # warm: templates compiled, session read
    loads = []
    for _ in range(PAGE_LOADS):
        with Timer() as timer:
            response = client.get(path)
            response.content  # noqa: B018 - rendered in full
        assert response.status_code == 200
        loads.append(timer)
    return sorted(loads, key=lambda load: load.seconds)[PAGE_LOADS // 2]


def changelist() -> Measured:
    """The superuser's service list: all 50,000 services, first page."""
    return _admin_page("/admin/services/service/").result(Service.objects.count())


def service_page() -> Measured:
    """A service's admin page, the one with the longest history."""
    service = Service.objects.order_by("-version", "pk").first()
    return _admin_page(f"/admin/services/service/{service.pk}/change/").result(service.version)


def changelist_floor() -> Measured:
    """The admin's own floor: the 20-row list of regions, same theme, same user."""
    return _admin_page("/admin/regions/region/").result(Region.objects.count())


# --- exports --------------------------------------------------------------------------------


def export_xlsx() -> Measured:
    with tempfile.TemporaryDirectory() as folder, Timer() as timer:
        rows = exports.write_xlsx(Service.objects.all(), os.path.join(folder, "s.xlsx")).rows
    return timer.result(rows)


def raw_xlsx() -> Measured:
    """The same columns straight from the database into xlsxwriter: the floor."""
    columns = [source for column in exports.COLUMNS for source in column.sources]
    with tempfile.TemporaryDirectory() as folder, Timer() as timer:
        workbook = xlsxwriter.Workbook(os.path.join(folder, "s.xlsx"), {"constant_memory": True})
        sheet = workbook.add_worksheet()
        count = 0
        query = Service.objects.order_by("pk").values_list(*columns)
        for count, row in enumerate(query.iterator(chunk_size=2000), start=1):
            sheet.write_row(count, 0, [value if value is not None else "" for value in row])
        workbook.close()
    return timer.result(count)


# --- imports --------------------------------------------------------------------------------


def _import_rows() -> list[list]:
    """10,000 new services for one region's departments, as an office would list them."""
    departments = list(Department.objects.filter(region__code=IMPORT_REGION).order_by("pk"))
    statuses = Status.values
    return [
        [
            departments[n % len(departments)].code,
            f"Жаңа мемлекеттік қызмет №{n}",
            f"Новая государственная услуга №{n}",
            f"New public service #{n}",
            statuses[n % len(statuses)],
        ]
        for n in range(IMPORT_ROWS)
    ]


def _xlsx(header: list[str], rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()
    return buffer.getvalue()


class _RolledBack(Exception):
    pass


def import_with_history() -> Measured:
    """Our import: the office file read, every row checked, each new service created
    through services.actions with its history row naming the file."""
    data = _xlsx(["Басқарма", "Атауы (қазақша)", "Наименование", "Name", "Статус"], _import_rows())
    region = Region.objects.get(code=IMPORT_REGION)
    department = region.departments.order_by("pk").first()
    user = User.objects.get(username=BENCH_ADMIN)
    try:
        with transaction.atomic():
            with Timer() as timer:
                outcome = import_services(data, "services.xlsx", department=department, user=user)
            assert outcome.ok and outcome.created == IMPORT_ROWS, outcome.problems
            raise _RolledBack  # leave the data as it was for the next run
    except _RolledBack:
        _clear_rolled_back_rows()
    return timer.result(outcome.created)


class CachedDepartments(widgets.ForeignKeyWidget):
    """The departments read once, not one query per row: the baseline at its best."""

    def __init__(self):
        super().__init__(Department)
        self.by_pk = {}

    def clean(self, value, row=None, **kwargs):
        if not self.by_pk:
            self.by_pk = {str(d.pk): d for d in Department.objects.all()}
        return self.by_pk[str(value)]


class BulkServiceResource(resources.ModelResource):
    """django-import-export at its fastest: bulk mode, no history, no checks of ours."""

    department = fields.Field(
        attribute="department", column_name="department", widget=CachedDepartments()
    )

    class Meta:
        model = Service
        fields = ("department", "name_kk", "name_ru", "name_en", "status")
        import_id_fields = ()
        use_bulk = True
        batch_size = 1000
        skip_diff = True


def import_bulk_floor() -> Measured:
    codes = {d.code: d.pk for d in Department.objects.filter(region__code=IMPORT_REGION)}
    rows = [[codes[row[0]], *row[1:]] for row in _import_rows()]
    data = _xlsx(["department", "name_kk", "name_ru", "name_en", "status"], rows)
    try:
        with transaction.atomic():
            with Timer() as timer:
                dataset = tablib.Dataset().load(data, format="xlsx")
                result = BulkServiceResource().import_data(dataset, raise_errors=True)
            assert result.totals["new"] == IMPORT_ROWS
            raise _RolledBack
    except _RolledBack:
        _clear_rolled_back_rows()
    return timer.result(IMPORT_ROWS)


def _clear_rolled_back_rows() -> None:
    """A rolled-back import leaves its 10,000 services and their history behind as dead
    rows, which autovacuum clears in its own time — if it is on: a bench machine may run
    without it. Left there, every run would add 10,000 more, and the reports and pages
    measured after would read past them (every region's report took twice as long after
    forty runs). Cleared as autovacuum would, after the clock has stopped."""
    tables = [model._meta.db_table for model in (Service, ServiceChange, StatusChange)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(tables)}")


# --- memory ---------------------------------------------------------------------------------


def start_peak_here() -> float:
    """Connect, then restart this process's peak memory from what it holds now (Linux:
    clear_refs' 5 resets VmHWM); what it holds now, in MB. Elsewhere the peak is the
    process's whole life, so what the work adds reads high, never low."""
    Region.objects.exists()
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return 0.0
    return (_status_kb("VmRSS") or 0) / 1024


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    Not getrusage's ru_maxrss where Linux tells VmHWM: ru_maxrss survives exec, so a
    child would report its parent's peak. VmHWM belongs to the address space the child
    got at exec.
    """
    peak_kb = _status_kb("VmHWM")
    if peak_kb is None:  # not Linux: best effort
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak_kb / 1024


def _status_kb(field: str) -> int | None:
    """A figure of /proc/self/status in kB (VmRSS, VmHWM); None where there is none."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None
