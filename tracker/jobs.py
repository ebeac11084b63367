"""What every background job row shares (report builds, exports): its states, marking
progress where pages can see it, and the progress answer those pages poll."""

from django.db import models
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def mark(job: models.Model, **fields) -> None:
    """Record progress at once (outside any transaction of the job) so pages can show it."""
    type(job).objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def progress_response(job, *, url: str) -> JsonResponse:
    """What tracker/static/tracker/progress.js polls."""
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "progress": job.progress,
            "error": job.error,
            "url": url,
        }
    )
