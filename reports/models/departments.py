"""Each department's figures in a finished report, as rows.

The report's content holds them too, with every lagging service; these rows hold only
the numbers, so comparing one kind of department across every region's latest report
(a department's place among its peers, the API's figures) reads a few hundred small
rows, not twenty reports' documents. Written with the report, never changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.kinds import DepartmentKind


class DepartmentFigures(models.Model):
    snapshot = models.ForeignKey(
        "reports.ReportSnapshot",
        models.CASCADE,
        related_name="department_figures",
        verbose_name=_("report"),
    )
    department = models.ForeignKey(
        "regions.Department", models.PROTECT, related_name="+", verbose_name=_("department")
    )
    # The department's kind when the report was built (regions.kinds).
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices, blank=True)
    total = models.PositiveIntegerField(_("services"))
    digital = models.PositiveIntegerField(_("electronic, claims included"))
    awaiting = models.PositiveIntegerField(_("electronic, awaiting verification"))
    share_verified = models.FloatField(_("share electronic, verified"), null=True)
    stale = models.BooleanField(_("data stale"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank in the region"))

    class Meta:
        verbose_name = _("department's figures")
        verbose_name_plural = _("departments' figures")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "department"], name="department_figures_once_a_report"
            )
        ]
        indexes = [models.Index(fields=["kind", "snapshot"], name="department_figures_kind")]

    def __str__(self):
        return f"{self.department_id} · {self.snapshot_id}"
