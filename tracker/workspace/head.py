"""A department head's first page: where the department stands, what needs doing."""

from dataclasses import dataclass

from django.db.models import Count, Subquery
from django.utils import timezone

from regions.models import Department
from reports.figures import share
from reports.models import DepartmentFigures, ReportSnapshot
from reports.peers import PeerRank, department_peer_rank
from services.models import DIGITAL_STATUSES, ClaimReview, Service, ServiceChange
from tracker.workspace.counts import Counted, services_listed

ELECTRONIC = [str(status) for status in DIGITAL_STATUSES]
LISTED = 5  # deadlines, rejected claims and changes shown; the links lead to the rest


@dataclass
class DepartmentWork:
    department: Department
    total: Counted  # in the register
    electronic: Counted  # claims included
    verified: Counted
    awaiting: Counted
    overdue: Counted
    at_risk: Counted
    stale: Counted
    report: ReportSnapshot | None  # the region's latest finished report
    share_then: float | None  # its verified share in that report
    rank: int | None
    ranked_among: int | None
    peers: PeerRank | None  # its place among the same kind of department in every region
    deadlines: list  # overdue and at-risk services, the nearest deadline first
    rejected: list  # the latest claims the digital office turned down, with its reason
    recent: list  # the department's latest changes

    @property
    def share_verified(self) -> float | None:
        return share(self.verified.count, self.total.count)

    @property
    def share_claimed(self) -> float | None:
        return share(self.electronic.count, self.total.count)

    @property
    def change(self) -> float | None:
        """The verified share's change since the latest report (a fraction, as shares)."""
        if self.share_then is None or self.share_verified is None:
            return None
        return round(self.share_verified - self.share_then, 4)


def department_work(user, department: Department) -> DepartmentWork:
    """A fixed number of queries, whatever the size of the department or its region."""
    today = timezone.localdate()
    listed = {"department": department.pk, "withdrawn": "false"}  # in the register

    def counted(**params):
        return services_listed(user, **listed, **params)

    report = (
        ReportSnapshot.objects.done()
        .filter(region_id=department.region_id)
        .order_by("-as_of", "-finished_at", "-pk")
        .only("pk", "as_of", "region_id")
        .first()
    )
    figures = (
        DepartmentFigures.objects.filter(snapshot=report, department=department)
        .annotate(
            ranked_among=Subquery(
                DepartmentFigures.objects.filter(snapshot=report)
                .values("snapshot")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        .first()
        if report
        else None
    )
    in_register = Service.objects.for_user(user).filter(department=department).in_register()
    deadlines = list(
        (in_register.overdue(on=today) | in_register.at_risk(on=today))
        .order_by("target_date", "name_ru")
        .only("pk", "name_kk", "name_ru", "name_en", "status", "target_status", "target_date")[
            :LISTED
        ]
    )
    return DepartmentWork(
        department=department,
        total=counted(),
        electronic=counted(status=ELECTRONIC),
        verified=counted(status=ELECTRONIC, awaiting_verification="false"),
        awaiting=counted(awaiting_verification="true"),
        overdue=counted(overdue="true"),
        at_risk=counted(at_risk="true"),
        stale=counted(stale="true"),
        report=report,
        share_then=figures.share_verified if figures else None,
        rank=figures.rank if figures else None,
        ranked_among=figures.ranked_among if figures else None,
        peers=department_peer_rank(report, department.pk, figures.kind) if figures else None,
        deadlines=deadlines,
        rejected=list(
            ClaimReview.objects.filter(
                change__service__department=department,
                decision=ClaimReview.Decision.REJECTED,
            )
            .select_related("change__service", "reviewed_by")
            .order_by("-reviewed_at", "-pk")[:LISTED]
        ),
        recent=list(
            ServiceChange.objects.filter(service__department=department)
            .select_related("service", "changed_by")
            .order_by("-changed_at", "-pk")[:LISTED]
        ),
    )
