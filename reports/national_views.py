"""The national analyst's pages: every region side by side, and one kind of department
(or one sphere) in every region. The ranking's pages are in reports.ranking_views. For
those who see every region (regions.access: sees_national_view); anyone else gets a 404
that reveals nothing."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regions.access import scope_for
from regions.kinds import DepartmentKind
from regions.models import Region
from reports import across_regions, national
from reports.charts import regions_trend_chart
from services.models import Sphere


def national_reader(request) -> None:
    if not scope_for(request.user).sees_national_view:
        raise Http404


@login_required
@require_GET
def national_page(request):
    national_reader(request)
    key = request.GET.get("sort", national.DEFAULT_SORT)
    if key not in national.SORTABLE:
        key = national.DEFAULT_SORT
    descending = request.GET.get("order") == "desc"
    regions = list(Region.objects.order_by("code"))
    rows = national.region_rows(regions)
    history = national.share_history(regions)
    return render(
        request,
        "reports/national.html",
        {
            "rows": national.sort_rows(rows, key, descending=descending),
            "totals": national.totals(rows),
            "life_events": national.life_event_totals(rows),
            "columns": national.COLUMNS,
            "sort": key,
            "descending": descending,
            "chart": regions_trend_chart(
                [(str(region.name), history.get(region.pk, [])) for region in regions]
            ),
            "max_age_days": settings.NATIONAL_REPORT_MAX_AGE_DAYS,
        },
    )


@login_required
@require_GET
def across_regions_page(request):
    """One kind of department, or one sphere, in every region side by side."""
    national_reader(request)
    selection = across_regions.Selection.from_query(request.GET)
    if selection is None:
        selection = across_regions.Selection(kind=DepartmentKind.EDUCATION)
    regions = list(Region.objects.order_by("code"))
    shared = across_regions.shared_services(selection, regions)
    return render(
        request,
        "reports/across_regions.html",
        {
            "selection": selection,
            "kinds": DepartmentKind.choices,
            "spheres": Sphere.choices,
            "rows": across_regions.region_figures(selection, regions),
            "regions": regions,
            "shared": [
                (service, [service.statuses.get(region.pk) for region in regions])
                for service in shared
            ],
        },
    )
