"""The outbox's sweep (tracker.jobs): every JOB_SWEEP_SECONDS (a minute), jobs the broker
never got, or whose worker went silent, are sent again — and the worker running it says
it is alive, for the health page (tracker.health)."""

from celery import shared_task

from reports.models import NationalSnapshot, ReportSnapshot
from reports.tasks import build_national_task, build_report_task
from services.models import ExportJob
from services.tasks import export_services_task
from tracker.jobs import resend_lost
from tracker.models import WorkerHeartbeat


@shared_task(acks_late=True)
def resend_lost_jobs_task() -> int:
    # First: a worker running the sweep is alive, whatever the sweep finds to resend.
    WorkerHeartbeat.beat()
    return (
        resend_lost(ReportSnapshot, build_report_task)
        + resend_lost(NationalSnapshot, build_national_task)
        + resend_lost(ExportJob, export_services_task)
    )
