from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from regions.access import scope_for
from regions.admin import ReadOnlyScopedAdmin
from reports.models import ReportSnapshot


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnlyScopedAdmin):
    """Every build, with its state; the report itself opens on the report pages."""

    list_display = [
        "as_of",
        "region",
        "state",
        "progress",
        "trigger",
        "requested_by",
        "created_at",
        "open_report",
    ]
    list_filter = ["state", "trigger", ("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region", "requested_by"]
    fields = [
        "region",
        "as_of",
        "state",
        "progress",
        "trigger",
        "requested_by",
        "previous",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_module_permission(self, request):
        # Region reports are for people whose reach is a whole region (see for_user).
        scope = scope_for(request.user)
        return scope.sees_everything or bool(scope.seen_regions)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description=_("report"))
    def open_report(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:snapshot", args=[obj.pk]), _("open")
        )
