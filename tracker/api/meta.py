"""/api/v1/meta/: what each endpoint's fields and filters are called, in every language.

As data.egov.kz publishes a passport beside each data set: a program reads field names,
a person their titles, in Kazakh, Russian or English. Built from the serializers and
filters themselves, so it cannot drift from what the endpoints answer. No query.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as rest

from regions.kinds import DepartmentKind
from regions.models import ProviderLevel, Region
from services.levels import Level
from services.models import Channel, Sphere, Status
from tracker.api import serializers
from tracker.api.filters import DepartmentFilter, FiguresQuery, PublicServiceFilter


@dataclass(frozen=True)
class Endpoint:
    name: str
    url_name: str  # its list's
    title: object
    serializer: type
    filters: type | None = None  # a FilterSet or a form
    row_key: str | None = None  # what names one row in its address, if rows have one


ENDPOINTS = [
    Endpoint(
        "regions", "api:region-list", _("regions"), serializers.RegionSerializer, None, "code"
    ),
    Endpoint(
        "departments",
        "api:department-list",
        _("departments"),
        serializers.DepartmentSerializer,
        DepartmentFilter,
        "id",
    ),
    Endpoint(
        "services",
        "api:service-list",
        _("services"),
        serializers.ServiceSerializer,
        PublicServiceFilter,
        "id",
    ),
    Endpoint(
        "life_events",
        "api:life-event-list",
        _("life events"),
        serializers.LifeEventSerializer,
        None,
        "code",
    ),
    Endpoint(
        "region_figures",
        "api:region-figures-list",
        _("figures of the regions' reports"),
        serializers.RegionFiguresSerializer,
        FiguresQuery,
        "code",
    ),
    Endpoint(
        "department_figures",
        "api:department-figures-list",
        _("figures of the departments in their region's report"),
        serializers.DepartmentFiguresSerializer,
        FiguresQuery,
    ),
]

ENUMERATIONS = {
    "status": Status,
    "sphere": Sphere,
    "channel": Channel,
    "region_kind": Region.Kind,
    "department_kind": DepartmentKind,
    "provider_level": ProviderLevel,
    "level": Level,
}

COMMON_PARAMETERS = {
    "page": _("page number (not for services: they follow “next”)"),
    "cursor": _("services: where the page starts, as the “next” or “previous” link gives it"),
    "page_size": _("rows a page (at most 1000)"),
    "format": _("json or csv"),
    "lang": _("language of messages: kk, ru or en"),
}

TYPES = [  # the first that fits, so a subclass is named before its base
    (rest.ListField, "array"),
    (rest.ManyRelatedField, "array"),
    (rest.BooleanField, "boolean"),
    (rest.IntegerField, "integer"),
    (rest.FloatField, "number"),
    (rest.DateField, "date"),
    (rest.ChoiceField, "string"),
]


def in_every_language(text) -> dict[str, str]:
    titles = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles[code] = str(text)
    return titles


def enumeration_of(choices) -> str | None:
    values = set(choices)
    for name, enum in ENUMERATIONS.items():
        if values == set(enum.values):
            return name
    return None


def field_row(name: str, field) -> dict:
    kind = next((label for cls, label in TYPES if isinstance(field, cls)), "string")
    if isinstance(field, rest.SerializerMethodField):
        kind = "integer"  # the one such field: a count (serializers.RegionFiguresSerializer)
    row = {"name": name, "type": kind, "title": in_every_language(field.label or name)}
    choices = getattr(getattr(field, "child", field), "choices", None)
    if choices:
        row["enumeration"] = enumeration_of(choices)
    if field.help_text:
        row["description"] = in_every_language(field.help_text)
    return row


def filter_rows(filters) -> list[dict]:
    if filters is None:
        return []
    found = getattr(filters, "base_filters", None) or filters.base_fields
    return [{"name": name, "title": in_every_language(found[name].label or name)} for name in found]


def description() -> dict:
    endpoints = []
    for endpoint in ENDPOINTS:
        url = reverse(endpoint.url_name)
        endpoints.append(
            {
                "name": endpoint.name,
                "url": url,
                "row_url": f"{url}{{{endpoint.row_key}}}/" if endpoint.row_key else None,
                "title": in_every_language(endpoint.title),
                "fields": [field_row(n, f) for n, f in endpoint.serializer().fields.items()],
                "filters": filter_rows(endpoint.filters),
            }
        )
    return {
        "endpoints": endpoints,
        "parameters": [
            {"name": name, "title": in_every_language(title)}
            for name, title in COMMON_PARAMETERS.items()
        ],
        "enumerations": {
            name: [
                {"code": value, "title": in_every_language(label)} for value, label in enum.choices
            ]
            for name, enum in ENUMERATIONS.items()
        },
    }
