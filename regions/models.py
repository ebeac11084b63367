from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.kinds import DepartmentKind, infer_kind
from regions.translated import Translated, translation_of
from tracker.append_only import AppendOnlyModel, AppendOnlyQuerySet


class User(AbstractUser):
    """An akimat official. What they may see and change comes from their memberships."""

    # Chosen with the language switcher and kept here, so it follows the person to another
    # computer and into the emails they receive. Empty: the browser's language decides.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages and emails in this language; empty follows the browser."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


def published_condition(path: str = "", *, on: date | None = None) -> Q:
    """Rows of regions published as open data by ``on`` (today), reached through ``path``
    (a department: ``"region__"``). A date still to come is a publication planned."""
    return Q(**{f"{path}published_on__lte": on or timezone.localdate()})


class RegionQuerySet(models.QuerySet):
    def published(self, *, on: date | None = None):
        """The regions the open-data API shows to anyone (regions.access: filter_open_*)."""
        return self.filter(published_condition(on=on))


class RegionManager(models.Manager.from_queryset(RegionQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Region(models.Model):
    """One of Kazakhstan's top-level units: an oblast or a city of republican significance."""

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("oblast")
        CITY = "city", _("city of republican significance")

    code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^KZ-\d{2}$", _("Use the ISO 3166-2:KZ form, e.g. KZ-31."))],
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    centre_kk = models.CharField(_("administrative centre (Kazakh)"), max_length=100)
    centre_ru = models.CharField(_("administrative centre (Russian)"), max_length=100)
    centre_en = models.CharField(_("administrative centre (English)"), max_length=100)
    # The region's digital office publishes it as open data (tracker/api) from this day;
    # empty: unpublished, and the API answers about it only to those who see it anyway.
    published_on = models.DateField(
        _("open data from"),
        null=True,
        blank=True,
        help_text=_(
            "From this day the open-data API shows the region, its departments, services "
            "and report figures to anyone. Empty: not published."
        ),
    )

    objects = RegionManager()

    name = Translated()
    centre = Translated()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["oblast", "city"]), name="region_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class ProviderLevel(models.TextChoices):
    """Who actually delivers a service: an oblast department, or the bodies below it that
    office lists name ("отделы ЗАГС районов", "акимы сельских округов", schools)."""

    OBLAST = "oblast", _("oblast department")
    DISTRICT = "district", _("district and city offices")
    RURAL = "rural", _("rural akims")
    SCHOOL = "school", _("schools and other organisations")


class DepartmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The departments this user may see (see regions.access)."""
        from regions.access import scope_for

        return scope_for(user).filter_departments(self)

    def editable_by(self, user):
        """The departments whose services this user may change."""
        from regions.access import scope_for

        return scope_for(user).filter_departments(self, editable=True)


class DepartmentManager(models.Manager.from_queryset(DepartmentQuerySet)):
    def get_by_natural_key(self, region_code, code):
        return self.get(region__code=region_code, code=code)


class Department(models.Model):
    """One department (басқарма / управление) of a region's akimat."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="departments", verbose_name=_("region")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[RegexValidator(r"^[A-Z0-9_-]+$", _("Capital Latin letters, digits, - and _."))],
        help_text=_("A short code, unique within the region, e.g. EDU."),
    )
    # A department may be known in one language only (a recent reorganisation named in
    # Russian, an older decision in Kazakh): it is kept, and listed as missing a translation.
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    level = models.CharField(
        _("provider level"),
        max_length=10,
        choices=ProviderLevel.choices,
        default=ProviderLevel.OBLAST,
        help_text=_("Who delivers its services: the department itself or its offices below."),
    )
    # What it is for, the same in every region: how the national view matches "every
    # region's education department" (regions.kinds). Told from the code or the names
    # when left empty.
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=DepartmentKind.choices,
        blank=True,
        help_text=_(
            "What the department is for, to compare it with the same department of other "
            "regions. Left empty, it is told from the budget code or the name."
        ),
    )
    # Reports and charts need a few words, not the full official name.
    short_name_kk = models.CharField(_("short name (Kazakh)"), max_length=60, blank=True)
    short_name_ru = models.CharField(_("short name (Russian)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    # Merged into another department (or abolished): from this day it has no services and
    # appears in no report; reports of earlier days show it as it was.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    objects = DepartmentManager()

    name = Translated()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="department_code_unique"),
            models.CheckConstraint(
                condition=~Q(name_kk="", name_ru=""),
                name="department_has_a_name",
                violation_error_message=_("Give the department a Kazakh or a Russian name."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=ProviderLevel.values), name="department_level_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.kind:
            self.kind = infer_kind(self.code, self.name_ru, self.name_kk, self.name_en)
            if kwargs.get("update_fields") is not None and self.kind:
                kwargs["update_fields"] = {*kwargs["update_fields"], "kind"}
        super().save(*args, **kwargs)

    @property
    def translation_missing(self) -> bool:
        """Known in one of the two official languages only: the digital office completes it."""
        return not (self.name_kk and self.name_ru)

    @property
    def short_name(self) -> str:
        return translation_of(self, "short_name") or self.name

    def natural_key(self):
        return (*self.region.natural_key(), self.code)

    natural_key.dependencies = ["regions.region"]


class DepartmentAlias(models.Model):
    """Another way offices write a department's name: an abbreviation ("УКЗиСП"), an
    official long form («ГУ "Управление …"»), a district body mapped to the department
    that oversees it. Read by every import of the region; unique in it."""

    region = models.ForeignKey(
        Region, models.CASCADE, related_name="department_aliases", verbose_name=_("region")
    )
    department = models.ForeignKey(
        Department, models.CASCADE, related_name="aliases", verbose_name=_("department")
    )
    label = models.CharField(_("as written in files"), max_length=500)
    key = models.CharField(max_length=500, editable=False)  # the label normalised, see save()
    level = models.CharField(
        _("provider level"),
        max_length=10,
        choices=ProviderLevel.choices,
        blank=True,
        help_text=_("Empty: the department's own level."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("department alias")
        verbose_name_plural = _("department aliases")
        ordering = ["department", "label"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="department_alias_unique"),
            models.CheckConstraint(
                condition=Q(level="") | Q(level__in=ProviderLevel.values),
                name="department_alias_level_valid",
            ),
        ]

    def __str__(self):
        return f"{self.label} → {self.department}"

    def save(self, *args, **kwargs):
        self.region_id = self.department.region_id
        self.key = self.key_of(self.label)
        super().save(*args, **kwargs)

    @staticmethod
    def key_of(label: str) -> str:
        from services.spreadsheets.providers import alias_key

        return alias_key(label)


# What a report of a past moment reads of a department: copied into every history row.
DEPARTMENT_STATE_FIELDS = (
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "level",
    "closed_on",
)


class DepartmentChangeQuerySet(AppendOnlyQuerySet):
    def standing_at(self, moment, *, region):
        """Each of the region's departments as it stood at ``moment`` (its latest row)."""
        latest = (
            DepartmentChange.objects.filter(department=OuterRef("pk"), changed_at__lt=moment)
            .order_by("-changed_at", "-pk")
            .values("pk")[:1]
        )
        departments = Department.objects.filter(region=region).order_by()
        return self.filter(pk__in=departments.annotate(row=Subquery(latest)).values("row"))


class DepartmentChange(AppendOnlyModel):
    """One change of a department — added, renamed, merged, split, closed — and the
    department as it left it. Never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("added")
        EDITED = "edited", _("renamed or edited")
        MERGED = "merged", _("took over another department's services")
        MERGED_INTO = "merged_into", _("merged into another department")
        SPLIT = "split", _("gave services to another department")
        SPLIT_FROM = "split_from", _("received services from another department")

    department = models.ForeignKey(
        Department,
        models.PROTECT,
        related_name="history",
        verbose_name=_("department"),
        db_index=False,  # department_change_latest starts with it
    )
    kind = models.CharField(_("change"), max_length=12, choices=Kind.choices)
    changed_at = models.DateTimeField(_("changed at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )  # empty for the departments a region had before their history was kept
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    other = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other department"),
    )  # the other side of a merge or a split
    services_moved = models.PositiveIntegerField(_("services moved"), default=0)

    # --- the department as this change left it ---
    code = models.CharField(_("code"), max_length=20)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name_kk = models.CharField(_("short name (Kazakh)"), max_length=60, blank=True)
    short_name_ru = models.CharField(_("short name (Russian)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    level = models.CharField(_("provider level"), max_length=10, choices=ProviderLevel.choices)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = DepartmentChangeQuerySet.as_manager()

    name = Translated()

    class Meta:
        verbose_name = _("department change")
        verbose_name_plural = _("department history")
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["department", "changed_at", "id"], name="department_change_latest"
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.get_kind_display()}"

    @property
    def short_name(self) -> str:
        return translation_of(self, "short_name") or self.name

    @classmethod
    def of(cls, department: Department, **row) -> "DepartmentChange":
        """A row recording ``department`` as it is now (not yet saved)."""
        state = {name: getattr(department, name) for name in DEPARTMENT_STATE_FIELDS}
        return cls(department=department, **state, **row)


class Role(models.TextChoices):
    HEAD = "head", _("department head")
    DIGITAL_OFFICE = "digital_office", _("digital office")
    GOVERNOR = "governor", _("governor")
    OFFICIAL = "official", _("official")
    NATIONAL = "national", _("national analyst")


# Which place each role is attached to. Checked by the database, see Membership.Meta.
DEPARTMENT_ROLES = [Role.HEAD]
REGION_ROLES = [Role.DIGITAL_OFFICE, Role.GOVERNOR]
DEPARTMENT_OR_REGION_ROLES = [Role.OFFICIAL]
NATIONWIDE_ROLES = [Role.NATIONAL]


class Membership(models.Model):
    """A user's role in one department, one whole region, or (national) the whole country."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("region"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_place_fits_role",
                condition=(
                    Q(role__in=DEPARTMENT_ROLES, department__isnull=False, region__isnull=True)
                    | Q(role__in=REGION_ROLES, department__isnull=True, region__isnull=False)
                    | Q(
                        role__in=DEPARTMENT_OR_REGION_ROLES,
                        department__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        role__in=DEPARTMENT_OR_REGION_ROLES,
                        department__isnull=True,
                        region__isnull=False,
                    )
                    | Q(role__in=NATIONWIDE_ROLES, department__isnull=True, region__isnull=True)
                ),
                violation_error_message=_(
                    "A department head needs a department; a digital office or governor needs "
                    "a region; an official needs one of the two; a national analyst neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=Q(department__isnull=False),
                name="membership_unique_in_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="membership_unique_in_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(department__isnull=True, region__isnull=True),
                name="membership_unique_nationwide",
            ),
        ]

    def __str__(self):
        place = self.department or self.region or _("all regions")
        return f"{self.user} — {self.get_role_display()} — {place}"


def _percent(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


class Readiness(models.Model):
    """How ready a region is for e-services in a period: connectivity and digital skills."""

    region = models.ForeignKey(
        Region, models.CASCADE, related_name="readiness", verbose_name=_("region")
    )
    period = models.DateField(_("period"), help_text=_("The first day of the period measured."))
    villages_without_internet = models.PositiveIntegerField(
        _("villages without internet"), null=True, blank=True
    )
    villages_without_internet_target = models.PositiveIntegerField(
        _("villages without internet, target"), null=True, blank=True
    )
    territory_coverage = _percent(_("territory covered by internet, %"))
    territory_coverage_target = _percent(_("territory covered by internet, target %"))
    digital_literacy = _percent(_("digital literacy, %"))
    digital_literacy_target = _percent(_("digital literacy, target %"))
    internet_users = _percent(_("internet users, %"))
    internet_users_target = _percent(_("internet users, target %"))
    # Where the figures come from, in each language a reader may use (one is enough).
    source_kk = models.CharField(_("source (Kazakh)"), max_length=300, blank=True)
    source_ru = models.CharField(_("source (Russian)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("regional readiness")
        verbose_name_plural = _("regional readiness")
        ordering = ["region__code", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["region", "period"], name="readiness_one_per_period"),
        ]

    def __str__(self):
        return f"{self.region} · {self.period:%m.%Y}"

    def indicators(self) -> list[dict]:
        """Each figure beside its target; "met" is None where either is unknown."""
        rows = []
        for key, higher_is_better in READINESS_INDICATORS:
            value, target = getattr(self, key), getattr(self, f"{key}_target")
            met = None
            if value is not None and target is not None:
                met = value >= target if higher_is_better else value <= target
            rows.append({"key": key, "value": _plain(value), "target": _plain(target), "met": met})
        return rows


# (field, whether more is better): fewer villages without internet is better.
READINESS_INDICATORS = [
    ("villages_without_internet", False),
    ("territory_coverage", True),
    ("digital_literacy", True),
    ("internet_users", True),
]


def _plain(number):
    """Decimals as JSON-friendly numbers (a snapshot is JSON)."""
    return float(number) if number is not None and not isinstance(number, int) else number
