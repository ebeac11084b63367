"""Which workspace a person gets, from what their memberships let them do
(regions.access): the digital office decides claims for its region, a head works on
their department, the governor and officials read their region's report, the national
analyst the national view. A superuser keeps the plain list of models."""

from dataclasses import dataclass, field

from regions.access import scope_for
from regions.models import Department, Region
from tracker.workspace.head import department_work
from tracker.workspace.office import region_work
from tracker.workspace.readers import latest_ranking, region_brief


@dataclass
class Workspace:
    role: str  # "office", "head", "reader" or "national"
    regions: list = field(default_factory=list)  # RegionWork or RegionBrief
    departments: list = field(default_factory=list)  # DepartmentWork or their brief
    ranking: object = None  # the latest national ranking, for the analyst


def workspace_for(user) -> Workspace | None:
    scope = scope_for(user)
    if user.is_superuser or not scope.sees_anything:
        return None
    if scope.sees_national_view:
        return Workspace("national", ranking=latest_ranking())
    edited_regions = list(scope.filter_edited_regions(Region.objects.order_by("code")))
    if edited_regions:
        return Workspace("office", regions=[region_work(user, r) for r in edited_regions])
    edited = list(scope.filter_departments(Department.objects.order_by("code"), editable=True))
    if edited:
        return Workspace("head", departments=[department_work(user, d) for d in edited])
    return Workspace(
        "reader",
        regions=[
            region_brief(region)
            for region in scope.filter_reported_regions(Region.objects.all()).order_by("code")
        ],
    )
