"""Every write to a service goes through here.

One function per kind of write, each in one transaction. A status move and its history
row are written together or not at all; a write based on a stale copy of the service is
refused (optimistic locking on ``Service.version``) instead of silently overwriting
another person's change. Access is checked here too, whatever the caller checked before.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regions.access import scope_for
from services.models import DIGITAL_STATUSES, ClaimReview, Service, Status, StatusChange


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
    """A service checked and ready to be written, with the history row of its first status."""

    service: Service
    first_status: StatusChange


def prepare_service(
    *,
    department,
    by,
    status: str = Status.PAPER,
    comment: str = "",
    at: datetime | None = None,
    **fields,
) -> NewService:
    """Every check of a new service (access, fields, the claim rule), and no write: an
    import checks each row of a file first and writes them all together."""
    _require_editor(by, department)
    _refuse_unknown_fields(fields)
    at = at or timezone.now()
    service = Service(department=department, status=status, **fields)
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
    return NewService(service, first_status)


def create_services(prepared: list[NewService]) -> list[Service]:
    """Write prepared services and their history rows: two inserts per thousand services.

    They join the caller's transaction without a savepoint of their own; a caller that
    must outlive a failed write holds one already.
    """
    with transaction.atomic(savepoint=False):
        services = Service.objects.bulk_create([p.service for p in prepared], batch_size=1000)
        for each in prepared:
            each.first_status.service = each.service
        StatusChange.objects.bulk_create([p.first_status for p in prepared], batch_size=1000)
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
    change = _record_move(current, status, by=by, comment=comment, evidence_url=evidence_url, at=at)
    current.save()
    _refresh(service, current)
    return change


@transaction.atomic
def update_service(
    service: Service,
    *,
    by,
    changes: dict,
    expected_version: int,
    comment: str = "",
) -> Service:
    """Apply a person's edit of a service (the admin form), status move included."""
    current = _lock(service, expected_version)
    _require_editor(by, current.department)
    changes = dict(changes)
    new_status = changes.pop("status", current.status)
    _refuse_unknown_fields(changes)
    if "department" in changes:
        _require_editor(by, changes["department"])
    for field, value in changes.items():
        setattr(current, field, value)
    if new_status != current.status:
        _record_move(current, new_status, by=by, comment=comment, evidence_url=current.evidence_url)
    else:
        current.version += 1
        current.last_confirmed = timezone.localdate()
    _validate(current)
    current.save()
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
def confirm_services(services: Iterable[Service], *, by) -> int:
    """Record that a head has checked these services' data and they are still current."""
    services = list(services)
    scope = scope_for(by)
    if not all(scope.may_edit_department(s.department) for s in services):
        raise PermissionDenied(_("You may only confirm services of your own department."))
    return Service.objects.filter(pk__in=[s.pk for s in services]).update(
        last_confirmed=timezone.localdate()
    )


@transaction.atomic
def verify_claim(change: StatusChange, *, by, at: datetime | None = None) -> ClaimReview:
    """The digital office accepts a head's claim that a service is electronic."""
    _require_reviewable(change, by)
    return ClaimReview.objects.create(
        change=change,
        decision=ClaimReview.Decision.ACCEPTED,
        reviewed_by=by,
        reviewed_at=at or timezone.now(),
    )


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
    _record_move(
        current,
        change.old_status or Status.PAPER,
        by=by,
        evidence_url="",
        comment=_("Claim rejected: %(reason)s") % {"reason": reason.strip()},
    )
    current.save()
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
    latest = current.status_changes.order_by("-changed_at", "-pk").first()
    if latest is not None and at < latest.changed_at:
        raise ValidationError(_("A status change cannot be dated before the previous one."))
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


def _validate(service: Service) -> None:
    """Field rules (code format, choices, lengths) in Python; the constraints (unique names,
    valid targets...) are the database's to enforce, and forms check them for people first.
    Checking them here again would cost a query per constraint on every write. The
    department is a row the caller read (and its foreign key guards it), so asking the
    database whether it exists would be one more query per service imported."""
    service.full_clean(exclude=["department"], validate_unique=False, validate_constraints=False)


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
