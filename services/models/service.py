from datetime import date, datetime, time, timedelta

from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import ProviderLevel
from regions.translated import Translated


class Status(models.TextChoices):
    """How far a service has moved from paper, in order."""

    PAPER = "paper", _("paper")
    PARTIAL = "partial", _("partially automated")
    ELECTRONIC = "electronic", _("electronic")
    PROACTIVE = "proactive", _("proactive")

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)

    @classmethod
    def below(cls, value: str) -> list[str]:
        """The statuses short of ``value``: a service in one of them has not reached it."""
        return cls.values[: cls.rank(value)]


# Electronic and proactive both count as "electronic" in every report.
DIGITAL_STATUSES = [Status.ELECTRONIC, Status.PROACTIVE]


class Channel(models.TextChoices):
    """Where a person can receive a service. Each is a boolean ``channel_<value>`` column."""

    OFFICE = "office", _("Provider's office")
    PSC = "psc", _("Public service centre (PSC)")
    EGOV = "egov", _("eGov portal")
    MGOV = "mgov", _("mGov app")
    VIDEO = "video", _("Video call")
    ELICENSE = "elicense", _("e-licensing portal (elicense.kz)")
    AKIM = "akim", _("Rural akim's office")

    @property
    def field_name(self) -> str:
        return f"channel_{self.value}"

    @property
    def short_label(self):
        return CHANNEL_SHORT_LABELS[self]


CHANNEL_SHORT_LABELS = {
    Channel.OFFICE: _("office"),
    Channel.PSC: _("PSC"),
    Channel.EGOV: _("eGov"),
    Channel.MGOV: _("mGov"),
    Channel.VIDEO: _("video"),
    Channel.ELICENSE: _("e-licence"),
    Channel.AKIM: _("akim"),
}


class Sphere(models.TextChoices):
    """The field of public life a service belongs to, as the national register groups them."""

    EDUCATION = "education", _("education")
    SOCIAL_PROTECTION = "social_protection", _("social protection")
    EMPLOYMENT = "employment", _("employment")
    HEALTHCARE = "healthcare", _("healthcare")
    AGRICULTURE = "agriculture", _("agriculture")
    VETERINARY = "veterinary", _("veterinary")
    LAND = "land", _("land relations")
    NATURAL_RESOURCES = "natural_resources", _("natural resources")
    TOURISM = "tourism", _("tourism")
    CULTURE = "culture", _("culture")
    ARCHIVES = "archives", _("archives")
    SPORT = "sport", _("sport")
    ARCHITECTURE = "architecture", _("architecture and urban planning")
    CONSTRUCTION = "construction", _("construction")
    ENTREPRENEURSHIP = "entrepreneurship", _("entrepreneurship")
    INDUSTRY = "industry", _("industry")
    TRANSPORT = "transport", _("transport")
    HOUSING = "housing", _("housing")
    OTHER = "other", _("other")


class LinkField(models.URLField):
    """A URL column whose form field reads a typed "egov.kz/..." as https, as Django 6 will."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` in the project's time zone (Asia/Almaty)."""
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1), time.min), timezone.get_default_timezone()
    )


class ServiceQuerySet(models.QuerySet):
    def for_user(self, user):
        """The services this user may see: the one rule used by admin, exports, reports."""
        from regions.access import scope_for

        return scope_for(user).filter_through_department(self)

    def editable_by(self, user):
        from regions.access import scope_for

        return scope_for(user).filter_through_department(self, editable=True)

    def in_register(self, *, on: date | None = None):
        """Services not withdrawn by ``on`` (today): the ones every count is about."""
        on = on or timezone.localdate()
        return self.exclude(withdrawn_on__lte=on)

    def electronic(self):
        return self.filter(status__in=DIGITAL_STATUSES)

    def stale(self, *, on: date, days: int):
        """Services whose data nobody has confirmed in the last ``days`` days."""
        return self.filter(
            Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=on - timedelta(days=days))
        )

    def overdue(self, *, on: date):
        """Services whose target deadline has passed before they reached the target status."""
        from services.targets import overdue_condition

        return self.filter(overdue_condition(on=on))

    def at_risk(self, *, on: date):
        """Services whose target deadline is near (services.targets.AT_RISK_WITHIN_DAYS),
        not passed, and the target status not reached."""
        from services.targets import at_risk_condition

        return self.filter(at_risk_condition(on=on))

    def with_claims(self):
        """Annotate ``awaiting_verification``: the latest move is a claim not yet reviewed."""
        from services.models.status import StatusChange

        latest = StatusChange.objects.filter(service=OuterRef("pk")).order_by("-changed_at", "-pk")
        pending = StatusChange.objects.filter(
            pk=OuterRef("latest_change"), needs_verification=True, review__isnull=True
        )
        return self.annotate(latest_change=Subquery(latest.values("pk")[:1])).annotate(
            awaiting_verification=Exists(pending)
        )


class Service(models.Model):
    """A public service that one akimat department provides."""

    department = models.ForeignKey(
        "regions.Department",
        models.PROTECT,
        related_name="services",
        verbose_name=_("department"),
    )
    register_code = models.CharField(
        _("register code"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("The register code has exactly 8 digits."))],
        help_text=_("The 8-digit code in the national register of state services, if known."),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=500, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=500, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    sphere = models.CharField(
        _("sphere"), max_length=30, choices=Sphere.choices, default=Sphere.OTHER
    )
    socially_significant = models.BooleanField(_("socially significant"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PAPER
    )
    channel_office = models.BooleanField(Channel.OFFICE.label, default=True)
    channel_psc = models.BooleanField(Channel.PSC.label, default=False)
    channel_egov = models.BooleanField(Channel.EGOV.label, default=False)
    channel_mgov = models.BooleanField(Channel.MGOV.label, default=False)
    channel_video = models.BooleanField(Channel.VIDEO.label, default=False)
    channel_elicense = models.BooleanField(Channel.ELICENSE.label, default=False)
    channel_akim = models.BooleanField(Channel.AKIM.label, default=False)
    # Who delivers it: the department itself, or its district offices, rural akims, schools.
    provider_level = models.CharField(
        _("provider level"),
        max_length=10,
        choices=ProviderLevel.choices,
        default=ProviderLevel.OBLAST,
    )
    paid = models.BooleanField(
        _("paid"), null=True, blank=True, help_text=_("Empty when the list does not say.")
    )
    documents_required = models.PositiveSmallIntegerField(
        _("documents required"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    term_days = models.PositiveSmallIntegerField(
        _("term in days"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("0 when the result is given on the day of application."),
    )
    term_working_days = models.BooleanField(
        _("term in working days"),
        default=False,
        help_text=_("The term counts working days, as most standards do, not calendar days."),
    )
    term_hours = models.PositiveSmallIntegerField(
        _("term in hours"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(72)],
        help_text=_("For services delivered within hours; the term in days is then 0."),
    )
    # The burden before digitisation, to show what it saved (the country: 6 → 4 documents,
    # 31 → 10 days).
    documents_before = models.PositiveSmallIntegerField(
        _("documents required before digitisation"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    term_days_before = models.PositiveSmallIntegerField(
        _("term in days before digitisation"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
    )
    target_status = models.CharField(
        _("target status"), max_length=20, choices=Status.choices, blank=True
    )
    target_date = models.DateField(_("target deadline"), null=True, blank=True)
    blocker = models.TextField(
        _("why still not electronic"),
        blank=True,
        help_text=_("What stops this service from being electronic, in a sentence or two."),
    )
    evidence_url = LinkField(
        _("evidence link"),
        max_length=500,
        blank=True,
        help_text=_("A page that proves the current status, e.g. the service on egov.kz."),
    )
    last_confirmed = models.DateField(_("data last confirmed"), null=True, blank=True)
    # Taken out of the register (abolished, merged into another service): from this day on it
    # counts in no report; reports of earlier days still count it.
    withdrawn_on = models.DateField(_("withdrawn from"), null=True, blank=True, editable=False)
    # Its maturity level from its criteria' answers (services.levels), kept by every
    # answer written: claimed (a head's "yes" awaiting the digital office counts) and
    # verified (it does not). 0 until the first level's criteria are all met.
    level = models.PositiveSmallIntegerField(_("level"), default=0, editable=False)
    level_verified = models.PositiveSmallIntegerField(
        _("level, verified"), default=0, editable=False
    )
    version = models.PositiveIntegerField(
        _("version"), default=0, editable=False
    )  # optimistic lock: every write through services.actions adds one
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceQuerySet.as_manager()

    name = Translated()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["department_id", "name_ru", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="service_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_status="") | Q(target_status__in=Status.values),
                name="service_target_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(sphere__in=Sphere.values), name="service_sphere_valid"
            ),
            models.CheckConstraint(
                condition=Q(provider_level__in=ProviderLevel.values),
                name="service_provider_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_status="", target_date__isnull=True)
                | (~Q(target_status="") & Q(target_date__isnull=False)),
                name="service_target_has_status_and_date",
                violation_error_message=_("A target needs both a status and a deadline."),
            ),
            models.CheckConstraint(
                condition=Q(register_code="") | Q(register_code__regex=r"^[0-9]{8}$"),
                name="service_register_code_8_digits",
            ),
            models.CheckConstraint(
                condition=~Q(name_kk="", name_ru="", name_en=""),
                name="service_has_a_name",
                violation_error_message=_("Give the service a name in at least one language."),
            ),
            models.UniqueConstraint(
                fields=["department", "register_code"],
                condition=~Q(register_code=""),
                name="service_register_code_unique_in_department",
                violation_error_message=_("This department already has a service with this code."),
            ),
            *(
                models.UniqueConstraint(
                    fields=["department", f"name_{code}"],
                    condition=~Q(**{f"name_{code}": ""}),
                    name=f"service_name_{code}_unique_in_department",
                    violation_error_message=_(
                        "This department already has a service with this name."
                    ),
                )
                for code in ("kk", "ru", "en")
            ),
        ]
        indexes = [
            # The changelist and reports filter by department and status together.
            models.Index(fields=["department", "status"], name="service_department_status"),
        ]

    def __str__(self):
        return self.name

    @property
    def channels(self) -> list[Channel]:
        return [channel for channel in Channel if getattr(self, channel.field_name)]

    def is_withdrawn(self, *, on: date | None = None) -> bool:
        """Out of the register on ``on`` (today): the instance's ServiceQuerySet.in_register."""
        return bool(self.withdrawn_on and self.withdrawn_on <= (on or timezone.localdate()))

    def is_overdue(self, *, on: date) -> bool:
        from services.targets import is_overdue

        return is_overdue(self.status, self.target_status, self.target_date, on=on)
