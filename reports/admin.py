from decimal import Decimal

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from regions.access import scope_for
from regions.admin import ReadOnlyScopedAdmin, ScopedAdmin, person_field
from regions.models import Department, Region
from reports.models import (
    NationalSnapshot,
    ProgressTarget,
    RankingIndicator,
    ReportNote,
    ReportNoteVersion,
    ReportSnapshot,
)
from reports.notes import remove_note, save_note
from services.models import Service


class RegionReportAdmin(ScopedAdmin):
    """Rows of a region's report that its digital office writes (targets, notes): read by
    whoever reads the region's report, written only for a region one edits, and pointing
    only at regions and departments one edits."""

    def get_queryset(self, request):
        return scope_for(request.user).filter_region_reports(super().get_queryset(request))

    def has_module_permission(self, request):
        return scope_for(request.user).sees_any_region_report

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return scope_for(request.user).edits_any_region

    def has_change_permission(self, request, obj=None):
        scope = scope_for(request.user)
        if obj is None:
            return scope.edits_any_region
        return scope.may_edit_region(obj.region_id)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        if db_field.name == "region":
            kwargs["queryset"] = scope.filter_edited_regions(Region.objects.all())
        if db_field.name == "department":
            kwargs["queryset"] = scope.filter_edited_regions(
                Department.objects.all(), region_field="region_id"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ProgressTarget)
class ProgressTargetAdmin(RegionReportAdmin):
    """Share targets of a region or its departments; the digital office sets them."""

    list_display = [
        "region",
        "department",
        "scope",
        "share",
        "deadline",
        "set_on",
        "baseline_share",
    ]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter), "scope"]
    list_select_related = ["region", "department"]
    fields = ["region", "department", "scope", "share", "deadline"]

    def save_model(self, request, obj, form, change):
        # The plan line starts from where the services stand on the day the target is set.
        if not change:
            obj.set_on = timezone.localdate()
            obj.baseline_share = current_share(obj)
        super().save_model(request, obj, form, change)


def current_share(target: ProgressTarget) -> Decimal:
    services = Service.objects.filter(department__region=target.region)
    if target.department_id:
        services = services.filter(department=target.department)
    if target.scope == ProgressTarget.Scope.SOCIALLY_SIGNIFICANT:
        services = services.filter(socially_significant=True)
    total = services.count()
    # verified, as the target's state will count them: a claim is no start of the plan line
    verified = services.electronic().with_claims().filter(awaiting_verification=False).count()
    return Decimal(round(100 * verified / total, 2)) if total else Decimal(0)


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
        "display_requested_by",
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
        return scope_for(request.user).sees_any_region_report

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    display_requested_by = person_field("requested_by", _("requested by"))

    @admin.display(description=_("report"))
    def open_report(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:snapshot", args=[obj.pk]), _("open")
        )


@admin.register(RankingIndicator)
class RankingIndicatorAdmin(ScopedAdmin):
    """The national ranking's method: each indicator's weight and thresholds, set by the
    national level. A ranking keeps the method it was built with, so changing it here
    changes the next ranking only."""

    list_display = ["key", "weight", "floor", "goal"]
    list_editable = ["weight", "floor", "goal"]
    list_display_links = ["key"]
    fields = ["key", "weight", "floor", "goal"]

    def _sets_ranking(self, request) -> bool:
        return scope_for(request.user).may_set_ranking

    def has_module_permission(self, request):
        return self._sets_ranking(request)

    def has_view_permission(self, request, obj=None):
        return self._sets_ranking(request)

    def has_add_permission(self, request):
        return self._sets_ranking(request)

    def has_change_permission(self, request, obj=None):
        return self._sets_ranking(request)

    def has_delete_permission(self, request, obj=None):
        return self._sets_ranking(request)


@admin.register(NationalSnapshot)
class NationalSnapshotAdmin(ReadOnlyScopedAdmin):
    """Every build of the national ranking, with its state; it opens on its page."""

    list_display = ["as_of", "state", "progress", "requested_by", "created_at", "open_ranking"]
    list_filter = ["state"]
    list_select_related = ["requested_by"]
    fields = ["as_of", "state", "progress", "requested_by", "previous", "error", "created_at",
              "started_at", "finished_at"]  # fmt: skip
    readonly_fields = fields

    def has_module_permission(self, request):
        return scope_for(request.user).sees_national_view

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description=_("ranking"))
    def open_ranking(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:ranking_one", args=[obj.pk]), _("open")
        )


@admin.register(ReportNote)
class ReportNoteAdmin(RegionReportAdmin):
    """Notes explaining a date's jump on a region's charts: its digital office writes them,
    those who read the region's report read them. Every write goes through reports.notes,
    which keeps their history."""

    list_display = ["on", "region", "department", "display_text", "display_created_by"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region", "department", "created_by"]
    fields = [
        "region",
        "on",
        "department",
        "target",
        "text_kk",
        "text_ru",
        "text_en",
        "display_created_by",
        "display_history",
    ]
    readonly_fields = ["display_created_by", "display_history"]
    display_created_by = person_field("created_by", _("written by"))
    date_hierarchy = "on"

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj else [name for name in fields if name not in self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target":
            scope = scope_for(request.user)
            kwargs["queryset"] = scope.filter_edited_regions(
                ProgressTarget.objects.select_related("region", "department"),
                region_field="region_id",
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        save_note(obj, by=request.user)

    def delete_model(self, request, obj):
        remove_note(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # The action's rows are those listed; only the editable ones are removed.
        editable = scope_for(request.user).filter_edited_regions(queryset, region_field="region_id")
        with transaction.atomic():
            for note in editable:
                remove_note(note, by=request.user)

    @admin.display(description=_("note"))
    def display_text(self, obj):
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("history"))
    def display_history(self, obj):
        versions = obj.versions.select_related("who", "department", "target__department")
        columns = ["when", "action", "who", "on", "department", "target", *TEXT_COLUMNS]
        head = format_html_join(
            "",
            '<th class="px-2 py-1 text-left">{}</th>',
            ((ReportNoteVersion._meta.get_field(name).verbose_name,) for name in columns),
        )
        rows = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (format_html_join("", '<td class="px-2 py-1 align-top">{}</td>', cells),)
                for cells in (_version_cells(version) for version in versions)
            ),
        )
        return format_html(
            '<table class="w-full text-sm"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
            head,
            rows,
        )


TEXT_COLUMNS = ["text_kk", "text_ru", "text_en"]


def _version_cells(version: ReportNoteVersion):
    who = version.who
    return [
        (date_format(timezone.localtime(version.when), "SHORT_DATETIME_FORMAT"),),
        (version.get_action_display(),),
        ((who.get_full_name() or who.get_username()) if who else "—",),
        (date_format(version.on, "SHORT_DATE_FORMAT"),),
        (version.department or "—",),
        (version.target or "—",),
        *((getattr(version, name) or "—",) for name in TEXT_COLUMNS),
    ]
