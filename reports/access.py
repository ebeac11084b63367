"""Which regions' reports a user may open: the same rule as everything else."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from regions.access import scope_for
from regions.models import Region
from reports.models import ReportSnapshot


def reportable_regions(user):
    """Regions whose whole report the user may read (their scope covers the region)."""
    scope = scope_for(user)
    if scope.sees_everything:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.seen_regions)


def region_for(user, code: str) -> Region:
    return get_object_or_404(reportable_regions(user), code=code)


def snapshot_for(user, pk: int) -> ReportSnapshot:
    snapshot = (
        ReportSnapshot.objects.for_user(user)
        .select_related("region", "requested_by", "previous")
        .filter(pk=pk)
        .first()
    )
    if snapshot is None:
        raise Http404("No such report, or not yours to see.")
    return snapshot
