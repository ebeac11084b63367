"""What every background job row shares (report builds, exports): its states, marking
progress where pages can see it, the progress answer those pages poll — and the durable
outbox that gets every job to a worker.

The row is the outbox. A request commits it as queued and answers at once; the task is
sent after the commit (``dispatch``), and a send that fails because the broker is down is
only logged. Every minute the beat's sweep (``resend_lost``) sends again whatever is still
queued a while after its last send, and re-queues what a worker took but stopped
reporting on (``heartbeat_at``) — a worker killed mid-build, not Redis's one-hour
visibility timeout. A worker takes a job only by claiming it (``claim``), so a job sent
twice is still done once at a time.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class FrozenBuild(models.Model):
    """What every build that is frozen once done shares (a region's report, the national
    ranking): its state and progress as the pages show them, who asked, what it compares
    with, why it failed, and the outbox's times."""

    State = JobState

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # the build "since the last meeting" figures (or rank changes) are measured against
    previous = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compared with"),
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # the outbox: when the task was last sent, when its worker last reported
    dispatched_at = models.DateTimeField(_("sent to a worker"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard from its worker"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


def mark(job: models.Model, **fields) -> None:
    """Record progress at once (outside any transaction of the job) so pages can show it;
    each mark is also the worker's heartbeat."""
    fields["heartbeat_at"] = timezone.now()
    type(job).objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def record_failure(job: models.Model, error: Exception, message: str) -> None:
    """Mark the job failed with ``message`` ("… could not be built: %(reason)s"), the
    reason in the reader's words: a database's refusal as its own message, never its SQL
    (tracker.db_errors). If the database that broke the job refuses this too, it is only
    logged: the task retries, and the sweep takes the job back."""
    from tracker.db_errors import readable

    if isinstance(error, DatabaseError):
        reason = readable(error)
    else:
        reason = str(error).strip() or error.__class__.__name__
    try:
        mark(
            job,
            state=JobState.FAILED,
            error=message % {"reason": reason},
            finished_at=timezone.now(),
        )
    except DatabaseError:
        log.exception("Could not mark %s %s as failed", job._meta.label, job.pk)


def dispatch(job: models.Model, task) -> bool:
    """Send ``task`` for ``job`` now; False (and a log line) when the broker is out of
    reach: the job stays queued and the sweep sends it once the broker is back."""
    try:
        # No publish retries: the person who asked is waiting for the page, the sweep
        # retries for them.
        task.apply_async(args=[job.pk], retry=False)
    except Exception:  # whatever the broker's client raises when it cannot connect
        log.warning("Could not send %s %s; the sweep will send it again", task.name, job.pk)
        return False
    try:
        type(job).objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    except DatabaseError:
        # The task is on its way and a worker may already hold the row (SQLite locks a
        # table its writer holds): the note of the send is only the sweep's hint, not
        # worth failing the person's request for.
        log.warning("Could not note the send of %s %s", task.name, job.pk, exc_info=True)
    return True


def claim(job: models.Model) -> bool:
    """Take the job for this worker: from queued or failed (a retry), or from running when
    its worker stopped beating. False when another worker has it or it is done."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    claimable = Q(state__in=[JobState.QUEUED, JobState.FAILED]) | Q(
        state=JobState.RUNNING, heartbeat_at__lt=stale
    )
    taken = (
        type(job)
        .objects.filter(claimable, pk=job.pk)
        .update(state=JobState.RUNNING, heartbeat_at=now)
    )
    if taken:
        job.state, job.heartbeat_at = JobState.RUNNING, now
    return bool(taken)


def resend_lost(model, task) -> int:
    """The sweep for one kind of job: how many it sent again."""
    now = timezone.now()
    quiet = now - timedelta(seconds=settings.JOB_RESEND_AFTER_SECONDS)
    stale = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    # a worker took it and went silent (killed, its machine lost): queued again
    model.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=stale).update(
        state=JobState.QUEUED, dispatched_at=None
    )
    lost = model.objects.filter(state=JobState.QUEUED, created_at__lt=quiet).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=quiet)
    )
    return sum(dispatch(job, task) for job in lost.only("pk"))


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
