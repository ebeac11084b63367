"""`make bench`: measured figures with budgets, each against a baseline of the same run.

Every operation runs several times in a fresh process (so its peak memory is its own);
the figure is the median time and the highest peak. Lines end with "within budget" or
"over budget" so a script can read them.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from tracker import benchdata

RUNS = 3
# operation -> (what it measures, baseline operation, peak memory budget in MB)
OPERATIONS = {
    "export_xlsx": ("XLSX export of all services", "raw_xlsx", 150),
    "export_csv": ("CSV export of all services", "raw_csv", 150),
}


class Command(BaseCommand):
    help = "Measure the tracker's heavy operations against budgets (see README)."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=200_000)
        parser.add_argument("--measure", help="(internal) run one operation and print JSON")

    def handle(self, *args, services, measure=None, **options):
        if measure:
            self.stdout.write(json.dumps(_measure_here(measure)))
            return
        database = connection.settings_dict
        self.stdout.write(f"database: {connection.vendor} {database['NAME']}")
        call_command("migrate", verbosity=0)
        seconds = benchdata.ensure_services(services)
        self.stdout.write(f"data: {services} services ready ({seconds:.1f} s to generate)")
        for name, (title, baseline, budget_mb) in OPERATIONS.items():
            ours, floor = _repeat(name), _repeat(baseline)
            ratio = ours["seconds"] / floor["seconds"]
            verdict = "within budget" if ours["peak_mb"] <= budget_mb else "over budget"
            self.stdout.write(
                f"{name}: {title}, {ours['rows']} rows: median {ours['seconds']:.2f} s, "
                f"peak {ours['peak_mb']:.0f} MB (budget {budget_mb} MB); baseline {baseline} "
                f"{floor['seconds']:.2f} s, peak {floor['peak_mb']:.0f} MB; "
                f"ratio {ratio:.2f}x — {verdict}"
            )


def _repeat(operation: str) -> dict:
    runs = [_in_fresh_process(operation) for _ in range(RUNS)]
    return {
        "rows": runs[0]["rows"],
        "seconds": statistics.median(run["seconds"] for run in runs),
        "peak_mb": max(run["peak_mb"] for run in runs),
    }


def _in_fresh_process(operation: str) -> dict:
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench", "--measure", operation],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _measure_here(operation: str) -> dict:
    started = time.perf_counter()
    rows = getattr(benchdata, operation)()
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_mb": _peak_kb() / 1024}


def _peak_kb() -> int:
    """This process's peak resident memory.

    Not getrusage's ru_maxrss: on Linux that survives exec, so a child would report its
    parent's peak. VmHWM belongs to the address space the child got at exec.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: best effort
