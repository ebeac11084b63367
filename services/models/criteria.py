"""How electronic an "electronic" service is: criteria a citizen feels, answered per
service, and the life events services are grouped by.

A status word says where a service stands; the criteria say what a citizen still has to
do. Each :class:`Criterion` (online information, applying through eGov, no visit, the
result sent electronically…) belongs to one maturity level, and a service reaches level N
when every criterion of levels 1 to N is answered "yes" (services.levels). The national
level keeps the list, as data, in three languages; the first set comes with migration
services 0009.

A service's answers move like its status: a head's "yes" is a claim that needs an
evidence link and the digital office's word (services.criteria_writes). Each answer is
kept three ways:

- :class:`ServiceCriterion`: the answer in force now, one row per service and criterion,
  for the service's page and the lists;
- :class:`CriterionChange`: every answer ever given, append-only, so a report of a past
  date reads the answers of that date;
- :class:`CriterionReview`: the digital office's decision on a claimed answer.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.translated import Translated
from services.models.service import LinkField, Service
from tracker.append_only import AppendOnlyModel, AppendOnlyQuerySet

MAX_LEVEL = 4


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


# A head's "yes" the digital office has not decided yet, as the history and exports say it.
AWAITING_YES = _("yes, awaiting verification")


class CriterionGroup(models.TextChoices):
    """The groups of the EU eGovernment Benchmark that apply to a region's services."""

    TRANSPARENCY = "transparency", _("transparency")
    USER_CENTRICITY = "user_centricity", _("user centricity")
    KEY_ENABLERS = "key_enablers", _("key enablers")


class Criterion(models.Model):
    """One yes/no question about a service, and the level it belongs to."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short name in Latin letters, used in files and the API."),
    )
    group = models.CharField(_("group"), max_length=20, choices=CriterionGroup.choices)
    level = models.PositiveSmallIntegerField(
        _("level"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)],
        help_text=_("A service reaches a level when every criterion of it and below is met."),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("A criterion no longer asked keeps its answers and their history."),
    )

    name = Translated()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["level", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=MAX_LEVEL), name="criterion_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(group__in=CriterionGroup.values), name="criterion_group_valid"
            ),
        ]

    def __str__(self):
        return self.name


class LifeEvent(models.Model):
    """A moment of a citizen's life the services serve: a newborn, a school, a farm."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short name in Latin letters, used in files and the API."),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    services = models.ManyToManyField(
        Service, related_name="life_events", blank=True, verbose_name=_("services")
    )

    name = Translated()

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class CriterionChangeQuerySet(AppendOnlyQuerySet):
    def for_user(self, user):
        from regions.access import scope_for

        return scope_for(user).filter_through_department(self, path="service__department__")


class CriterionChange(AppendOnlyModel):
    """One answer given to a criterion for a service: who, when, why, proof. Never edited."""

    service = models.ForeignKey(
        Service, models.PROTECT, related_name="criterion_changes", verbose_name=_("service")
    )
    criterion = models.ForeignKey(
        Criterion, models.PROTECT, related_name="changes", verbose_name=_("criterion")
    )
    old_answer = models.CharField(
        _("old answer"), max_length=10, choices=Answer.choices, blank=True
    )  # blank for the first answer
    new_answer = models.CharField(_("new answer"), max_length=10, choices=Answer.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="criterion_changes",
        verbose_name=_("changed by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    evidence_url = LinkField(_("evidence link"), max_length=500, blank=True)
    # A head's "yes" is a claim until the digital office accepts it.
    needs_verification = models.BooleanField(_("needs verification"), default=False)

    objects = CriterionChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion answer")
        verbose_name_plural = _("criterion answers")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_answer__in=Answer.values), name="criterion_change_new_valid"
            ),
            models.CheckConstraint(
                condition=Q(old_answer="") | Q(old_answer__in=Answer.values),
                name="criterion_change_old_valid",
            ),
            models.CheckConstraint(
                condition=~Q(old_answer=models.F("new_answer")), name="criterion_change_moves"
            ),
        ]
        indexes = [
            # services.levels.answers_at(): each answer's latest row before a moment, off
            # the index's end.
            models.Index(
                fields=["service", "criterion", "changed_at", "id"], name="criterion_change_latest"
            ),
        ]

    def __str__(self):
        old = self.get_old_answer_display() or "—"
        return f"{self.service}: {self.criterion} {old} → {self.get_new_answer_display()}"


class CriterionReview(AppendOnlyModel):
    """The digital office's decision on a claimed "yes". Never edited."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    change = models.OneToOneField(
        CriterionChange, models.PROTECT, related_name="review", verbose_name=_("claim")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("criterion claim review")
        verbose_name_plural = _("criterion claim reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["accepted", "rejected"]),
                name="criterion_review_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision="accepted") | ~Q(reason=""),
                name="criterion_review_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.change} — {self.get_decision_display()}"


class ServiceCriterion(models.Model):
    """A service's answer in force on one criterion: the latest CriterionChange's, kept
    here by services.criteria_writes in the same transaction."""

    service = models.ForeignKey(
        Service, models.CASCADE, related_name="criteria", verbose_name=_("service")
    )
    criterion = models.ForeignKey(
        Criterion, models.PROTECT, related_name="answers", verbose_name=_("criterion")
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    # The answer's latest change, and whether it is a claim still awaiting the digital
    # office (its "yes" does not count as verified until then).
    change = models.OneToOneField(
        CriterionChange, models.PROTECT, related_name="+", verbose_name=_("last change")
    )
    awaiting = models.BooleanField(_("awaiting verification"), default=False)

    class Meta:
        verbose_name = _("criterion of a service")
        verbose_name_plural = _("criteria of services")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "criterion"], name="service_criterion_unique"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=Answer.values), name="service_criterion_answer_valid"
            ),
        ]
        indexes = [
            # The digital office's queue: claims awaiting it, region by region.
            models.Index(
                fields=["awaiting"], condition=Q(awaiting=True), name="criterion_awaiting"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.get_answer_display()}"
