"""The outbox's sweep (tracker.jobs): every minute, jobs the broker never got, or whose
worker went silent, are sent again."""

from celery import shared_task

from reports.models import ReportSnapshot
from reports.tasks import build_report_task
from services.models import ExportJob
from services.tasks import export_services_task
from tracker.jobs import resend_lost


@shared_task(acks_late=True)
def resend_lost_jobs_task() -> int:
    return resend_lost(ReportSnapshot, build_report_task) + resend_lost(
        ExportJob, export_services_task
    )
