"""`make bench`: measured figures with budgets, each against a baseline of the same run.

Every operation runs several times, each in a fresh process (so its peak memory is its
own) where it is run once to warm up and once measured; the figure is the median time and
the highest peak. An operation and its baseline run in turns, so both medians come from
the same minutes of the machine. Lines end with "within budget" or "over budget" so a
script can read them.
"""

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from regions.models import Department, User
from services.models import Service
from tracker.devtools import benchdata, dataset

RUNS = 5  # the median of five: one slow minute of a shared machine moves it little


@dataclass(frozen=True)
class Budget:
    """What one operation must hold; None: not budgeted."""

    ratio: float | None = None  # its median ÷ the baseline's
    seconds: float | None = None
    peak_mb: float | None = None
    above_mb: float | None = None  # peak memory above the process's own before the work
    queries: int | None = None


# operation -> (what it measures, the baseline operation, its budget)
OPERATIONS = {
    "report_build": (
        "every region's report (national)",
        "report_floor",
        Budget(ratio=1.5, queries=300),
    ),
    "as_of": (
        "status of every service as of today",
        "as_of_floor",
        Budget(ratio=1.2, queries=1),
    ),
    "changelist": (
        "admin service list, 50,000 services",
        "changelist_floor",
        Budget(seconds=0.15, queries=10),
    ),
    "national_page": (
        "the national page, every region side by side",
        "changelist_floor",
        Budget(seconds=0.15, queries=10),
    ),
    "national_build": (
        "the national ranking from every region's latest report",
        "national_floor",
        Budget(ratio=2),
    ),
    "api_page": (
        "open-data API, a page of services in the middle of them all, anonymous",
        "changelist_floor",
        Budget(seconds=0.15, queries=10),
    ),
    "service_page": (
        "a service's admin page, the longest history",
        "changelist_floor",
        Budget(seconds=0.3, queries=40),
    ),
    "export_xlsx": (
        "XLSX export of every service",
        "raw_xlsx",
        Budget(ratio=1.2, above_mb=40),
    ),
    "import_with_history": (
        "import of 10,000 rows with history",
        "import_bulk_floor",
        Budget(ratio=1.5),
    ),
}


# How each operation should grow with the country (make bench-growth): "flat" ones keep
# their time whatever the size, "linear" ones grow no faster than the data they read.
GROWTH = {
    "changelist": "flat",
    "api_page": "flat",
    "national_page": "flat",
    "service_page": "flat",
    "national_build": "flat",
    "report_build": "linear",
    "as_of": "linear",
    "export_xlsx": "linear",
    "import_with_history": "linear",
}
EXPONENT_BOUNDS = {"flat": 0.1, "linear": 1.1}
GROWTH_FACTORS = (1, 3, 10)


class Command(BaseCommand):
    help = "Measure the tracker's heavy operations at national scale against their budgets."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", choices=list(OPERATIONS), help="a subset")
        parser.add_argument("--measure", help="(internal) run one operation and print JSON")
        parser.add_argument(
            "--growth",
            nargs="*",
            type=int,
            metavar="FACTOR",
            help="measure at each size (the national dataset times each factor; default "
            "1 3 10), each in a database of its own, and print the growth exponents",
        )
        parser.add_argument(
            "--prepare", type=int, metavar="FACTOR", help="(internal) make this size's data"
        )

    def handle(self, *args, only=None, measure=None, growth=None, prepare=None, **options):
        translation.activate("en")  # operator output, like Django's own commands
        if measure:
            self.stdout.write(json.dumps(_measure_here(measure)))
            return
        if connection.vendor != "postgresql":
            raise CommandError("make bench measures on PostgreSQL; set DATABASE_URL to one.")
        if prepare:
            self._ensure_data(prepare)
            return
        if growth is not None:
            from tracker.devtools.growth import measure_growth

            measure_growth(self, growth or list(GROWTH_FACTORS), only or list(GROWTH))
            return
        self.stdout.write(
            f"database: PostgreSQL {connection.settings_dict['NAME']} "
            f"({connection.cursor().connection.info.server_version // 10000}); "
            f"median of {RUNS} runs, each in a fresh process"
        )
        self._ensure_data()
        verdicts = []
        for name in only or OPERATIONS:
            title, baseline, budget = OPERATIONS[name]
            ours, floor = _repeat_beside(name, baseline)
            line, within = _line(name, title, baseline, budget, ours, floor)
            verdicts.append(within)
            self.stdout.write(line)
        self.stdout.write(
            f"{sum(verdicts)} of {len(verdicts)} within budget"
            + ("" if all(verdicts) else " — see the lines marked over budget")
        )

    def _ensure_data(self, factor: int = 1):
        call_command("migrate", verbosity=0)
        wanted = dataset.SCALES["national"].times(factor)
        if Service.objects.count() != wanted.services or Department.objects.count() != (
            wanted.regions * wanted.departments_per_region
        ):
            self.stdout.write(
                f"data: generating the national dataset ×{factor} (about {factor} minutes)"
            )
            call_command("flush", interactive=False, verbosity=0)
            report = dataset.generate(wanted, say=lambda line: None)
            self.stdout.write(
                f"data: {report.services} services, {report.status_changes} status changes, "
                f"{report.usage_rows} usage rows; the database takes {dataset.database_size()}"
            )
        else:
            self.stdout.write(f"data: the national dataset ×{factor} ({wanted.services} services)")
        if not User.objects.filter(username=benchdata.BENCH_ADMIN).exists():
            User.objects.create_superuser(benchdata.BENCH_ADMIN, password=None)
        benchdata.ensure_region_reports(say=self.stdout.write)


def _line(name, title, baseline, budget: Budget, ours: dict, floor: dict) -> tuple[str, bool]:
    ratio = ours["seconds"] / floor["seconds"]
    checks = []
    if budget.ratio is not None:
        checks.append((f"ratio ≤ {budget.ratio:g}x", ratio <= budget.ratio))
    if budget.seconds is not None:
        checks.append(
            (f"median ≤ {budget.seconds * 1000:.0f} ms", ours["seconds"] <= budget.seconds)
        )
    if budget.peak_mb is not None:
        checks.append((f"peak ≤ {budget.peak_mb:g} MB", ours["peak_mb"] <= budget.peak_mb))
    if budget.above_mb is not None:
        checks.append(
            (f"≤ {budget.above_mb:g} MB above its own", ours["above_mb"] <= budget.above_mb)
        )
    if budget.queries is not None:
        checks.append((f"queries ≤ {budget.queries}", ours["queries"] <= budget.queries))
    within = all(ok for _, ok in checks)
    line = (
        f"{name}: {title}, {ours['rows']} rows: median {_time(ours['seconds'])}, "
        f"peak {ours['peak_mb']:.0f} MB ({ours['above_mb']:.0f} above its own), "
        f"{ours['queries']} queries; "
        f"baseline {baseline}: {_time(floor['seconds'])}, peak {floor['peak_mb']:.0f} MB, "
        f"{floor['queries']} queries; ratio {ratio:.2f}x; "
        f"budget {', '.join(text for text, _ in checks)} — "
        f"{'within budget' if within else 'over budget'}"
    )
    return line, within


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _repeat_beside(operation: str, baseline: str) -> tuple[dict, dict]:
    """The operation and its baseline in turns, run for run: a shared virtual machine has
    slow minutes, and a ratio of two medians taken minutes apart would read them as the
    operation's. Taken in turns, both medians come from the same minutes."""
    ours, floor = [], []
    for _ in range(RUNS):
        ours.append(_in_fresh_process(operation))
        floor.append(_in_fresh_process(baseline))
    return _summary(ours), _summary(floor)


def _summary(runs: list[dict]) -> dict:
    return {
        "rows": runs[0]["rows"],
        "seconds": statistics.median(run["seconds"] for run in runs),
        "peak_mb": max(run["peak_mb"] for run in runs),
        "above_mb": max(run["above_mb"] for run in runs),
        "queries": runs[0]["queries"],
    }


def _in_fresh_process(operation: str, env: dict | None = None) -> dict:
    return json.loads(run_command(["--measure", operation], env).strip().splitlines()[-1])


def run_command(arguments: list[str], env: dict | None = None) -> str:
    """``manage.py bench`` in a process of its own (``env``: another database); its output."""
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench", *arguments],
        capture_output=True,
        text=True,
        env=env or os.environ.copy(),
    )
    if result.returncode:
        raise CommandError(f"bench {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def _measure_here(operation: str) -> dict:
    # As in production: with DEBUG on, Django logs every query, which costs the
    # query-heavy operations (imports) more than their baselines.
    settings.DEBUG = False
    # The process's own memory, Django loaded and connected, before any of the work: what
    # the work adds is its peak above this.
    own_mb = benchdata.start_peak_here()
    # Once to warm up (connection, caches, plans, templates), then once measured: the
    # figures are the steady state a working server sees, for ours and the baseline alike.
    getattr(benchdata, operation)()
    measured = getattr(benchdata, operation)()
    peak = max(benchdata.peak_mb(), measured.peak_mb or 0)
    return {
        "rows": measured.rows,
        "seconds": measured.seconds,
        "queries": measured.queries,
        "peak_mb": peak,
        "above_mb": peak - own_mb,
    }
