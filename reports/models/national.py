"""The national ranking: its method, set by the national level, and its frozen snapshots."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tracker.jobs import FrozenBuild, JobState


class Indicator(models.TextChoices):
    """What a region is scored on, each read from its latest report (reports.ranking)."""

    SHARE_VERIFIED = "share_verified", _("services electronic, verified")
    SOCIALLY_SIGNIFICANT = "socially_significant", _("socially significant services electronic")
    TAKE_UP = "take_up", _("digital take-up")
    TARGETS_ON_TIME = "targets_on_time", _("share targets met or on track")
    DATA_FRESHNESS = "data_freshness", _("departments with current data")
    READINESS = "readiness", _("readiness figures at their target")


class RankingIndicator(models.Model):
    """One indicator of the ranking with its weight and thresholds.

    A region's value scores 0 points at ``floor`` or below, 100 at ``goal`` or above, and
    in between in proportion; its score is the weighted mean of its points. Every number
    here is shown on the ranking page, so a governor can redo the arithmetic.
    """

    key = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices, unique=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        validators=[MaxValueValidator(100)],
        help_text=_("How much the indicator counts; 0 leaves it out."),
    )
    floor = models.DecimalField(
        _("0 points at, %"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    goal = models.DecimalField(
        _("100 points at, %"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("ranking indicator")
        verbose_name_plural = _("ranking indicators")
        ordering = ["-weight", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__gt=F("floor")),
                name="ranking_goal_above_floor",
                violation_error_message=_("The 100-point value must be above the 0-point one."),
            ),
            models.CheckConstraint(
                condition=Q(key__in=Indicator.values), name="ranking_indicator_known"
            ),
        ]

    def __str__(self):
        return self.get_key_display()


class NationalSnapshot(FrozenBuild):
    """The ranking as of one date, frozen: every region's values, points, score and rank,
    with the method it was computed by. Never rewritten; the next one is built anew."""

    as_of = models.DateField(_("as of"))
    content = models.JSONField(_("ranking"), default=dict, blank=True)  # see reports.ranking

    class Meta:
        verbose_name = _("national ranking")
        verbose_name_plural = _("national rankings")
        ordering = ["-as_of", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="national_snapshot_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="national_snapshot_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.as_of:%d.%m.%Y} · {self.get_state_display()}"
