"""Status moves and the digital office's decisions on claims: append-only history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models.service import LinkField, Service, Status
from tracker.append_only import AppendOnlyModel, AppendOnlyQuerySet, HistoryIsImmutable

__all__ = ["ClaimReview", "HistoryIsImmutable", "StatusChange", "StatusChangeQuerySet"]


class StatusChangeQuerySet(AppendOnlyQuerySet):
    def for_user(self, user):
        from regions.access import scope_for

        return scope_for(user).filter_through_department(self, path="service__department__")


class StatusChange(AppendOnlyModel):
    """One move of a service's status: who, when, why, with what proof. Never edited."""

    service = models.ForeignKey(
        Service, models.PROTECT, related_name="status_changes", verbose_name=_("service")
    )
    old_status = models.CharField(
        _("old status"), max_length=20, choices=Status.choices, blank=True
    )  # blank for the row that records the service's creation
    new_status = models.CharField(_("new status"), max_length=20, choices=Status.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="status_changes",
        verbose_name=_("changed by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    evidence_url = LinkField(_("evidence link"), max_length=500, blank=True)
    # A department head's move to electronic is a claim until the digital office accepts it.
    needs_verification = models.BooleanField(_("needs verification"), default=False)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]
        get_latest_by = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_status__in=Status.values), name="status_change_new_valid"
            ),
            models.CheckConstraint(
                condition=Q(old_status="") | Q(old_status__in=Status.values),
                name="status_change_old_valid",
            ),
            models.CheckConstraint(
                condition=~Q(old_status=models.F("new_status")),
                name="status_change_moves",
            ),
        ]
        indexes = [
            # ServiceQuerySet.as_of() and with_claims(): each service's latest change before
            # a moment, "ORDER BY changed_at DESC, id DESC LIMIT 1" read straight off the
            # index's end (with id in it, ties need no sort step).
            models.Index(
                fields=["service", "changed_at", "id"], name="status_change_service_latest"
            ),
        ]

    def __str__(self):
        old = self.get_old_status_display() or "—"
        return f"{self.service}: {old} → {self.get_new_status_display()}"


class ClaimReview(AppendOnlyModel):
    """The digital office's decision on a claimed move to electronic. Never edited."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    change = models.OneToOneField(
        StatusChange, models.PROTECT, related_name="review", verbose_name=_("claim")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("claim review")
        verbose_name_plural = _("claim reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["accepted", "rejected"]), name="claim_review_decision"
            ),
            models.CheckConstraint(
                condition=Q(decision="accepted") | ~Q(reason=""),
                name="claim_review_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.change} — {self.get_decision_display()}"
