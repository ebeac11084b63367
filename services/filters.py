"""The one FilterSet for service lists: the admin's list, exports, report pages and any API.

The admin list's sidebar filters below are ServiceFilter's own filters under the same
parameter names, and its search box is ServiceFilter's ``q``: the list's query string,
passed as it is to an export, gives the file exactly the rows the list shows.
"""

import django_filters
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from regions.access import scope_for
from regions.models import Department, Region
from services.levels import LEVEL_NAMES
from services.models import LifeEvent, Service, ServiceCriterion, Sphere, Status

LEVEL_CHOICES = [
    (str(level), format_lazy("{} · {}", level, name)) for level, name in LEVEL_NAMES.items()
]

# Where a search looks, each word on its own: the admin's search box shows when it is set.
SEARCHED_FIELDS = ["name_kk", "name_ru", "name_en", "register_code"]


def search(queryset, phrase: str):
    """The services in which every word of ``phrase`` appears, in any order, in one of the
    names (any language) or the register code: "справки обучении" finds "Выдача справки
    об обучении"."""
    for word in phrase.split():
        anywhere = Q()
        for field in SEARCHED_FIELDS:
            anywhere |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(anywhere)
    return queryset


# The largest id a table here holds (BigAutoField): one past it names nothing, and the
# database would refuse to compare with it (SQLite: "Python int too large").
LARGEST_ID = 2**63 - 1


def region_condition(value: str, path: str = "") -> Q:
    """A region by its ISO code (KZ-31) or its id, reached through ``path``."""
    if value.isascii() and value.isdigit():  # "²" is a digit to isdigit(), not to int()
        if int(value) > LARGEST_ID:
            return Q(pk__in=[])
        return Q(**{f"{path}region_id": int(value)})
    return Q(**{f"{path}region__code__iexact": value})


class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number a table can hold, else the filter is refused (400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=LARGEST_ID, **kwargs)


class ServiceFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("region"))
    department = IdFilter(field_name="department_id", label=_("department"))
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("status"))
    sphere = django_filters.ChoiceFilter(choices=Sphere.choices, label=_("sphere"))
    socially_significant = django_filters.BooleanFilter(label=_("socially significant"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    at_risk = django_filters.BooleanFilter(method="filter_at_risk", label=_("target at risk"))
    has_target = django_filters.BooleanFilter(method="filter_has_target", label=_("has a target"))
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("data not confirmed"))
    awaiting_verification = django_filters.BooleanFilter(
        method="filter_awaiting_verification", label=_("awaiting verification")
    )
    withdrawn = django_filters.BooleanFilter(
        method="filter_withdrawn", label=_("withdrawn from the register")
    )
    # The verified level (services.levels): what a claim awaiting does not raise.
    level = django_filters.MultipleChoiceFilter(
        field_name="level_verified", choices=LEVEL_CHOICES, label=_("level")
    )
    life_event = django_filters.CharFilter(method="filter_life_event", label=_("life event"))
    criteria_awaiting = django_filters.BooleanFilter(
        method="filter_criteria_awaiting", label=_("criteria awaiting verification")
    )
    q = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Service
        fields = ["region", "department", "status", "sphere", "socially_significant"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_condition(value, "department__"))

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(on=timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_at_risk(self, queryset, name, value):
        at_risk = queryset.at_risk(on=timezone.localdate())
        return at_risk if value else queryset.exclude(pk__in=at_risk.values("pk"))

    def filter_has_target(self, queryset, name, value):
        return queryset.exclude(target_status="") if value else queryset.filter(target_status="")

    def filter_stale(self, queryset, name, value):
        stale = queryset.stale(on=timezone.localdate(), days=settings.STALE_AFTER_DAYS)
        return stale if value else queryset.exclude(pk__in=stale.values("pk"))

    def filter_awaiting_verification(self, queryset, name, value):
        """Services whose latest move is a head's claim the digital office has not reviewed."""
        if "awaiting_verification" not in queryset.query.annotations:  # the admin's has it
            queryset = queryset.with_claims()
        return queryset.filter(awaiting_verification=value)

    def filter_withdrawn(self, queryset, name, value):
        """Withdrawn by today (a withdrawal dated later still counts until its day)."""
        in_register = queryset.in_register()
        return queryset.exclude(pk__in=in_register.values("pk")) if value else in_register

    def filter_life_event(self, queryset, name, value):
        """The services of one life event, by its code."""
        return queryset.filter(life_events__code=value)

    def filter_criteria_awaiting(self, queryset, name, value):
        """Services with a head's "yes" the digital office has not decided on."""
        awaiting = ServiceCriterion.objects.filter(awaiting=True).values("service_id")
        return queryset.filter(pk__in=awaiting) if value else queryset.exclude(pk__in=awaiting)

    def filter_search(self, queryset, name, value):
        return search(queryset, value)


# --- the admin list's sidebar: ServiceFilter's filters, under their own names -----------

YES_NO = [("true", _("yes")), ("false", _("no"))]


class ServiceListFilter(admin.SimpleListFilter):
    """One of ServiceFilter's filters in the admin list's sidebar: the same parameter and
    the same query, so the list's query string means to an export what it means here."""

    options: list = []  # (value, label) pairs offered, unless lookups() says otherwise

    def __init__(self, request, params, model, model_admin):
        # Every value given (status=paper&status=partial), where Django keeps only the last.
        self.given = list(params.get(self.parameter_name, []))
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return self.options

    def has_output(self):
        # A value in the address narrows the list, as it narrows the export, even where
        # there is nothing to choose; shown, it can be seen and cleared.
        return super().has_output() or self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # The facet counts ask for one choice at a time; the list for every value given.
        values = self.given if self.given[-1:] == [value] else [str(value)]
        data = QueryDict(mutable=True)
        data.setlist(self.parameter_name, values)
        found = ServiceFilter(data, queryset=queryset)
        if not found.is_valid():  # the export refuses it too (400)
            raise IncorrectLookupParameters(found.errors.as_text())
        return found.qs


class RegionListFilter(ServiceListFilter):
    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        regions = scope_for(request.user).filter_regions(Region.objects.order_by("code"))
        return [(region.code, region.name) for region in regions]

    def has_output(self):
        return len(self.lookup_choices) > 1 or self.value() is not None  # one: no choice


class DepartmentListFilter(ServiceListFilter):
    """The departments the user may see, read from the departments table (not found by
    scanning every service for theirs).

    Someone who sees several regions picks the region first: then its departments are
    offered. Six hundred department links at once would be unusable, and would cost the
    page more than everything else on it."""

    title = _("department")
    parameter_name = "department"

    def lookups(self, request, model_admin):
        departments = Department.objects.for_user(request.user)
        region = request.GET.get(RegionListFilter.parameter_name)
        if region:
            departments = departments.filter(region_condition(region))
        elif scope_for(request.user).sees_several_regions:
            return []
        return [(department.pk, str(department)) for department in departments]

    def has_output(self):
        return len(self.lookup_choices) > 1 or self.value() is not None  # one: no choice


class StatusListFilter(ServiceListFilter):
    title = _("status")
    parameter_name = "status"
    options = Status.choices


class SociallySignificantListFilter(ServiceListFilter):
    title = _("socially significant")
    parameter_name = "socially_significant"
    options = YES_NO


class HasTargetListFilter(ServiceListFilter):
    title = _("target")
    parameter_name = "has_target"
    options = [("true", _("has a target")), ("false", _("no target"))]


class OverdueListFilter(ServiceListFilter):
    title = _("overdue")
    parameter_name = "overdue"
    options = YES_NO


class AtRiskListFilter(ServiceListFilter):
    title = _("target at risk")
    parameter_name = "at_risk"
    options = YES_NO


class StaleListFilter(ServiceListFilter):
    """For the digital office: whose data has gone stale (STALE_AFTER_DAYS)."""

    title = _("data confirmed")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [
            ("true", _("not for %(days)d days") % {"days": settings.STALE_AFTER_DAYS}),
            ("false", _("recently")),
        ]


class AwaitingVerificationListFilter(ServiceListFilter):
    title = _("verification")
    parameter_name = "awaiting_verification"
    options = [("true", _("awaiting verification"))]


class WithdrawnListFilter(ServiceListFilter):
    title = _("register")
    parameter_name = "withdrawn"
    options = [("false", _("in the register")), ("true", _("withdrawn from the register"))]


class LevelListFilter(ServiceListFilter):
    title = _("level")
    parameter_name = "level"
    options = LEVEL_CHOICES


class LifeEventListFilter(ServiceListFilter):
    title = _("life event")
    parameter_name = "life_event"

    def lookups(self, request, model_admin):
        return [(event.code, event.name) for event in LifeEvent.objects.all()]


class CriteriaAwaitingListFilter(ServiceListFilter):
    title = _("criteria")
    parameter_name = "criteria_awaiting"
    options = [("true", _("awaiting verification"))]


class SphereListFilter(ServiceListFilter):
    title = _("sphere")
    parameter_name = "sphere"
    options = Sphere.choices


# In the sidebar's order; each one's parameter is one of ServiceFilter's.
ADMIN_LIST_FILTERS = [
    RegionListFilter,
    DepartmentListFilter,
    StatusListFilter,
    SociallySignificantListFilter,
    HasTargetListFilter,
    OverdueListFilter,
    AtRiskListFilter,
    StaleListFilter,
    AwaitingVerificationListFilter,
    LevelListFilter,
    CriteriaAwaitingListFilter,
    LifeEventListFilter,
    WithdrawnListFilter,
    SphereListFilter,
]
