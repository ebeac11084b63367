from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.headline import HeadlineFigures
from tracker.jobs import FrozenBuild, JobState


class ReportSnapshotQuerySet(models.QuerySet):
    def for_user(self, user):
        """Snapshots of the regions whose every department the user may see.

        A region report names every department's services, so it is for people whose
        reach is the whole region (digital office, governor, region officials, national
        analysts); a department head keeps to their own services in the admin.
        """
        from regions.access import scope_for

        return scope_for(user).filter_region_reports(self)

    def done(self):
        return self.filter(state=ReportSnapshot.State.DONE)


class ReportSnapshot(HeadlineFigures, FrozenBuild):
    """One frozen build of a region's progress report as of one date. Never rewritten.

    Its headline figures are also columns (reports.headline), for pages comparing regions."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("schedule")
        MANUAL = "manual", _("on request")

    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="report_snapshots",
        verbose_name=_("region"),
    )
    as_of = models.DateField(_("as of"))
    # The moment the report reads the history up to: the build's start for today's date,
    # the end of the day for a past one. Set once, so a retried build reads the same.
    cutoff = models.DateTimeField(_("data up to"), null=True, blank=True)
    trigger = models.CharField(
        _("built by"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL
    )
    content = models.JSONField(_("report"), default=dict, blank=True)  # see reports.build

    objects = ReportSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-as_of", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values),
                name="report_snapshot_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_snapshot_progress_percent"
            ),
        ]
        indexes = [
            # The region's latest finished report, and the one before a date (build.py).
            models.Index(fields=["region", "state", "as_of"], name="snapshot_region_state_day"),
        ]

    def __str__(self):
        return f"{self.region} · {self.as_of:%d.%m.%Y} · {self.get_state_display()}"

    @property
    def requested_by_name(self) -> str:
        user = self.requested_by
        return (user.get_full_name() or user.get_username()) if user else ""


class ProgressTarget(models.Model):
    """A share of services to be electronic by a date, for a region or one department.

    E.g. the government's order: 100% of socially significant services by 31 December.
    ``baseline_share`` is the share when the target was set, the start of its plan line.
    """

    class Scope(models.TextChoices):
        ALL = "all", _("all services")
        SOCIALLY_SIGNIFICANT = "social", _("socially significant services")

    region = models.ForeignKey(
        "regions.Region", models.CASCADE, related_name="targets", verbose_name=_("region")
    )
    department = models.ForeignKey(
        "regions.Department",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("department"),
        help_text=_("Empty: the whole region."),
    )
    scope = models.CharField(_("services"), max_length=10, choices=Scope.choices, default=Scope.ALL)
    share = models.DecimalField(
        _("share electronic, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    deadline = models.DateField(_("deadline"))
    set_on = models.DateField(_("set on"))
    baseline_share = models.DecimalField(
        _("share when set, %"), max_digits=5, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("progress target")
        verbose_name_plural = _("progress targets")
        ordering = ["region__code", "deadline"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("set_on")),
                name="target_deadline_after_set_on",
            ),
        ]

    def __str__(self):
        return f"{self.department or self.region}: {self.share}% · {self.deadline:%d.%m.%Y}"

    def clean(self):
        if self.department_id and self.region_id and self.department.region_id != self.region_id:
            raise ValidationError({"department": _("This department belongs to another region.")})
