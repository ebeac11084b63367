"""The first page of those who read rather than change: the governor and officials see
their region's latest report in brief, the national analyst the national view."""

from dataclasses import dataclass

from regions.models import Region
from reports.models import DepartmentFigures, NationalSnapshot, ReportSnapshot

LAGGARDS_LISTED = 3


@dataclass
class RegionBrief:
    region: Region
    report: ReportSnapshot | None  # the latest finished, with its headline columns
    laggards: list  # its departments at the bottom, the lowest first


def region_brief(region: Region) -> RegionBrief:
    """Two queries."""
    report = (
        ReportSnapshot.objects.done()
        .filter(region=region)
        .order_by("-as_of", "-finished_at", "-pk")
        .defer("content")
        .first()
    )
    laggards = (
        list(
            DepartmentFigures.objects.filter(snapshot=report)
            .select_related("department")
            .order_by("rank")[:LAGGARDS_LISTED]
        )
        if report
        else []
    )
    return RegionBrief(region, report, laggards)


def latest_ranking() -> NationalSnapshot | None:
    """One query."""
    return (
        NationalSnapshot.objects.filter(state=NationalSnapshot.State.DONE)
        .order_by("-as_of", "-finished_at", "-pk")
        .defer("content")
        .first()
    )
