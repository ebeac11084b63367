"""Notes that explain a jump on a region's charts ("the new register removed 12 services"),
written by its digital office, and their history. Written only by reports.notes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.translated import Translated
from tracker.append_only import AppendOnlyModel, AppendOnlyQuerySet

NOTE_LENGTH = 500  # a sentence or two under a chart, not a memo
TEXT_FIELDS = ("text_kk", "text_ru", "text_en")
# What a version keeps of its note: the note as the action left it.
NOTE_STATE_FIELDS = ("on", "department_id", "target_id", *TEXT_FIELDS)


def _text(verbose_name):
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=NOTE_LENGTH,
        validators=[MaxLengthValidator(NOTE_LENGTH)],
    )


class ReportNote(models.Model):
    """A note on a date of a region's report: what explains the figures' jump that day."""

    region = models.ForeignKey(
        "regions.Region",
        models.CASCADE,
        related_name="notes",
        verbose_name=_("region"),
        db_index=False,  # report_note_region_day starts with it
    )
    on = models.DateField(_("date"), help_text=_("The day whose figures the note explains."))
    department = models.ForeignKey(
        "regions.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="report_notes",
        verbose_name=_("department"),
        help_text=_("Empty: the whole region."),
    )
    # PROTECT: a target with notes is removed after its notes are changed, so every change
    # of a note has its version (reports.notes).
    target = models.ForeignKey(
        "reports.ProgressTarget",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("progress target"),
    )
    # One language is enough: a note written in a hurry before the meeting is still a note.
    text_kk = _text(_("note (Kazakh)"))
    text_ru = _text(_("note (Russian)"))
    text_en = _text(_("note (English)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    text = Translated()

    class Meta:
        verbose_name = _("report note")
        verbose_name_plural = _("report notes")
        ordering = ["region", "on"]
        indexes = [
            # A region's notes in a window of dates (reports.notes.notes_for).
            models.Index(fields=["region", "on"], name="report_note_region_day"),
        ]

    def __str__(self):
        return f"{self.on:%d.%m.%Y} · {self.text[:60]}"

    def clean(self):
        errors = {}
        if not any(getattr(self, name).strip() for name in TEXT_FIELDS):
            errors["__all__"] = _("Write the note in at least one language.")
        if self.region_id and self.department_id and self.department.region_id != self.region_id:
            errors["department"] = _("This department belongs to another region.")
        if self.region_id and self.target_id and self.target.region_id != self.region_id:
            errors["target"] = _("This target belongs to another region.")
        if errors:
            raise ValidationError(errors)


class NoteAction(models.TextChoices):
    ADDED = "added", _("added")
    CHANGED = "changed", _("changed")
    REMOVED = "removed", _("removed")


class ReportNoteVersion(AppendOnlyModel):
    """One add, change or removal of a report note, with the note as it left it. Never
    edited; kept when the note is removed."""

    Action = NoteAction

    # DO_NOTHING without a database constraint: the version keeps the note's id after the
    # note is removed, and no deletion ever rewrites a version.
    note = models.ForeignKey(
        ReportNote,
        models.DO_NOTHING,
        db_constraint=False,
        related_name="versions",
        verbose_name=_("report note"),
        db_index=False,  # report_note_version_history starts with it
    )
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    when = models.DateTimeField(_("when"), auto_now_add=True)

    # --- the note as this action left it (as it was, for a removal) ---
    on = models.DateField(_("date"))
    department = models.ForeignKey(
        "regions.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    # Its id only: a target removed later leaves the versions that named it as they were.
    target = models.ForeignKey(
        "reports.ProgressTarget",
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("progress target"),
    )
    text_kk = models.TextField(_("note (Kazakh)"), blank=True)
    text_ru = models.TextField(_("note (Russian)"), blank=True)
    text_en = models.TextField(_("note (English)"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    text = Translated()

    class Meta:
        verbose_name = _("report note version")
        verbose_name_plural = _("report notes' history")
        ordering = ["-when", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=NoteAction.values),
                name="report_note_version_action_valid",
            ),
        ]
        indexes = [
            # A note's history on its admin page, newest first.
            models.Index(fields=["note", "when"], name="report_note_version_history"),
        ]

    def __str__(self):
        return f"{self.note_id} · {self.get_action_display()} · {self.when:%d.%m.%Y %H:%M}"
