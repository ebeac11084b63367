"""A record of each spreadsheet import that wrote: who sent which file for which
department or region, and what it came to. The digital office's first page lists the
latest; an import that was refused or only previewed writes nothing, this included."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    class Kind(models.TextChoices):
        SERVICES = "services", _("service list")
        USAGE = "usage", _("monthly deliveries")
        DEPARTMENTS = "departments", _("department list")

    kind = models.CharField(_("what was imported"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    department = models.ForeignKey(
        "regions.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,  # a command run without a person (none so far) still leaves its record
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    created = models.PositiveIntegerField(_("rows added"), default=0)
    updated = models.PositiveIntegerField(_("rows changed"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["region", "-imported_at"], name="import_latest_of_region")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"
