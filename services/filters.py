"""The one FilterSet for service lists: exports, report pages and any API use it."""

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Service, Sphere, Status


class ServiceFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("region"))
    department = django_filters.NumberFilter(field_name="department_id", label=_("department"))
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("status"))
    sphere = django_filters.ChoiceFilter(choices=Sphere.choices, label=_("sphere"))
    socially_significant = django_filters.BooleanFilter(label=_("socially significant"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    has_target = django_filters.BooleanFilter(method="filter_has_target", label=_("has a target"))
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("data not confirmed"))
    q = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Service
        fields = ["region", "department", "status", "sphere", "socially_significant"]

    def filter_region(self, queryset, name, value):
        """A region by its ISO code (KZ-31) or its id."""
        if value.isdigit():
            return queryset.filter(department__region_id=int(value))
        return queryset.filter(department__region__code__iexact=value)

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(on=timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_has_target(self, queryset, name, value):
        return queryset.exclude(target_status="") if value else queryset.filter(target_status="")

    def filter_stale(self, queryset, name, value):
        stale = queryset.stale(on=timezone.localdate(), days=settings.STALE_AFTER_DAYS)
        return stale if value else queryset.exclude(pk__in=stale.values("pk"))

    def filter_search(self, queryset, name, value):
        words = Q()
        for field in ("name_kk", "name_ru", "name_en", "register_code"):
            words |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(words)


# The admin changelist's own query parameters, and what they are called here.
ADMIN_PARAMETERS = {
    "department__region__id__exact": ("region", str),
    "department__id__exact": ("department", str),
    "status__exact": ("status", str),
    "sphere__exact": ("sphere", str),
    "socially_significant__exact": ("socially_significant", {"1": "true", "0": "false"}.get),
    "target": ("target", str),
    "q": ("q", str),
    "confirmed": ("stale", {"stale": "true", "current": "false"}.get),
}
TARGETS = {
    "overdue": ("overdue", "true"),
    "set": ("has_target", "true"),
    "none": ("has_target", "false"),
}


def from_admin_parameters(parameters) -> dict[str, str]:
    """The admin list's filters (?status__exact=paper&target=overdue) as ServiceFilter's."""
    translated = {}
    for name, (ours, convert) in ADMIN_PARAMETERS.items():
        value = parameters.get(name)
        if value in (None, ""):
            continue
        if ours == "target":
            if value in TARGETS:
                key, flag = TARGETS[value]
                translated[key] = flag
        elif convert(value) is not None:
            translated[ours] = convert(value)
    return translated
