"""Service lists for download, filtered like the admin and scoped like everything else.

Small lists stream straight back. Past EXPORT_BACKGROUND_ROWS rows the file is written by
a background job; the person follows its progress and downloads it when it is ready.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_GET

from services import exports
from services.filters import ServiceFilter
from services.models import ExportJob, Service
from tracker.jobs import dispatch, progress_response
from tracker.xlsx_cells import cut_cells_warning


@login_required
@require_GET
def services_csv(request):
    return _export(request, ExportJob.Format.CSV)


@login_required
@require_GET
def services_xlsx(request):
    return _export(request, ExportJob.Format.XLSX)


def _export(request, file_format: str):
    found = ServiceFilter(request.GET, queryset=Service.objects.for_user(request.user))
    if not found.is_valid():
        return _refused_filter(request, found)
    if found.qs.count() > settings.EXPORT_BACKGROUND_ROWS:
        return redirect("exports:job", pk=_queue(request, file_format).pk)
    filename = f"services-{timezone.localdate():%Y-%m-%d}.{file_format}"
    if file_format == ExportJob.Format.CSV:
        response = StreamingHttpResponse(
            exports.csv_lines(found.qs), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle, written = exports.xlsx_file(found.qs)
    if written.cut_cells:  # shown on the next page: the download itself cannot say it
        messages.warning(request, cut_cells_warning(written.cut_cells))
    return FileResponse(handle, as_attachment=True, filename=filename)


def _queue(request, file_format: str) -> ExportJob:
    from services.tasks import export_services_task

    parameters = {key: request.GET.getlist(key) for key in request.GET}
    job = ExportJob.objects.create(
        requested_by=request.user, format=file_format, parameters=parameters
    )
    transaction.on_commit(lambda: dispatch(job, export_services_task))  # see tracker.jobs
    return job


def _own_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
@require_GET
def job(request, pk):
    return render(request, "services/export_job.html", {"job": _own_job(request, pk)})


@login_required
@require_GET
def job_progress(request, pk):
    job = _own_job(request, pk)
    return progress_response(job, url=reverse("exports:job", args=[job.pk]))


@login_required
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404("The file is not ready.")
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1]
    )


def _refused_filter(request, found):
    """400 for a filter an export cannot read, on the project's page in the reader's
    language: each filter by its label, with the reason ("Status: select a valid choice")."""
    reasons = [
        f"{capfirst(found.form.fields[name].label or name)}: {' '.join(errors)}"
        for name, errors in found.form.errors.items()
    ]
    return render(request, "400.html", {"message": "; ".join(reasons)}, status=400)
