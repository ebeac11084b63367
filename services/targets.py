"""Where a target stands — met, on track, at risk, overdue — written once for every place
that asks: the admin, the filters, the report build."""

from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services.models.service import Status

AT_RISK_WITHIN_DAYS = 30  # a service target this close, not yet reached, is at risk


class TargetState(models.TextChoices):
    MET = "met", _("met")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OVERDUE = "overdue", _("overdue")


RANK = {str(status): rank for rank, status in enumerate(Status.values)}


def service_target_state(
    status: str, target_status: str, target_date: date | None, *, on: date
) -> str | None:
    """A service's target on ``on``; None when it has none."""
    if not target_status or not target_date:
        return None
    if RANK[status] >= RANK[target_status]:
        return TargetState.MET
    if target_date < on:
        return TargetState.OVERDUE
    if (target_date - on).days <= AT_RISK_WITHIN_DAYS:
        return TargetState.AT_RISK
    return TargetState.ON_TRACK


def is_overdue(status: str, target_status: str, target_date: date | None, *, on: date) -> bool:
    """The deadline has passed before the service reached its target status."""
    return service_target_state(status, target_status, target_date, on=on) == TargetState.OVERDUE


def overdue_condition(*, on: date) -> Q:
    """is_overdue() as a database condition, for lists and filters."""
    return _short_of_target() & Q(target_date__lt=on)


def at_risk_condition(*, on: date) -> Q:
    """service_target_state() == AT_RISK as a database condition: the deadline within
    AT_RISK_WITHIN_DAYS of ``on``, not passed, the target status not reached."""
    return _short_of_target() & Q(
        target_date__gte=on, target_date__lte=on + timedelta(days=AT_RISK_WITHIN_DAYS)
    )


def _short_of_target() -> Q:
    short_of_target = Q()
    for target in Status.values[1:]:
        short_of_target |= Q(target_status=target, status__in=Status.below(target))
    return short_of_target


ON_TRACK_MARGIN = 0.02  # within two points of the plan line still counts as on track


def share_target_state(
    actual: float | None, *, goal: float, planned: float, on: date, deadline: date
) -> str:
    """A region's or department's share target: met, overdue once past its deadline, on
    track at or above its plan line, else at risk."""
    if actual is not None and actual >= goal:
        return TargetState.MET
    if on > deadline:
        return TargetState.OVERDUE
    if actual is not None and actual >= planned - ON_TRACK_MARGIN:
        return TargetState.ON_TRACK
    return TargetState.AT_RISK
