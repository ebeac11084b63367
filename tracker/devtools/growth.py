"""`make bench-growth`: each operation at 1×, 3× and 10× the national dataset, and how its
cost grows between sizes.

Each size lives in a PostgreSQL database of its own (tracker_bench, tracker_bench_x3,
tracker_bench_x10 beside it), generated once and kept, since the tenfold one takes a
while. The growth exponent between two sizes is log(time ratio) ÷ log(size ratio): 0 for
an operation whose time does not move with the country, 1 for one that grows as the data
does, 2 for a quadratic one. A flat operation (a page) must stay at or under 0.1, a linear
one (a report, an export) at or under 1.1; a step of 5 ms or less is noise either way.
"""

import itertools
import math
import os

from django.db import connection

from tracker.devtools.management.commands import bench


def database_url(factor: int) -> str:
    """This size's database, on the server the bench's own database is on."""
    settings = connection.settings_dict
    name = settings["NAME"] if factor == 1 else f"{settings['NAME']}_x{factor}"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{name}"


def _create_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


# A change this small is the clock's and the machine's, not the operation's: 2 ms → 3 ms
# is an exponent of 0.37 between 1× and 3×, and says nothing.
NOISE_SECONDS = 0.005
# Runs at each size: five of a page, whose few tens of milliseconds move by a fifth from
# one process to the next; three of a linear operation, which takes seconds to minutes a
# run at ten times the country (an export, a minute and more).
RUNS = {"flat": 5, "linear": 3}


def exponent(small: float, large: float, size_ratio: float) -> float:
    return math.log(large / small) / math.log(size_ratio)


def measure_growth(command, factors: list[int], operations: list[str]) -> None:
    say = command.stdout.write
    factors = sorted(set(factors))
    environments = {}
    for factor in factors:
        url = database_url(factor)
        _create_database(url)
        environments[factor] = {**os.environ, "DATABASE_URL": url}
        say(bench.run_command(["--prepare", str(factor)], environments[factor]).strip())
    say(
        f"growth: median of {RUNS['flat']} runs at each size of a flat operation, "
        f"{RUNS['linear']} of a linear one, the sizes in turns, each in a fresh process"
    )
    verdicts = []
    for name in operations:
        shape = bench.GROWTH[name]
        figures = _sizes_in_turns(name, factors, environments, RUNS[shape])
        line, within = growth_line(name, shape, figures)
        verdicts.append(within)
        say(line)
    say(
        f"{sum(verdicts)} of {len(verdicts)} grow within bounds"
        + ("" if all(verdicts) else " — see the lines marked faster than")
    )


def _sizes_in_turns(name: str, factors: list[int], environments: dict, runs: int) -> dict:
    """One run at each size in turn, ``runs`` times, each size's median of its own: a
    slow minute of a shared machine falls on every size, not on one of them — where a
    page of 100 ms read 15 ms slower at one size would be an exponent of 0.14."""
    measured = {factor: [] for factor in factors}
    for _ in range(runs):
        for factor in factors:
            measured[factor].append(bench._in_fresh_process(name, environments[factor]))
    return {factor: bench._summary(measured[factor]) for factor in factors}


def growth_line(name: str, shape: str, figures: dict[int, dict]) -> tuple[str, bool]:
    """One operation's figures at each size and its exponents between neighbouring ones."""
    factors = sorted(figures)
    sizes = "; ".join(
        f"{factor}×: {bench._time(figures[factor]['seconds'])}, "
        f"peak {figures[factor]['peak_mb']:.0f} MB, {figures[factor]['queries']} queries"
        for factor in factors
    )
    bound = bench.EXPONENT_BOUNDS[shape]
    times = {factor: figures[factor]["seconds"] for factor in factors}
    exponents = [
        (small, large, exponent(times[small], times[large], large / small))
        for small, large in itertools.pairwise(factors)
    ]
    within = all(
        value <= bound or times[large] - times[small] <= NOISE_SECONDS
        for small, large, value in exponents
    )
    steps = ", ".join(f"{small}→{large}× {value:.2f}" for small, large, value in exponents)
    verdict = f"within {shape} (≤ {bound:g})" if within else f"faster than {shape} (> {bound:g})"
    return f"{name}: {sizes}; exponent {steps or '—'}; {verdict}", within
