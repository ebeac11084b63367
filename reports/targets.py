"""A region's and its departments' share targets in a report: where each stands."""

from datetime import date

from reports.figures import DIGITAL, share
from reports.models import ProgressTarget
from services.targets import share_target_state


def targets_of(region, as_of: date) -> list[ProgressTarget]:
    return list(
        ProgressTarget.objects.filter(region=region, set_on__lte=as_of).select_related("department")
    )


def target_state(target, services, as_of: date) -> dict:
    """Where a share target stands on ``as_of``, against its straight plan line from the
    day it was set to its deadline: by its verified services, the claims beside."""
    chosen = [
        s
        for s in services
        if (target.department_id is None or s.department_id == target.department_id)
        and (target.scope == ProgressTarget.Scope.ALL or s.socially_significant)
    ]
    digital = [s for s in chosen if s.status_on_day in DIGITAL]
    claimed = sum(bool(s.awaiting_on_day) for s in digital)
    # Where a target stands counts verified services only; the claims are shown beside.
    actual = share(len(digital) - claimed, len(chosen))
    goal, start = float(target.share) / 100, float(target.baseline_share) / 100
    elapsed = (as_of - target.set_on).days / (target.deadline - target.set_on).days
    planned = round(start + (goal - start) * min(max(elapsed, 0.0), 1.0), 4)
    return {
        "id": target.pk,
        **_place_names(target),
        "region_wide": target.department_id is None,
        "department_id": target.department_id,
        "scope": target.scope,
        "set_on": target.set_on.isoformat(),
        "baseline": start,
        "goal": goal,
        "deadline": target.deadline.isoformat(),
        "planned": planned,
        "actual": actual,
        "claimed": claimed,
        "actual_with_claims": share(len(digital), len(chosen)),
        "state": share_target_state(
            actual, goal=goal, planned=planned, on=as_of, deadline=target.deadline
        ),
    }


def _place_names(target) -> dict:
    """place_kk/ru/en: the department's short name (or full), else the region's name."""
    names = {}
    for code in ("kk", "ru", "en"):
        if target.department:
            department = target.department
            names[f"place_{code}"] = getattr(department, f"short_name_{code}") or getattr(
                department, f"name_{code}"
            )
        else:
            names[f"place_{code}"] = getattr(target.region, f"name_{code}")
    return names
