"""A region as it stood at a moment, read from the history alone.

Each service's and each department's latest history row before the moment is what a
report of that moment counts: its status and claim, department, names, target, blocker.
Nothing of the services' or departments' present rows is read, so a report rebuilt for a
past moment shows what was true then, whatever has changed since.
"""

from collections import namedtuple
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from regions.models import Department, DepartmentChange
from services.models import Service, ServiceChange

# (what the report calls it, the history row's field)
SERVICE_FIELDS = (
    ("pk", "service_id"),
    ("department_id", "department_id"),
    ("name_kk", "name_kk"),
    ("name_ru", "name_ru"),
    ("name_en", "name_en"),
    ("socially_significant", "socially_significant"),
    ("blocker", "blocker"),
    ("target_status", "target_status"),
    ("target_date", "target_date"),
    ("last_confirmed", "last_confirmed"),
    ("documents_required", "documents_required"),
    ("documents_before", "documents_before"),
    ("term_days", "term_days"),
    ("term_days_before", "term_days_before"),
    ("status_on_day", "status"),
    ("status_since_day", "status_since_day"),
    ("awaiting_on_day", "awaiting"),
)
# Plain tuples: model instances would cost more than the rest of the build at national scale.
StandingService = namedtuple("StandingService", [ours for ours, _field in SERVICE_FIELDS])
StandingDepartment = namedtuple(
    "StandingDepartment",
    # kind: what it is for as it is set now (regions.kinds), not part of its history
    "pk code name_kk name_ru name_en short_name_kk short_name_ru short_name_en kind",
)


def services_at(region, moment: datetime, *, day: date) -> list[StandingService]:
    """The region's services in the register on ``day``, as they stood at ``moment``."""
    rows = (
        ServiceChange.objects.standing_at(
            moment, services=Service.objects.filter(department__region=region)
        )
        .in_register_on(day)
        .annotate(status_since_day=_status_since_day())
        .order_by("-socially_significant", "name_ru", "service_id")
        .values_list(*(field for _ours, field in SERVICE_FIELDS))
    )
    return [StandingService._make(row) for row in rows]


def services_now_and_then(
    region, now: datetime, then: datetime, *, days: tuple[date, date]
) -> tuple[list[StandingService], list[StandingService]]:
    """services_at() at ``now`` (on ``days[1]``) and at ``then``, the previous meeting (on
    ``days[0]``), in one read: most services have not changed in between, and their one
    row serves both. The first list in the order services_at gives, the second in none."""
    # The row's fields but its claim, which may differ between the two moments (the last
    # of SERVICE_FIELDS: each list's is added after).
    *fields, (_awaiting, _field) = SERVICE_FIELDS
    rows = list(
        ServiceChange.objects.standing_at_either(
            then, now, services=Service.objects.filter(department__region=region)
        )
        .annotate(status_since_day=_status_since_day())
        .order_by("-socially_significant", "name_ru", "service_id")
        .values_list(
            *(field for _ours, field in fields),
            "withdrawn_on",
            "before_earlier",
            "awaiting_earlier",
            "awaiting_later",
        )
    )
    width = len(fields)
    changed_since = {row[0] for row in rows if not row[width + 1]}  # a row of now alone
    current, previous = [], []
    for row in rows:
        values = row[:width]
        withdrawn_on, before_then, awaiting_then, awaiting_now = row[width:]
        service_now = None
        if (not before_then or row[0] not in changed_since) and _registered(withdrawn_on, days[1]):
            service_now = StandingService._make((*values, awaiting_now))
            current.append(service_now)
        if before_then and _registered(withdrawn_on, days[0]):
            # one tuple for both when the claim stood the same (most services)
            previous.append(
                service_now
                if service_now is not None and awaiting_then == awaiting_now
                else StandingService._make((*values, awaiting_then))
            )
    return current, previous


def _registered(withdrawn_on: date | None, day: date) -> bool:
    """In the register on ``day`` (ServiceChangeQuerySet.in_register_on)."""
    return withdrawn_on is None or withdrawn_on > day


def _status_since_day():
    """The day (Almaty) the row's status was entered, as the database gives it: a date
    loads several times faster than a moment with its time zone, for thousands of rows.
    Through the join to the row's status move, which the claims read too."""
    return _DayAsGiven("status_change__changed_at")


class _DayAsGiven(TruncDate):
    """TruncDate, without its converter where PostgreSQL already gives a date: any
    converter makes Django copy every row into a list and back (about a tenth of
    the read)."""

    def get_db_converters(self, connection):
        if connection.vendor == "postgresql":
            return self.output_field.get_db_converters(connection)
        return super().get_db_converters(connection)


def departments_at(region, moment: datetime) -> list[StandingDepartment]:
    """The region's departments open at ``moment``, named as they were then. One kept
    without history (created outside the tracker's own writes) is read as it is now."""
    standing = {
        row.department_id: row
        for row in DepartmentChange.objects.standing_at(moment, region=region)
    }
    kept = DepartmentChange.objects.filter(department=OuterRef("pk"))
    result = []
    for department in (
        Department.objects.filter(region=region).annotate(kept=Exists(kept)).order_by("code")
    ):
        row = standing.get(department.pk)
        if row is None and department.kept:
            continue  # added after that moment
        source = row or department
        if source.closed_on:
            continue
        result.append(
            StandingDepartment(
                department.pk,
                source.code,
                *(getattr(source, f"name_{code}") for code in ("kk", "ru", "en")),
                *(getattr(source, f"short_name_{code}") for code in ("kk", "ru", "en")),
                department.kind,
            )
        )
    result.sort(key=lambda department: department.code)
    return result


# What "since the last meeting" lists: moves of status, services added, withdrawn,
# returned and moved between departments. Edits of text and confirmations are left out.
LISTED_KINDS = (
    ServiceChange.Kind.CREATED,
    ServiceChange.Kind.WITHDRAWN,
    ServiceChange.Kind.RESTORED,
    ServiceChange.Kind.MOVED,
)


def changes_between(
    region, start: datetime, end: datetime, *, days: tuple[date, date]
) -> list[dict]:
    """What changed in the region from ``start`` to ``end``, in order; and the services
    that left the register between the two reports' ``days`` by a withdrawal recorded
    before (the figures drop then, so the list says why)."""
    # Two reads, each on its own index (service_change_latest by the moments, the
    # withdrawals' partial index): as one OR, PostgreSQL would read every service's
    # whole history to test the second half.
    # Plain values, not model instances: each row would cost three (the change, its
    # department, its author), a fifth of this read's time.
    of_region = ServiceChange.objects.filter(service__department__region=region).order_by()
    recorded_between = of_region.filter(
        Q(kind__in=LISTED_KINDS) | Q(changes__has_key="status"),
        changed_at__gte=start,
        changed_at__lt=end,
    )
    took_effect_between = of_region.filter(
        kind=ServiceChange.Kind.WITHDRAWN,
        changed_at__lt=start,
        withdrawn_on__gt=days[0],
        withdrawn_on__lte=days[1],
    )
    rows = sorted(
        [*recorded_between.values(*CHANGE_FIELDS), *took_effect_between.values(*CHANGE_FIELDS)],
        key=lambda row: (row["changed_at"], row["pk"]),
    )
    listed = []
    for row in rows:
        added = row["kind"] == ServiceChange.Kind.CREATED
        old_status, new_status = row["changes"].get("status", [row["status"], row["status"]])
        # as User.get_full_name() and get_username() give them
        author = f"{row['changed_by__first_name']} {row['changed_by__last_name']}".strip()
        listed.append(
            {
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                **short_names(row, "department_short_name", read=_department_value),
                "service_id": row["service_id"],
                "department_id": row["department_id"],
                "department_code": row["department__code"],
                "kind": row["kind"],
                "old_status": "" if added else old_status,
                "new_status": row["status"] if added else new_status,
                "changed_at": timezone.localtime(row["changed_at"]).isoformat(),
                "changed_by": author or row["changed_by__username"],
                "comment": row["comment"],
                "withdrawn_on": row["withdrawn_on"].isoformat() if row["withdrawn_on"] else None,
            }
        )
    return listed


LANGUAGES = ("kk", "ru", "en")
# What changes_between reads of each history row, its department and its author.
CHANGE_FIELDS = (
    "pk",
    "service_id",
    "department_id",
    "kind",
    "changes",
    "status",
    "name_kk",
    "name_ru",
    "name_en",
    "changed_at",
    "comment",
    "withdrawn_on",
    "department__code",
    *(f"department__{name}_{code}" for name in ("name", "short_name") for code in LANGUAGES),
    "changed_by__first_name",
    "changed_by__last_name",
    "changed_by__username",
)


def short_names(department, prefix: str, *, read=getattr) -> dict:
    """``prefix``_kk/ru/en: a department's short name in each language, else its name.
    ``read``: how a field is read of ``department`` (a plain row of values: see
    changes_between)."""
    return {
        f"{prefix}_{code}": read(department, f"short_name_{code}")
        or read(department, f"name_{code}")
        for code in LANGUAGES
    }


def _department_value(row: dict, field: str):
    """A field of the change's department, in a row of changes_between's values."""
    return row[f"department__{field}"]


RESTRUCTURING = (
    DepartmentChange.Kind.MERGED,
    DepartmentChange.Kind.MERGED_INTO,
    DepartmentChange.Kind.SPLIT,
    DepartmentChange.Kind.SPLIT_FROM,
)


def restructured_between(region, start: datetime | None, end: datetime) -> list[dict]:
    """Merges and splits of the region's departments from ``start`` to ``end``: why a
    department's figures jumped. None for ``start``: nothing to explain."""
    if start is None:
        return []
    rows = (
        DepartmentChange.objects.filter(
            department__region=region,
            kind__in=RESTRUCTURING,
            changed_at__gte=start,
            changed_at__lt=end,
        )
        .select_related("other")
        .order_by("changed_at", "pk")
    )
    return [
        short_names(row, "department_short_name")
        | short_names(row.other, "other_short_name")
        | {
            "department_id": row.department_id,
            "other_id": row.other_id,
            "kind": row.kind,
            "on": timezone.localdate(row.changed_at).isoformat(),
            "services": row.services_moved,
        }
        for row in rows
    ]
