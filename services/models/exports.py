"""Background exports of service lists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.jobs import JobState


class ExportJob(models.Model):
    """A large export built in the background, downloadable by the person who asked."""

    State = JobState

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    parameters = models.JSONField(_("filter"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("rows to write"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    # Said beside the download: e.g. cells Excel's limit cut (tracker.xlsx_cells).
    warning = models.TextField(_("warning"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # the outbox (tracker.jobs): when the task was last sent, when its worker last reported
    dispatched_at = models.DateTimeField(_("sent to a worker"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard from its worker"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_format_display()} · {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def progress(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.written * 100 // self.total) if self.total else 0
