"""Departments over time: added, renamed, merged and split, each with a history row.

Real oblasts reorganise: one merges economy with finance, another construction with
architecture; culture moves between departments between two budget decisions. Each change
takes effect when it is recorded and is kept in ``DepartmentChange`` with the department
as it left it, so a report of an earlier moment shows the departments as they were then;
services move with their own history rows (``services.actions.move_services``).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.access import scope_for
from regions.models import DEPARTMENT_STATE_FIELDS, Department, DepartmentChange

Kind = DepartmentChange.Kind


def state_of(department: Department) -> dict:
    """What a history row compares, as it is before a change."""
    return {name: _plain(getattr(department, name)) for name in DEPARTMENT_STATE_FIELDS}


def record(
    department: Department,
    *,
    by,
    kind: str,
    before: dict | None = None,
    comment: str = "",
    other: Department | None = None,
    services_moved: int = 0,
    at: datetime | None = None,
) -> DepartmentChange | None:
    """Record a department's change after it was saved; an edit that changed nothing a
    report reads leaves no row. ``before`` is ``state_of()`` before the change (None: new)."""
    changes = {
        name: [None if before is None else before[name], _plain(getattr(department, name))]
        for name in DEPARTMENT_STATE_FIELDS
        if before is None or before[name] != _plain(getattr(department, name))
    }
    if before is not None and kind == Kind.EDITED and not changes:
        return None
    if before is None:
        changes = {name: values for name, values in changes.items() if values[1] not in ("", None)}
    else:
        _ensure_history(department, before)
    row = DepartmentChange.of(
        department,
        kind=kind,
        changed_at=at or timezone.now(),
        changed_by=by,
        comment=comment,
        changes=changes,
        other=other,
        services_moved=services_moved,
    )
    row.save()
    return row


def record_created(
    departments: list[Department], *, by, comment: str = "", at: datetime | None = None
) -> None:
    """The first history row of new departments (an import writes many at once); ``at``
    back-dates it when past records are loaded."""
    now = at or timezone.now()
    DepartmentChange.objects.bulk_create(
        [
            DepartmentChange.of(
                department,
                kind=Kind.CREATED,
                changed_at=now,
                changed_by=by,
                comment=comment,
                changes={
                    name: [None, _plain(getattr(department, name))]
                    for name in DEPARTMENT_STATE_FIELDS
                    if getattr(department, name) not in ("", None)
                },
            )
            for department in departments
        ]
    )


@transaction.atomic
def merge(absorbed: Department, *, into: Department, by, comment: str = "") -> int:
    """Merge ``absorbed`` into ``into``: every service moves, ``absorbed`` closes today.

    Returns how many services moved. Reports of earlier moments show both departments;
    from now on only ``into``, compared with the two together.
    """
    _require_manager(by, absorbed)
    if absorbed.region_id != into.region_id:
        raise ValidationError(_("Departments merge only within their region."))
    if absorbed.pk == into.pk:
        raise ValidationError(_("Choose another department to merge into."))
    for department in (absorbed, into):
        _require_open(department)
    from services import actions  # services depend on regions, not the other way round

    comment = comment.strip() or _("%(absorbed)s merged into %(into)s.") % {
        "absorbed": absorbed,
        "into": into,
    }
    moved = actions.move_services(
        absorbed.services.select_related("department"), to=into, by=by, comment=comment
    )
    before = state_of(absorbed)
    absorbed.closed_on = timezone.localdate()
    absorbed.save(update_fields=["closed_on"])
    record(
        absorbed,
        by=by,
        kind=Kind.MERGED_INTO,
        before=before,
        comment=comment,
        other=into,
        services_moved=moved,
    )
    record(
        into,
        by=by,
        kind=Kind.MERGED,
        before=state_of(into),
        comment=comment,
        other=absorbed,
        services_moved=moved,
    )
    return moved


@transaction.atomic
def split(source: Department, services, *, to: Department, by, comment: str = "") -> int:
    """Move some of ``source``'s services to ``to`` (a new department or another one).

    Returns how many moved. Reports of earlier moments keep them under ``source``; the
    next report compares ``to`` with the same services as they were.
    """
    _require_manager(by, source)
    services = list(services)
    if to.region_id != source.region_id:
        raise ValidationError(_("A department's services move only within its region."))
    if to.pk == source.pk:
        raise ValidationError(_("Choose another department for the services."))
    if not services:
        raise ValidationError(_("Choose the services that move."))
    if any(service.department_id != source.pk for service in services):
        raise ValidationError(_("Only this department's own services can move."))
    for department in (source, to):
        _require_open(department)
    from services import actions

    comment = comment.strip() or _("Services of %(source)s moved to %(to)s.") % {
        "source": source,
        "to": to,
    }
    moved = actions.move_services(services, to=to, by=by, comment=comment)
    for department, kind, other in ((source, Kind.SPLIT, to), (to, Kind.SPLIT_FROM, source)):
        record(
            department,
            by=by,
            kind=kind,
            before=state_of(department),
            comment=comment,
            other=other,
            services_moved=moved,
        )
    return moved


# Departments a region had before their history was kept existed "since before records
# began": reports of any earlier moment show them.
BEFORE_RECORDS = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(5 * 60))


def _ensure_history(department: Department, before: dict) -> None:
    """A department changed for the first time since its history was kept gets the row
    of how it was, so reports of earlier moments still find it."""
    if not department.history.exists():
        row = DepartmentChange.of(department, kind=Kind.CREATED, changed_at=BEFORE_RECORDS)
        for name, value in before.items():
            setattr(row, name, _parsed(name, value))
        row.save()


def _parsed(name: str, value):
    if name == "closed_on" and value:
        return date.fromisoformat(value)
    return value


def _require_manager(user, department: Department) -> None:
    if not scope_for(user).may_manage_departments(department.region_id):
        raise PermissionDenied(_("Only the region's digital office reorganises its departments."))


def _require_open(department: Department) -> None:
    if department.closed_on:
        raise ValidationError(
            _("%(department)s closed on %(day)s.")
            % {"department": department, "day": department.closed_on.strftime("%d.%m.%Y")}
        )


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
