"""A finished report's headline figures, as columns beside its content.

The index of regions, the national page and the ranking compare every region's latest
report. Reading them from ``ReportSnapshot.content`` would load every report's whole
JSON (service lists, changes) to show one row of numbers; so when a build finishes, its
headline is copied into plain columns that pages sort, total and filter in SQL.
``headline_of(content)`` is the one place that says which figure is which.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.figures import share


class HeadlineFigures(models.Model):
    """The columns: null until the build is done (and for reports older than them,
    until the migration that fills them from their content). Shares, their change and
    the socially significant figures count verified services (reports built before the
    claims were shown apart counted them in); ``services_digital`` counts the claims too,
    ``services_awaiting`` says how many."""

    services_total = models.PositiveIntegerField(_("services"), null=True, blank=True)
    services_digital = models.PositiveIntegerField(
        _("electronic, claims included"), null=True, blank=True
    )
    services_awaiting = models.PositiveIntegerField(
        _("electronic, awaiting verification"), null=True, blank=True
    )
    share_digital = models.FloatField(_("share electronic"), null=True, blank=True)
    share_verified = models.FloatField(_("share electronic, verified"), null=True, blank=True)
    share_digital_change = models.FloatField(
        _("change of the share since the previous report"), null=True, blank=True
    )
    services_overdue = models.PositiveIntegerField(_("overdue targets"), null=True, blank=True)
    socially_significant = models.PositiveIntegerField(
        _("socially significant services"), null=True, blank=True
    )
    socially_significant_digital = models.PositiveIntegerField(
        _("socially significant services electronic"), null=True, blank=True
    )
    share_socially_significant = models.FloatField(
        _("share of socially significant services electronic"), null=True, blank=True
    )
    take_up = models.FloatField(_("digital take-up"), null=True, blank=True)
    usage_total = models.PositiveBigIntegerField(
        _("deliveries over the last year"), null=True, blank=True
    )
    departments_count = models.PositiveIntegerField(_("departments"), null=True, blank=True)
    stale_departments = models.PositiveIntegerField(
        _("departments with stale data"), null=True, blank=True
    )
    targets_count = models.PositiveIntegerField(_("share targets"), null=True, blank=True)
    targets_on_time = models.PositiveIntegerField(
        _("share targets met or on track"), null=True, blank=True
    )
    readiness_met = models.PositiveIntegerField(
        _("readiness figures at their target"), null=True, blank=True
    )
    readiness_known = models.PositiveIntegerField(
        _("readiness figures with a target"), null=True, blank=True
    )
    # How electronic (reports.maturity; null for reports before schema 4): services at each
    # verified level, 0 to 4; at level 2 or above; electronic ones still needing a visit;
    # and per life event [{code, services, verified, electronic_needing_visit}].
    levels = models.JSONField(_("services by level"), null=True, blank=True)
    level_two_or_above = models.PositiveIntegerField(
        _("services at level 2 or above"), null=True, blank=True
    )
    electronic_needing_visit = models.PositiveIntegerField(
        _("electronic services still needing a visit"), null=True, blank=True
    )
    life_events = models.JSONField(_("services by life event"), null=True, blank=True)

    class Meta:
        abstract = True


ON_TIME = {"met", "on_track"}  # services.targets.TargetState, as the content stores it
HEADLINE_FIELDS = [field.name for field in HeadlineFigures._meta.local_fields]


def headline_of(content: dict) -> dict:
    """The headline columns of a report's content (reports.build documents its shape)."""
    summary = content["summary"]
    total, digital = summary["total"], summary["digital"]
    awaiting = summary.get("awaiting_verification", 0)
    readiness = (content.get("readiness") or {}).get("indicators", [])
    known = [indicator for indicator in readiness if indicator.get("met") is not None]
    targets = content.get("targets") or []
    return {
        "services_total": total,
        "services_digital": digital,
        "services_awaiting": awaiting,
        "share_digital": summary["share_digital"],
        "share_verified": share(digital - awaiting, total),
        "share_digital_change": verified_change(summary),
        "services_overdue": summary["overdue"],
        "socially_significant": summary.get("socially_significant"),
        "socially_significant_digital": summary.get(
            "socially_significant_verified", summary.get("socially_significant_digital")
        ),
        "share_socially_significant": summary.get(
            "share_socially_significant_verified", summary.get("share_socially_significant_digital")
        ),
        "take_up": summary.get("take_up"),
        "usage_total": summary.get("usage_total"),
        "departments_count": len(content.get("departments", [])),
        "stale_departments": summary.get("stale_departments"),
        "targets_count": len(targets),
        "targets_on_time": sum(target["state"] in ON_TIME for target in targets),
        "readiness_met": sum(bool(indicator["met"]) for indicator in known) if readiness else None,
        "readiness_known": len(known) if readiness else None,
        **maturity_headline(content),
    }


LIFE_EVENT_FIGURES = ("code", "services", "verified", "electronic_needing_visit")


def maturity_headline(content: dict) -> dict:
    """The headline's levels and life events; None for a report without them."""
    levels = content["summary"].get("levels")
    if levels is None:
        return dict.fromkeys(
            ("levels", "level_two_or_above", "electronic_needing_visit", "life_events")
        )
    return {
        "levels": levels,
        "level_two_or_above": sum(levels[2:]),
        "electronic_needing_visit": content["summary"].get("electronic_needing_visit"),
        "life_events": [
            {key: event.get(key) for key in LIFE_EVENT_FIGURES}
            for event in content.get("life_events", [])
        ],
    }


def verified_change(summary: dict) -> float | None:
    """The change of the verified share (reports before verified-first counted the claims)."""
    delta = summary.get("delta") or {}
    return delta["share_verified"] if "share_verified" in delta else delta.get("share_digital")
