"""Celery tasks for reports: thin wrappers that take ids and call reports.build.

Reliability (see also the CELERY_* settings): tasks are acknowledged late, so a worker
that dies mid-build hands the task to another; database errors are retried with backoff;
and a task run twice does no harm, because a finished snapshot is never rebuilt and an
interrupted one is rebuilt from scratch.
"""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Count
from django.utils import timezone

from regions.models import Region
from reports import build, national_build
from reports.models import NationalSnapshot, ReportSnapshot
from tracker.jobs import dispatch

DATABASE_HICCUPS = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True,
    autoretry_for=DATABASE_HICCUPS,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def build_report_task(snapshot_id: int) -> int | None:
    snapshot = ReportSnapshot.objects.select_related("region").filter(pk=snapshot_id).first()
    if snapshot is None:
        return None
    return build.run_build(snapshot).pk


@shared_task(acks_late=True, autoretry_for=DATABASE_HICCUPS, retry_backoff=5, max_retries=5)
def build_all_reports_task() -> list[int]:
    """The scheduled run: queue today's report of every region that has services."""
    today = timezone.localdate()
    return [
        request_report(region, as_of=today, trigger=ReportSnapshot.Trigger.SCHEDULE).pk
        for region in regions_largest_first()
    ]


def regions_largest_first():
    """The regions with services, the most services first: the workers take the longest
    builds while the others wait, so the run is not left waiting on one large region
    begun last."""
    return (
        Region.objects.annotate(services=Count("departments__services"))
        .filter(services__gt=0)
        .order_by("-services", "code")
    )


def request_report(
    region: Region,
    *,
    as_of: date,
    by=None,
    trigger: str = ReportSnapshot.Trigger.MANUAL,
) -> ReportSnapshot:
    """Queue a build; the task is sent once the snapshot row is committed."""
    snapshot = ReportSnapshot.objects.create(
        region=region, as_of=as_of, requested_by=by, trigger=trigger
    )
    # Sent once the row is committed; if the broker is down the row waits, queued, for
    # the sweep (tracker.jobs), and the person who asked gets their page at once.
    transaction.on_commit(lambda: dispatch(snapshot, build_report_task))
    return snapshot


@shared_task(
    acks_late=True,
    autoretry_for=DATABASE_HICCUPS,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def build_national_task(snapshot_id: int) -> int | None:
    snapshot = NationalSnapshot.objects.filter(pk=snapshot_id).first()
    if snapshot is None:
        return None
    return national_build.run_national_build(snapshot).pk


@shared_task(acks_late=True, autoretry_for=DATABASE_HICCUPS, retry_backoff=5, max_retries=5)
def build_national_scheduled_task() -> int:
    """The scheduled run (NATIONAL_SCHEDULE, after the regions' weekly builds)."""
    return request_national(as_of=timezone.localdate()).pk


def request_national(*, as_of: date, by=None) -> NationalSnapshot:
    """Queue the ranking's build; sent once the row is committed, as reports are."""
    snapshot = NationalSnapshot.objects.create(as_of=as_of, requested_by=by)
    transaction.on_commit(lambda: dispatch(snapshot, build_national_task))
    return snapshot
