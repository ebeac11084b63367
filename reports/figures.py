"""A report's figures: services counted by status, per department and for the region.

Everything here works on plain tuples of the services as they stood (see
``reports.standing``), so the same code counts a report's date and its previous meeting.
"""

from datetime import date
from functools import cache
from operator import attrgetter

from django.conf import settings

from services.models import DIGITAL_STATUSES, Status
from services.targets import is_overdue, service_target_state

COUNTED = (
    "total",
    "paper",
    "partial",
    "electronic",
    "proactive",
    "digital",
    "overdue",
    "awaiting_verification",
    "verified",
)
# Plain strings: the build tests every service against these, and the choices enum answers
# slowly (Status.values builds a list on each call).
DIGITAL = frozenset(str(status) for status in DIGITAL_STATUSES)
LAGGING_STATUSES = frozenset((str(Status.PAPER), str(Status.PARTIAL)))


def figures(services, as_of: date) -> dict:
    counted = dict.fromkeys(COUNTED, 0)
    for service in services:
        status = service.status_on_day
        counted["total"] += 1
        counted[status] += 1
        counted["digital"] += status in DIGITAL
        counted["overdue"] += _overdue(service, as_of)
        # claimed electronic by a head, not yet accepted by the digital office on that day
        counted["awaiting_verification"] += bool(service.awaiting_on_day)
    # Verified first: a head's claim counts once the digital office has accepted it; until
    # then it is shown beside the verified figure, never silently added to it.
    counted["verified"] = counted["digital"] - counted["awaiting_verification"]
    counted["share_digital"] = share(counted["digital"], counted["total"])
    counted["share_verified"] = share(counted["verified"], counted["total"])
    return counted


def summary(services, as_of: date) -> dict:
    result = figures(services, as_of)
    significant = [s for s in services if s.socially_significant]
    result["socially_significant"] = len(significant)
    result["socially_significant_digital"] = sum(s.status_on_day in DIGITAL for s in significant)
    result["share_socially_significant_digital"] = share(
        result["socially_significant_digital"], len(significant)
    )
    result["socially_significant_verified"] = sum(
        s.status_on_day in DIGITAL and not s.awaiting_on_day for s in significant
    )
    result["share_socially_significant_verified"] = share(
        result["socially_significant_verified"], len(significant)
    )
    return result


def department_row(department, services, as_of: date) -> dict:
    row = names(department) | names(department, "short_name")
    row |= {"id": department.pk, "code": department.code, "kind": department.kind}
    row |= figures(services, as_of)
    confirmed = [_confirmed_on(service, as_of) for service in services]
    # A department's data are as current as its least recently confirmed service.
    last_confirmed = min(confirmed) if confirmed else None
    row["last_confirmed"] = last_confirmed.isoformat() if last_confirmed else None
    row["days_since_confirmed"] = (as_of - last_confirmed).days if last_confirmed else None
    row["stale"] = bool(last_confirmed) and row["days_since_confirmed"] > settings.STALE_AFTER_DAYS
    row["lagging"] = [
        names(service)
        | {
            "service_id": service.pk,
            "status": service.status_on_day,
            "socially_significant": service.socially_significant,
            "blocker": service.blocker,
            "target_status": service.target_status,
            "target_date": service.target_date.isoformat() if service.target_date else None,
            "overdue": _overdue(service, as_of),
            "target_state": service_target_state(
                service.status_on_day, service.target_status, service.target_date, on=as_of
            ),
        }
        for service in services
        if service.status_on_day in LAGGING_STATUSES
    ]
    # the rest of the department's part of the report (its drill-down page)
    row["electronic_services"] = [
        names(service)
        | {
            "service_id": service.pk,
            "status": service.status_on_day,
            "socially_significant": service.socially_significant,
            "awaiting_verification": bool(service.awaiting_on_day),
        }
        for service in services
        if service.status_on_day in DIGITAL
    ]
    return row


def burden(services) -> dict:
    """Average documents and days, before digitisation and now, over the services where
    both are known (a service with one figure only would skew the comparison)."""
    result = {}
    for name, before, now in (
        ("documents", "documents_before", "documents_required"),
        ("term_days", "term_days_before", "term_days"),
    ):
        known = [
            (getattr(s, before), getattr(s, now))
            for s in services
            if getattr(s, before) is not None and getattr(s, now) is not None
        ]
        result[name] = {
            "services": len(known),
            "before": round(sum(b for b, _n in known) / len(known), 1) if known else None,
            "now": round(sum(n for _b, n in known) / len(known), 1) if known else None,
        }
    return result


def rank_laggards_first(rows: list[dict]) -> None:
    """Lowest share electronic (verified) first; among equals, more on paper first."""
    rows.sort(key=lambda r: (r["total"] == 0, r["share_verified"] or 0, -r["paper"], r["code"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank


def delta(current: dict, previous: dict | None) -> dict | None:
    if not previous:
        return None
    change = {key: current[key] - previous.get(key, 0) for key in COUNTED}
    for key in ("share_digital", "share_verified"):
        now, then = current.get(key), previous.get(key)
        change[key] = round(now - then, 4) if now is not None and then is not None else None
    return change


def share(part: int, whole: int) -> float | None:
    """Shares are fractions (0..1) rounded to 4 places; None of nothing."""
    return round(part / whole, 4) if whole else None


def names(obj, base: str = "name") -> dict:
    """``{base}_kk``, ``_ru`` and ``_en`` of ``obj``: a report copies them for every
    service it lists, so the keys and their reader are made once per base."""
    (kk, ru, en), read = _name_readers(base)
    name_kk, name_ru, name_en = read(obj)
    return {kk: name_kk, ru: name_ru, en: name_en}


@cache
def _name_readers(base: str):
    keys = tuple(f"{base}_{code}" for code in ("kk", "ru", "en"))
    return keys, attrgetter(*keys)


def _overdue(service, as_of: date) -> bool:
    # Most services have no deadline, or one not yet passed: those are answered here,
    # without the full judgement (services.targets) a build would make for each of them.
    if service.target_date is None or service.target_date >= as_of:
        return False
    return is_overdue(service.status_on_day, service.target_status, service.target_date, on=as_of)


def _confirmed_on(service, as_of: date) -> date:
    """When the service's data were last confirmed, as it could be known on ``as_of``."""
    if service.last_confirmed and service.last_confirmed <= as_of:
        return service.last_confirmed
    return service.status_since_day
