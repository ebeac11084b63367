"""Background exports: a thin task taking the job's id, as report builds do."""

import tempfile
from pathlib import Path

from celery import shared_task
from django.core.files import File
from django.db import InterfaceError, OperationalError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from services import exports
from services.filters import ServiceFilter
from services.models import ExportJob, Service
from tracker.jobs import claim, record_failure
from tracker.jobs import mark as _mark
from tracker.xlsx_cells import cut_cells_warning


@shared_task(
    acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5
)
def export_services_task(job_id: int) -> int | None:
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.state == ExportJob.State.DONE:
        return None
    run_export(job)
    return job.pk


def run_export(job: ExportJob) -> ExportJob:
    """Write the job's file with the rows its requester may see, reporting progress."""
    found = ServiceFilter(
        _query(job.parameters), queryset=Service.objects.for_user(job.requested_by)
    )
    if not found.is_valid():  # an invalid filter would otherwise mean "everything"
        _mark(
            job,
            state=ExportJob.State.FAILED,
            finished_at=timezone.now(),
            error=_("The export could not be written: %(reason)s")
            % {"reason": found.errors.as_text()},
        )
        return job
    queryset = found.qs
    if not claim(job):
        return job  # done already, or another worker is writing it now
    try:  # the first write included: a retry claims a failed job, not a "running" one
        _mark(job, total=queryset.count(), written=0)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"services-{timezone.localdate():%Y-%m-%d}.{job.format}"
            if job.format == ExportJob.Format.XLSX:
                written = exports.write_xlsx(
                    queryset, str(path), on_row=lambda count: _mark(job, written=count)
                )
            else:
                written = exports.write_csv(
                    queryset, str(path), on_row=lambda count: _mark(job, written=count)
                )
            with path.open("rb") as handle:
                job.file.save(path.name, File(handle), save=False)
        job.state, job.written, job.finished_at = ExportJob.State.DONE, written.rows, timezone.now()
        job.warning = cut_cells_warning(written.cut_cells) if written.cut_cells else ""
        job.save(update_fields=["file", "state", "written", "warning", "finished_at"])
    except Exception as error:
        record_failure(job, error, _("The export could not be written: %(reason)s"))
        raise
    return job


def _query(parameters: dict) -> QueryDict:
    """The request's query string again, as the export view read it: every value of a
    repeated key (status=paper&status=partial), each filter reading its own as it would."""
    query = QueryDict(mutable=True)
    for key, values in parameters.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


@shared_task(
    acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5
)
def remind_stale_heads_task() -> int:
    """The weekly reminder (REMINDER_SCHEDULE); safe to run twice, it only sends email."""
    from services.reminders import remind_stale_heads

    return remind_stale_heads()
