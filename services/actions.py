"""Every write to a service goes through here.

One function per kind of write, each in one transaction. A status move and its history
row are written together or not at all; a write based on a stale copy of the service is
refused (optimistic locking on ``Service.version``) instead of silently overwriting
another person's change. Access is checked here too, whatever the caller checked before.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regions.access import scope_for
from services.models import (
    DIGITAL_STATUSES,
    ClaimReview,
    Service,
    ServiceChange,
    Status,
    StatusChange,
)
from tracker.bulk import insert_new, insert_rows

Kind = ServiceChange.Kind


class StaleVersion(Exception):
    """The service changed after the caller read it; their write would overwrite that."""

    def __init__(self, service: Service):
        self.service = service
        when = date_format(timezone.localtime(service.updated_at), "DATETIME_FORMAT")
        self.message = _(
            "“%(service)s” was changed by someone else at %(when)s, after you opened it. "
            "Nothing was saved: reload it to see their change, then make yours again."
        ) % {"service": service, "when": when}
        super().__init__(self.message)


# Fields a person may change directly. Status moves only with a history row; version and
# timestamps are the system's.
EDITABLE_FIELDS = {
    "department",
    "register_code",
    "name_kk",
    "name_ru",
    "name_en",
    "sphere",
    "socially_significant",
    "channel_office",
    "channel_psc",
    "channel_egov",
    "channel_mgov",
    "channel_video",
    "channel_elicense",
    "channel_akim",
    "provider_level",
    "paid",
    "documents_required",
    "term_days",
    "term_working_days",
    "term_hours",
    "documents_before",
    "term_days_before",
    "target_status",
    "target_date",
    "blocker",
    "evidence_url",
}


@dataclass
class NewService:
    """A service checked and ready to be written, with its first status move and what the
    first row of its history says."""

    service: Service
    first_status: StatusChange
    kind: str
    comment: str
    added: dict


def prepare_service(
    *,
    department,
    by,
    status: str = Status.PAPER,
    comment: str = "",
    at: datetime | None = None,
    kind: str = Kind.CREATED,
    service: Service | None = None,
    **fields,
) -> NewService:
    """Every check of a new service (access, fields, the claim rule), and no write: an
    import checks each row of a file first and writes them all together.

    ``service``: an unsaved service already holding the fields (an import's row, read into
    one), checked and written as it is rather than copied into another.
    """
    _require_editor(by, department)
    _refuse_unknown_fields(fields)
    at = at or timezone.now()
    if service is None:
        service = Service(department=department, status=status, **fields)
    else:
        if fields or service.pk is not None:
            raise ValueError("give either a new service or its fields, not both")
        service.department, service.status = department, status
    service.last_confirmed = timezone.localdate(at)
    _validate(service)
    first_status = StatusChange(
        old_status="",
        new_status=status,
        changed_at=at,
        changed_by=by,
        comment=comment or _("Service added."),
        evidence_url=service.evidence_url,
        needs_verification=_is_claim(service, status, by),
    )
    # the row's kind says "added"; a comment is the person's own
    return NewService(service, first_status, kind, comment, _as_added(service))


def create_services(prepared: list[NewService]) -> list[Service]:
    """Write prepared services and their history: the services, their first status moves
    and their history rows, each in one COPY on PostgreSQL (tracker.bulk), in inserts of
    a thousand rows elsewhere.

    They join the caller's transaction without a savepoint of their own; a caller that
    must outlive a failed write holds one already.
    """
    with transaction.atomic(savepoint=False):
        services = insert_new(Service, [p.service for p in prepared])
        for each in prepared:
            each.first_status.service = each.service
        insert_new(StatusChange, [p.first_status for p in prepared])
        now = timezone.now()
        insert_rows(
            ServiceChange,
            ServiceChange.COLUMNS,
            (
                ServiceChange.values_of(
                    each.service,
                    kind=each.kind,
                    changed_at=each.first_status.changed_at,
                    recorded_at=now,
                    changed_by_id=each.first_status.changed_by_id,
                    comment=each.comment,
                    evidence_url=each.service.evidence_url,
                    changes=each.added,
                    status_change_id=each.first_status.pk,
                )
                for each in prepared
            ),
            json_columns={"changes"},
        )
    return services


def create_service(**prepare_arguments) -> Service:
    """Add a service to a department, with the history row that records its first status."""
    [service] = create_services([prepare_service(**prepare_arguments)])
    return service


@transaction.atomic
def set_status(
    service: Service,
    *,
    status: str,
    by,
    comment: str = "",
    evidence_url: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
    kind: str = Kind.STATUS,
) -> StatusChange | None:
    """Move one service to ``status`` and record who did it and why.

    Returns the new history row, or None when the service already had that status.
    ``expected_version`` is the version the caller saw; a different one in the database
    raises StaleVersion. ``at`` back-dates the move when loading past records; it may not
    fall before the service's latest recorded change.
    """
    current = _lock(service, expected_version)
    _require_editor(by, current.department)
    if current.status == status:
        return None
    before = _state(current)
    move = _record_move(current, status, by=by, comment=comment, evidence_url=evidence_url, at=at)
    current.save()
    _record(current, before, kind=kind, by=by, at=move.changed_at, comment=comment, move=move)
    _refresh(service, current)
    return move


@transaction.atomic
def update_service(
    service: Service,
    *,
    by,
    changes: dict,
    expected_version: int,
    comment: str = "",
    kind: str = Kind.EDITED,
) -> Service:
    """Apply a person's edit of a service (the admin form, an import row), status move
    included. An edit that changes nothing still confirms the data, once a day."""
    current = _lock(service, expected_version)
    _require_editor(by, current.department)
    changes = dict(changes)
    new_status = changes.pop("status", current.status)
    _refuse_unknown_fields(changes)
    if "department" in changes and changes["department"].pk != current.department_id:
        _require_move(current, changes["department"], by)
    before = _state(current)
    for field, value in changes.items():
        setattr(current, field, value)
    move = None
    if new_status != current.status:
        move = _record_move(
            current, new_status, by=by, comment=comment, evidence_url=current.evidence_url
        )
    else:
        current.last_confirmed = timezone.localdate()
        differences = _differences(before, current)
        if not differences:
            return current  # nothing changed, and the data were confirmed today already
        if set(differences) == {"last_confirmed"}:
            kind = Kind.CONFIRMED
        current.version += 1
    _validate(current)
    current.save()
    _record(current, before, kind=kind, by=by, comment=comment, move=move)
    _refresh(service, current)
    return current


@transaction.atomic
def set_status_many(
    services: Iterable[Service], *, status: str, by, comment: str
) -> list[StatusChange]:
    """The bulk "set status" action: one history row per service that actually moves.

    All or nothing: if the user may not change one of them, none is changed.
    """
    services = list(services)
    scope = scope_for(by)
    refused = [s for s in services if not scope.may_edit_department(s.department)]
    if refused:
        raise PermissionDenied(
            _("You may not change %(count)d of the selected services; nothing was changed.")
            % {"count": len(refused)}
        )
    changes = []
    for service in services:
        change = set_status(service, status=status, by=by, comment=comment)
        if change is not None:
            changes.append(change)
    return changes


@transaction.atomic
def confirm_services(services: Iterable[Service], *, by, at: datetime | None = None) -> int:
    """Record that a head has checked these services' data and they are still current.

    Returns how many were confirmed; one already confirmed that day is left as it is.
    """
    services = list(services)
    scope = scope_for(by)
    if not all(scope.may_edit_department(s.department) for s in services):
        raise PermissionDenied(_("You may only confirm services of your own department."))
    at = at or timezone.now()
    day = timezone.localdate(at)

    def confirm(service):
        service.last_confirmed = day

    return len(_write_many(services, confirm, kind=Kind.CONFIRMED, by=by, at=at))


@transaction.atomic
def withdraw_services(services: Iterable[Service], *, by, on: date, reason: str) -> int:
    """Take services out of the register from ``on``: reports of that day and later leave
    them out, reports of earlier days still count them.

    The region's digital office decides, not the department (withdrawing a paper service
    would raise a department's share). ``on`` is today or later: reports already dated are
    not rewritten.
    """
    services = list(services)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the service leaves the register."))
    if on < timezone.localdate():
        raise ValidationError(
            _(
                "A withdrawal takes effect today or later: reports of earlier days stay as "
                "they were."
            )
        )
    _require_verifier(by, services)

    def withdraw(service):  # on the locked row: someone may have just withdrawn it
        if service.withdrawn_on:
            raise ValidationError(
                _("Some of these services are withdrawn already; nothing was changed.")
            )
        service.withdrawn_on = on

    return len(_write_many(services, withdraw, kind=Kind.WITHDRAWN, by=by, comment=reason))


@transaction.atomic
def restore_services(services: Iterable[Service], *, by, reason: str) -> int:
    """Return withdrawn services to the register: they count again from now."""
    services = list(services)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the service returns to the register."))
    _require_verifier(by, services)

    def restore(service):  # on the locked row, as above
        if not service.withdrawn_on:
            raise ValidationError(
                _("Some of these services are in the register; nothing was changed.")
            )
        service.withdrawn_on = None

    return len(_write_many(services, restore, kind=Kind.RESTORED, by=by, comment=reason))


@transaction.atomic
def move_services(services: Iterable[Service], *, to, by, comment: str) -> int:
    """Move services to another department of their region (a merge or a split of
    departments), each with a history row: reports of earlier moments keep them where
    they were."""
    services = list(services)
    for service in services:
        _require_move(service, to, by)

    def move(service):
        service.department = to

    return len(_write_many(services, move, kind=Kind.MOVED, by=by, comment=comment))


@transaction.atomic
def verify_claim(change: StatusChange, *, by, at: datetime | None = None) -> ClaimReview:
    """The digital office accepts a head's claim that a service is electronic."""
    _require_reviewable(change, by)
    at = at or timezone.now()
    current = _lock(change.service, None)
    review = ClaimReview.objects.create(
        change=change, decision=ClaimReview.Decision.ACCEPTED, reviewed_by=by, reviewed_at=at
    )
    _record(
        current,
        _state(current),
        kind=Kind.VERIFIED,
        by=by,
        at=at,
        evidence_url=change.evidence_url,
        in_force=change,
    )
    return review


@transaction.atomic
def reject_claim(change: StatusChange, *, by, reason: str) -> ClaimReview:
    """Refuse a claim: the service goes back to its earlier status, the reason in history."""
    if not reason.strip():
        raise ValidationError(_("Say why the claim is rejected; the head will read it."))
    _require_reviewable(change, by)
    review = ClaimReview.objects.create(
        change=change,
        decision=ClaimReview.Decision.REJECTED,
        reviewed_by=by,
        reason=reason.strip(),
    )
    current = _lock(change.service, None)
    before = _state(current)
    comment = _("Claim rejected: %(reason)s") % {"reason": reason.strip()}
    move = _record_move(
        current, change.old_status or Status.PAPER, by=by, evidence_url="", comment=comment
    )
    current.save()
    _record(current, before, kind=Kind.REJECTED, by=by, comment=comment, move=move)
    _refresh(change.service, current)
    return review


def _require_reviewable(change: StatusChange, by) -> None:
    if not scope_for(by).may_verify_department(change.service.department):
        raise PermissionDenied(_("Only the region's digital office verifies claims."))
    if change.changed_by_id == by.pk:
        raise PermissionDenied(_("Nobody verifies their own claim."))
    latest = change.service.status_changes.order_by("-changed_at", "-pk").first()
    if (
        not change.needs_verification
        or ClaimReview.objects.filter(change=change).exists()
        or (latest != change)
    ):
        raise ValidationError(_("This change is not a claim awaiting verification."))


def _lock(service: Service, expected_version: int | None) -> Service:
    """Re-read the service under a row lock and check it is the version the caller saw."""
    current = (
        Service.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=service.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    return current


def _record_move(
    current: Service,
    status: str,
    *,
    by,
    comment: str,
    evidence_url: str,
    at: datetime | None = None,
) -> StatusChange:
    if status not in Status.values:
        raise ValidationError(_("“%(status)s” is not a status.") % {"status": status})
    evidence_url = evidence_url or current.evidence_url
    claim = _is_claim(current, status, by, evidence_url=evidence_url)
    at = at or timezone.now()
    _require_in_order(_latest_row(current), at)
    change = StatusChange.objects.create(
        service=current,
        old_status=current.status,
        new_status=status,
        changed_at=at,
        changed_by=by,
        comment=comment,
        evidence_url=evidence_url,
        needs_verification=claim,
    )
    current.status = status
    current.version += 1
    current.last_confirmed = timezone.localdate(at)
    return change


def check_claim(department, status: str, by, *, evidence_url: str) -> bool:
    """Is moving a service of ``department`` to ``status`` by ``by`` a claim? Raises a
    ValidationError (on ``evidence_url``) for a claim without proof.

    A head's move to electronic is a claim: it needs proof and the digital office's word.
    The same move by the digital office (or a superuser) is simply a status. Forms call
    this too, so people see the refusal on the field before anything is written.
    """
    claim = status in DIGITAL_STATUSES and not scope_for(by).may_verify_department(department)
    if claim and not evidence_url:
        raise ValidationError(
            {
                "evidence_url": _(
                    "A move to electronic needs an evidence link (the service's eGov page, an "
                    "order), which the digital office checks."
                )
            }
        )
    return claim


def _is_claim(service: Service, status: str, by, *, evidence_url: str | None = None) -> bool:
    return check_claim(
        service.department, status, by, evidence_url=evidence_url or service.evidence_url
    )


# --- the history row of each write ---------------------------------------------------------


def _state(service: Service) -> dict:
    """The fields a history row compares, as they are before a change."""
    return {name: _value(service, name) for name in (*EDITABLE_FIELDS, "status", *_SYSTEM)}


_SYSTEM = ("last_confirmed", "withdrawn_on")


def _value(service: Service, name: str):
    """A field's value in plain JSON terms: the department's id (no query), ISO dates."""
    value = getattr(service, "department_id" if name == "department" else name)
    return value.isoformat() if isinstance(value, date) else value


def _differences(before: dict, service: Service) -> dict:
    """{field: [old, new]} of what changed since ``before`` (see _state)."""
    return {
        name: [old, _value(service, name)]
        for name, old in before.items()
        if old != _value(service, name)
    }


def _as_added(service: Service) -> dict:
    """A new service's history row lists what it was given: every field set to something."""
    added = {}
    for name, default in _defaults().items():
        value = _value(service, name)
        if value not in ("", False, None) and value != default:
            added[name] = [None, value]
    return added


@functools.cache
def _defaults() -> dict:
    """Each field's default, looked up once: an import asks for every row."""
    return {
        name: Service._meta.get_field(name).get_default()
        for name in (*sorted(EDITABLE_FIELDS), "status")
        if name != "department"
    }


def _latest_row(service: Service) -> ServiceChange | None:
    return (
        ServiceChange.objects.filter(service_id=service.pk)
        .order_by("-changed_at", "-pk")
        .only("changed_at", "status_change_id")
        .first()
    )


def _require_in_order(latest: ServiceChange | None, at: datetime) -> ServiceChange | None:
    """History reads in the order things happened: a change dated before the service's
    latest recorded one would rewrite what reports of the moments between them saw.
    Returns ``latest`` (the service's latest row, None before any)."""
    if latest is not None and at < latest.changed_at:
        raise ValidationError(_("A change cannot be dated before the previous one."))
    return latest


def _in_force(service: Service, latest: ServiceChange | None) -> int:
    """The id of the status move in force: the latest row's (or, for a service whose
    history began before every change was recorded, its latest move)."""
    if latest is not None:
        return latest.status_change_id
    return service.status_changes.order_by("-changed_at", "-pk").values_list("pk", flat=True)[0]


def _record(
    service: Service,
    before: dict,
    *,
    kind: str,
    by,
    at: datetime | None = None,
    comment: str = "",
    evidence_url: str = "",
    move: StatusChange | None = None,
    in_force: StatusChange | None = None,
) -> ServiceChange:
    """The history row of one write, after the service itself was saved.

    ``move`` is the status move this write made (checked in order already); otherwise the
    row keeps the move in force (``in_force``, or the latest row's).
    """
    if move is not None:
        at, status_change_id = move.changed_at, move.pk
    else:
        at = at or timezone.now()
        latest = _require_in_order(_latest_row(service), at)
        status_change_id = in_force.pk if in_force else _in_force(service, latest)
    row = ServiceChange.of(
        service,
        kind=kind,
        changed_at=at,
        changed_by=by,
        comment=comment,
        evidence_url=evidence_url or (move.evidence_url if move else ""),
        changes=_differences(before, service),
        status_change_id=status_change_id,
    )
    row.save()
    return row


def _write_many(
    services: list[Service],
    mutate: Callable[[Service], None],
    *,
    kind: str,
    by,
    comment: str = "",
    at: datetime | None = None,
) -> list[Service]:
    """One kind of change to many services: locked, saved and recorded in a handful of
    queries, whatever their number. Services the change leaves as they were are skipped."""
    at = at or timezone.now()
    locked = list(
        Service.objects.select_for_update(of=("self",))
        .filter(pk__in=[service.pk for service in services])
        .order_by("pk")
    )
    standing = {
        row.service_id: row
        for row in ServiceChange.objects.standing_at(
            at + _EPSILON, services=Service.objects.filter(pk__in=[s.pk for s in locked])
        ).only("service_id", "changed_at", "status_change_id")
    }
    changed, rows = [], []
    for service in locked:
        before = _state(service)
        mutate(service)
        differences = _differences(before, service)
        if not differences:
            continue
        latest = _require_in_order(standing.get(service.pk), at)
        service.version += 1
        service.updated_at = timezone.now()
        changed.append(service)
        rows.append(
            ServiceChange.of(
                service,
                kind=kind,
                changed_at=at,
                changed_by=by,
                comment=comment,
                changes=differences,
                status_change_id=_in_force(service, latest),
            )
        )
    Service.objects.bulk_update(changed, ["version", *_fields_of(rows)], batch_size=1000)
    ServiceChange.objects.bulk_create(rows, batch_size=1000)
    return changed


# standing_at() reads rows strictly before its moment; a write at the same instant as the
# latest row must still see it.
_EPSILON = timedelta(microseconds=1)


def _fields_of(rows: list[ServiceChange]) -> list[str]:
    return sorted({name for row in rows for name in row.changes} | {"updated_at"})


# --- checks -----------------------------------------------------------------------------------


def _validate(service: Service) -> None:
    """Field rules (code format, choices, lengths) in Python; the constraints (unique names,
    valid targets...) are the database's to enforce, and forms check them for people first.
    Checking them here again would cost a query per constraint on every write. The
    department is a row the caller read (and its foreign key guards it), so asking the
    database whether it exists would be one more query per service imported.

    A field still holding the model's own default is valid by the model's word and is
    not checked again: a new service from an import sets five fields of twenty, and
    checking the other fifteen was a fifth of the import's time."""
    at_default = [
        name
        for name, (attname, default) in _valid_defaults().items()
        if getattr(service, attname) == default
    ]
    service.full_clean(
        exclude=["department", *at_default], validate_unique=False, validate_constraints=False
    )


@functools.cache
def _valid_defaults() -> dict[str, tuple[str, object]]:
    """{field: (attribute, default)} of each field whose default is a fixed value that
    passes the field's own check (blank allowed, or the default is not blank)."""
    defaults = {}
    for field in Service._meta.concrete_fields:
        if not field.has_default() or callable(field.default):
            continue
        if field.blank or field.default not in field.empty_values:
            defaults[field.name] = (field.attname, field.default)
    return defaults


def _require_verifier(user, services: list[Service]) -> None:
    scope = scope_for(user)
    if not all(scope.may_verify_department(service.department) for service in services):
        raise PermissionDenied(
            _("Only the region's digital office takes services out of the register or back.")
        )


def _require_move(service: Service, to, by) -> None:
    """A service moves between departments of its own region, both of which the user may
    change, and never into a department that has closed."""
    _require_editor(by, service.department)
    _require_editor(by, to)
    if to.region_id != service.department.region_id:
        raise ValidationError(_("A service moves only between departments of its region."))
    if to.closed_on:
        raise ValidationError(
            _("%(department)s has closed; choose the department that took over its services.")
            % {"department": to}
        )


def _require_editor(user, department) -> None:
    if not scope_for(user).may_edit_department(department):
        raise PermissionDenied(
            _("You may not change services of %(department)s.") % {"department": department}
        )


def _refuse_unknown_fields(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable through actions: {', '.join(sorted(unknown))}")


def _refresh(service: Service, current: Service) -> None:
    """Let the caller's object see what was written (status, version, dates)."""
    if service is not current:
        service.__dict__.update(
            {f.attname: getattr(current, f.attname) for f in Service._meta.concrete_fields}
        )
