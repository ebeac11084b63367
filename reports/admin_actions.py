"""Admin actions of the reports app that other apps' admin pages offer."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from regions.access import reportable_regions
from reports.tasks import request_report


@admin.action(description=_("Build a report of the selected regions now"))
def build_report_now(modeladmin, request, queryset):
    allowed = reportable_regions(request.user).filter(pk__in=queryset.values("pk"))
    snapshots = [
        request_report(region, as_of=timezone.localdate(), by=request.user) for region in allowed
    ]
    refused = queryset.count() - len(snapshots)
    if snapshots:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d report queued; follow it under Report snapshots.",
                "%(count)d reports queued; follow them under Report snapshots.",
                len(snapshots),
            )
            % {"count": len(snapshots)},
            messages.SUCCESS,
        )
    if refused:
        modeladmin.message_user(
            request, _("Reports are built only for regions you see whole."), messages.WARNING
        )
