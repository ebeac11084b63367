"""The digital office's first page: the claims it must decide, where data went stale,
the targets at risk, and how the region's report builds went."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from regions.models import Department, Region
from reports.models import ReportSnapshot
from services.models import ImportRecord, Service, StatusChange
from tracker.jobs import JobState
from tracker.workspace.counts import Counted, service_list_url, services_listed

CLAIMS_LISTED = 10
IMPORTS_LISTED = 5


@dataclass
class StaleDepartment:
    department: Department
    stale: Counted


@dataclass
class RegionWork:
    region: Region
    awaiting: Counted
    claims: list  # the claims awaiting a decision, the oldest first
    overdue: Counted
    at_risk: Counted
    stale: Counted
    stale_departments: list[StaleDepartment]
    report: ReportSnapshot | None  # the latest finished
    troubled: list  # builds that failed, or stopped hearing from their worker
    imports: list  # the latest spreadsheet imports that wrote, the newest first


def region_work(user, region: Region) -> RegionWork:
    """A fixed number of queries, whatever the size of the region."""
    today = timezone.localdate()
    listed = {"region": region.code, "withdrawn": "false"}

    def counted(**params):
        return services_listed(user, **listed, **params)

    awaiting = (
        Service.objects.for_user(user)
        .filter(department__region=region)
        .in_register()
        .with_claims()
        .filter(awaiting_verification=True)
        .values("latest_change")
    )
    claims = list(
        StatusChange.objects.filter(pk__in=awaiting)
        .select_related("service__department", "changed_by")
        .order_by("changed_at", "pk")[:CLAIMS_LISTED]
    )
    report = (
        ReportSnapshot.objects.done()
        .filter(region=region)
        .order_by("-as_of", "-finished_at", "-pk")
        .only("pk", "as_of", "finished_at", "share_verified", "region_id")
        .first()
    )
    return RegionWork(
        region=region,
        awaiting=counted(awaiting_verification="true"),
        claims=claims,
        overdue=counted(overdue="true"),
        at_risk=counted(at_risk="true"),
        stale=counted(stale="true"),
        stale_departments=_stale_departments(region, today),
        report=report,
        troubled=_troubled_builds(region, since=report.finished_at if report else None),
        imports=list(
            ImportRecord.objects.filter(region=region)
            .select_related("department", "imported_by")
            .order_by("-imported_at", "-pk")[:IMPORTS_LISTED]
        ),
    )


def _stale_departments(region, today) -> list[StaleDepartment]:
    """Departments with services nobody has confirmed for STALE_AFTER_DAYS, the most
    first: one query, each count the one its link's list shows."""
    stale = Q(
        services__in=Service.objects.in_register().stale(on=today, days=settings.STALE_AFTER_DAYS)
    )
    departments = (
        Department.objects.filter(region=region, closed_on__isnull=True)
        .annotate(stale_count=Count("services", filter=stale, distinct=True))
        .filter(stale_count__gt=0)
        .order_by("-stale_count", "code")
    )
    return [
        StaleDepartment(
            department,
            Counted(
                department.stale_count,
                service_list_url(department=department.pk, withdrawn="false", stale="true"),
            ),
        )
        for department in departments
    ]


def _troubled_builds(region, *, since) -> list[ReportSnapshot]:
    """Builds that failed, or whose worker went silent, since the latest finished one
    (``since``; every one when the region has none yet)."""
    silent = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    builds = ReportSnapshot.objects.filter(region=region).filter(
        Q(state=JobState.FAILED) | Q(state=JobState.RUNNING, heartbeat_at__lt=silent)
    )
    if since is not None:
        builds = builds.filter(created_at__gte=since)
    return list(
        builds.only("pk", "as_of", "state", "error", "created_at").order_by("-created_at")[:5]
    )
