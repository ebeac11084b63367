"""The API's endpoints: read-only lists and rows, each filtered by regions.access.

Every queryset starts from a named question of the reader's scope (``filter_open_*``):
anonymous readers get the published regions; a user with a key, those and what they see
in the admin. A row outside that is a 404, whether it exists or not. Each list page costs
the same few queries whatever the data (tests/api_tests/test_queries.py).
"""

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework import views as rest_views
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from regions.access import scope_for
from regions.models import Department, Region
from services.models import LifeEvent, Service
from tracker.api import figures, meta, serializers
from tracker.api.filters import DepartmentFilter, FiguresQuery, PublicServiceFilter
from tracker.api.pagination import CursorPages
from tracker.api.throttles import TooManyRequests

LANGUAGE = OpenApiParameter(
    "lang",
    str,
    enum=[code for code, _name in settings.LANGUAGES],
    description=_("The language of messages and titles (else the browser's)."),
)
CSV_FORMAT = OpenApiParameter(
    "format", str, enum=["json", "csv"], description=_("csv: the same rows as CSV for Excel.")
)
FIGURES_PARAMETERS = [
    OpenApiParameter(
        "region", str, description=_("A region's ISO code (KZ-31): its figures only.")
    ),
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description=_(
            "YYYY-MM-DD: each region's latest report of that day or before. Empty: the latest."
        ),
    ),
]


def exception_handler(exc, context):
    """REST framework's answers, for every API view (the schema's and the docs' too): a
    404 that says nothing of what exists (Django's own names the model, in English), and
    a 429 saying when to ask again, both in the reader's language."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not published as open data."))
    elif isinstance(exc, exceptions.Throttled) and not isinstance(exc, TooManyRequests):
        exc = TooManyRequests(exc.wait)
    return rest_views.exception_handler(exc, context)


class OpenData:
    """What every endpoint does first: the reader's language (``?lang=``, else the
    browser's), then REST framework's signing in, read-only rule and throttles."""

    csv_name = "open-data"

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request._request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    @property
    def scope(self):
        return scope_for(self.request.user)


def documented(list_text, row_text=None, *, parameters=(), row_parameters=()):
    """The schema's words for a list and its row, in the reader's language."""
    common = [LANGUAGE, CSV_FORMAT]
    found = {"list": extend_schema(description=list_text, parameters=[*common, *parameters])}
    if row_text is not None:
        found["retrieve"] = extend_schema(
            description=row_text, parameters=[*common, *row_parameters]
        )
    return extend_schema_view(**found)


@documented(
    _(
        "The regions published as open data by their digital office; with a key, also "
        "the regions its user works in."
    ),
    _("One region, by its ISO code (KZ-31)."),
)
class RegionViewSet(OpenData, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.RegionSerializer
    lookup_field = "code"
    csv_name = "regions"

    def get_queryset(self):
        return self.scope.filter_open_regions(Region.objects.order_by("code"))


@documented(
    _(
        "The departments of the published regions (not those merged into another); with "
        "a key, also those its user sees."
    ),
    _("One department, by its id."),
)
class DepartmentViewSet(OpenData, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DepartmentSerializer
    filterset_class = DepartmentFilter
    csv_name = "departments"

    def get_queryset(self):
        today = timezone.localdate()
        departments = Department.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=today)
        ).annotate(region_code=F("region__code"))
        return self.scope.filter_open_departments(departments).order_by("region__code", "code")


@documented(
    _(
        "The services in the register of the published regions, public fields only; with "
        "a key, also those its user sees. Filtered as the tracker's own lists are."
    ),
    _("One service, by its id."),
)
class ServiceViewSet(OpenData, viewsets.ReadOnlyModelViewSet):
    """Filtered by the admin's own FilterSet, its public filters (tracker.api.filters)."""

    serializer_class = serializers.ServiceSerializer
    filterset_class = PublicServiceFilter
    pagination_class = CursorPages
    csv_name = "services"

    def get_queryset(self):
        services = (
            Service.objects.in_register()
            .only(*serializers.SERVICE_COLUMNS)
            .annotate(region_code=F("department__region__code"))
            # The page's life events in one more query, whatever the page's size.
            .prefetch_related(Prefetch("life_events", LifeEvent.objects.only("code")))
            # In the order they were added, paged by a cursor (tracker.api.pagination): a
            # page deep in the register is a range of the primary key, not an offset.
            .order_by("pk")
        )
        return self.scope.filter_open_through_department(services)


@documented(
    _("The life events services are grouped by, with their names (services' life_events)."),
    _("One life event, by its code."),
)
class LifeEventViewSet(OpenData, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.LifeEventSerializer
    lookup_field = "code"
    filter_backends = []
    csv_name = "life-events"

    def get_queryset(self):
        return LifeEvent.objects.order_by("order", "code")


@documented(
    _(
        "Each region's figures from its latest progress report, or from the latest one of "
        "a day or before (as_of)."
    ),
    _("One region's figures, by its ISO code."),
    parameters=FIGURES_PARAMETERS,
    row_parameters=FIGURES_PARAMETERS[1:],
)
class RegionFiguresViewSet(OpenData, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Headline columns of the reports only (tracker.api.figures), never their content."""

    serializer_class = serializers.RegionFiguresSerializer
    filter_backends = []
    csv_name = "region-figures"

    def get_queryset(self):
        query = figures_query(self.request)
        regions = figures.open_reported_regions(self.scope, query)
        return figures.region_figures(regions, as_of=query.day)

    def retrieve(self, request, code=None):
        report = self.get_queryset().filter(region__code=code).first()
        if report is None:
            raise Http404
        return Response(self.get_serializer(report).data)


@documented(
    _(
        "Every department's figures in its region's latest report, or in the latest one of "
        "a day or before (as_of): services by status, shares electronic, usage."
    ),
    parameters=FIGURES_PARAMETERS,
)
class DepartmentFiguresViewSet(OpenData, viewsets.GenericViewSet):
    """The public part of the reports' department rows, a page of them read at a time
    (figures.DepartmentRows): never the lagging services or their blockers."""

    serializer_class = serializers.DepartmentFiguresSerializer
    filter_backends = []
    csv_name = "department-figures"

    def list(self, request):
        query = figures_query(request)
        regions = figures.open_reported_regions(self.scope, query)
        rows = figures.DepartmentRows(figures.latest_reports(regions, as_of=query.day))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def figures_query(request) -> FiguresQuery:
    query = FiguresQuery(request.query_params)
    if not query.is_valid():
        raise exceptions.ValidationError(query.errors)
    return query


class MetaView(OpenData, rest_views.APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        description=_(
            "Every endpoint's fields and filters with their titles in Kazakh, Russian and "
            "English, and the codes of statuses, spheres, channels and kinds with their names."
        ),
        responses={200: OpenApiTypes.OBJECT},
        parameters=[LANGUAGE],
    )
    def get(self, request):
        return Response(meta.description())
