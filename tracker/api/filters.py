"""What a reader may narrow the lists by.

Services are filtered by the one FilterSet of the admin and the exports
(services.filters.ServiceFilter), less the filters that would tell what no public field
says: ``overdue``, ``at_risk`` and ``has_target`` (the services' targets and deadlines),
``stale`` (when their data were last confirmed), ``awaiting_verification`` and
``criteria_awaiting`` (heads' claims of a status or a criterion and the digital office's
review) and ``withdrawn`` (the API lists the services in the register only).
Those stay the admin's and the exports', where the same people see the rows they tell of.
They are left out for signed-in readers too: their list holds published regions' services
beside their own, and a filter would tell those rows' internals.
"""

from datetime import date

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from regions.kinds import DepartmentKind
from regions.models import Department, ProviderLevel
from services.filters import ServiceFilter, region_condition

# ServiceFilter's filters the API does not offer (see above), and the one it lists under
# the same name everywhere else.
NOT_PUBLIC = (
    "overdue",
    "at_risk",
    "has_target",
    "stale",
    "awaiting_verification",
    "criteria_awaiting",
    "withdrawn",
)


class PublicServiceFilter(ServiceFilter):
    """ServiceFilter's public filters, the same code: region, department, status (several
    allowed), sphere, socially_significant and q (words in any language's name)."""

    overdue = None
    at_risk = None
    has_target = None
    stale = None
    awaiting_verification = None
    criteria_awaiting = None
    withdrawn = None


class DepartmentFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("region"))
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices, label=_("kind"))
    level = django_filters.ChoiceFilter(choices=ProviderLevel.choices, label=_("provider level"))

    class Meta:
        model = Department
        fields = ["region", "kind", "level"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_condition(value))


class FiguresQuery(forms.Form):
    """The figures' parameters: which region, and as of which day."""

    region = forms.CharField(required=False, max_length=20, label=_("region"))
    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        label=_("as of"),
        help_text=_("YYYY-MM-DD: the latest report of that day or before. Empty: the latest."),
    )

    @property
    def day(self) -> date | None:
        return self.cleaned_data.get("as_of")

    def regions(self, queryset):
        """The regions asked for, by ISO code (the figures name regions by it)."""
        code = self.cleaned_data.get("region")
        return queryset.filter(code__iexact=code) if code else queryset
