"""make bench-growth's verdicts: an operation that should be flat and grows, or one that
should be linear and grows faster than its data, says so."""

import pytest

from tracker.devtools.growth import exponent, growth_line


def figures(*seconds):
    return {
        factor: {"seconds": value, "peak_mb": 100, "queries": 7}
        for factor, value in zip((1, 3, 10), seconds, strict=True)
    }


def test_the_exponent_is_the_log_of_the_time_ratio_over_the_log_of_the_size_ratio():
    assert exponent(1.0, 10.0, 10) == pytest.approx(1.0)
    assert exponent(1.0, 100.0, 10) == pytest.approx(2.0)
    assert exponent(0.2, 0.2, 3) == pytest.approx(0.0)


def test_a_page_that_stays_flat_is_within_and_one_that_grows_is_not():
    line, within = growth_line("changelist", "flat", figures(0.100, 0.105, 0.110))
    assert within and "within flat (≤ 0.1)" in line
    assert "1×: 100 ms, peak 100 MB, 7 queries" in line and "3→10× 0.04" in line
    line, within = growth_line("changelist", "flat", figures(0.100, 0.150, 0.400))
    assert not within and "faster than flat (> 0.1)" in line


def test_a_linear_operation_may_grow_as_its_data_but_not_faster():
    assert growth_line("report_build", "linear", figures(1.0, 3.0, 10.5))[1]
    line, within = growth_line("report_build", "linear", figures(1.0, 3.0, 30.0))
    assert not within and "3→10× 1.91" in line


def test_a_few_milliseconds_more_is_noise_not_growth():
    within = growth_line("national_build", "flat", figures(0.002, 0.003, 0.004))[1]
    assert within  # exponents of 0.37 and 0.24, but 2 ms in all
    assert not growth_line("national_page", "flat", figures(0.030, 0.040, 0.060))[1]


def test_memory_above_the_process_own_is_a_budget_of_its_own():
    from tracker.devtools.management.commands.bench import Budget, _line

    budget = Budget(ratio=1.2, above_mb=40)
    floor = {"seconds": 1.0, "peak_mb": 120, "above_mb": 10, "queries": 1, "rows": 5}
    light = {"seconds": 1.1, "peak_mb": 150, "above_mb": 30, "queries": 3, "rows": 5}
    line, within = _line("export_xlsx", "export", "raw_xlsx", budget, light, floor)
    assert within and "peak 150 MB (30 above its own)" in line
    assert "≤ 40 MB above its own" in line
    heavy = light | {"above_mb": 41}
    assert not _line("export_xlsx", "export", "raw_xlsx", budget, heavy, floor)[1]
    slow = light | {"seconds": 1.3}
    assert not _line("export_xlsx", "export", "raw_xlsx", budget, slow, floor)[1]


def test_an_operation_and_its_baseline_run_in_turns_each_median_its_own(monkeypatch):
    """A slow minute of the machine falls on both: the runs alternate, and each median is
    taken over its own runs only."""
    from tracker.devtools.management.commands import bench

    order, seconds = [], {"ours": iter([5, 1, 2, 9, 3]), "floor": iter([1, 1, 1, 8, 1])}

    def run_once(operation, env=None):
        order.append(operation)
        value = next(seconds[operation])
        return {"rows": 1, "seconds": value, "peak_mb": value, "above_mb": 0, "queries": 2}

    monkeypatch.setattr(bench, "_in_fresh_process", run_once)
    monkeypatch.setattr(bench, "RUNS", 5)
    ours, floor = bench._repeat_beside("ours", "floor")
    assert order == ["ours", "floor"] * 5
    assert (ours["seconds"], floor["seconds"]) == (3, 1)
    assert (ours["peak_mb"], floor["peak_mb"]) == (9, 8)


def test_the_sizes_are_measured_in_turns_each_median_its_own(monkeypatch):
    """A slow minute falls on every size alike: 1×, 3×, 10×, then again, each size's
    median over its own runs."""
    from tracker.devtools import growth
    from tracker.devtools.management.commands import bench

    order = []
    seconds = {1: iter([1.0, 5.0, 1.2]), 3: iter([1.1, 6.0, 1.0]), 10: iter([1.0, 7.0, 1.3])}

    def run_once(operation, env=None):
        factor = env["factor"]
        order.append(factor)
        value = next(seconds[factor])
        return {"rows": 1, "seconds": value, "peak_mb": 100, "above_mb": 0, "queries": 6}

    monkeypatch.setattr(bench, "_in_fresh_process", run_once)
    environments = {factor: {"factor": factor} for factor in (1, 3, 10)}
    figures = growth._sizes_in_turns("changelist", [1, 3, 10], environments, runs=3)
    assert order == [1, 3, 10] * 3
    assert {factor: figures[factor]["seconds"] for factor in figures} == {1: 1.2, 3: 1.1, 10: 1.3}
