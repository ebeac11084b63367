from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import TabularInline
from unfold.decorators import display

from regions.access import can_edit, scope_for
from regions.admin import ReadOnlyScopedAdmin, ScopedAdmin
from regions.models import Department
from services import actions
from services.filters import from_admin_parameters
from services.forms import ServiceForm, SetStatusActionForm
from services.import_admin import DepartmentImportMixin
from services.models import Channel, Service, Status, StatusChange, Usage
from services.resources import ServiceResource, UsageResource
from services.spreadsheets.formats import OfficeSpreadsheet, OfficeUsageSpreadsheet
from services.spreadsheets.importer import import_services, import_usage

STATUS_COLOURS = {
    Status.PAPER: "danger",
    Status.PARTIAL: "warning",
    Status.ELECTRONIC: "success",
    Status.PROACTIVE: "info",
}


class SeenDepartmentFilter(admin.RelatedFieldListFilter):
    """The departments the user may see, read from the departments table. (Django's
    "related only" filter would scan every service for their departments instead.)

    Someone who sees several regions picks the region first: then its departments are
    offered. Six hundred department links at once would be unusable, and would cost the
    page more than everything else on it."""

    def field_choices(self, field, request, model_admin):
        departments = Department.objects.for_user(request.user)
        region = request.GET.get(REGION_FILTER_PARAMETER)
        if region and region.isdigit():
            departments = departments.filter(region_id=region)
        elif _sees_several_regions(request.user):
            return []
        return [(department.pk, str(department)) for department in departments]


REGION_FILTER_PARAMETER = "department__region__id__exact"


def _sees_several_regions(user) -> bool:
    scope = scope_for(user)
    return scope.sees_everything or len(scope.seen_regions) > 1


class OverdueFilter(admin.SimpleListFilter):
    title = _("target")
    parameter_name = "target"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("set", _("has a target")), ("none", _("no target"))]

    def queryset(self, request, queryset):
        match self.value():
            case "overdue":
                return queryset.overdue(on=timezone.localdate())
            case "set":
                return queryset.exclude(target_status="")
            case "none":
                return queryset.filter(target_status="")
        return queryset


class ConfirmedFilter(admin.SimpleListFilter):
    """For the digital office: whose data has gone stale (STALE_AFTER_DAYS)."""

    title = _("data confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("not for %(days)d days") % {"days": settings.STALE_AFTER_DAYS}),
            ("current", _("recently")),
        ]

    def queryset(self, request, queryset):
        stale = queryset.stale(on=timezone.localdate(), days=settings.STALE_AFTER_DAYS)
        match self.value():
            case "stale":
                return stale
            case "current":
                return queryset.exclude(pk__in=stale.values("pk"))
        return queryset


class VerificationFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("awaiting", _("awaiting verification"))]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(awaiting_verification=True)
        return queryset


def _refusal_text(refusal) -> str:
    return "; ".join(refusal.messages) if hasattr(refusal, "messages") else str(refusal)


class StatusChangeInline(TabularInline):
    """The service's history, newest first, read-only for everyone."""

    model = StatusChange
    extra = 0
    can_delete = False
    show_title = False  # each row would repeat the service's own name
    fields = [
        "changed_at",
        "old_status",
        "new_status",
        "author",
        "comment",
        "evidence_url",
        "verification",
    ]
    readonly_fields = fields
    ordering = ["-changed_at", "-pk"]
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "review__reviewed_by")

    def has_view_permission(self, request, obj=None):
        # The parent service page is already scoped; whoever sees it sees its history.
        return scope_for(request.user).sees_anything

    @display(description=_("verification"))
    def verification(self, obj):
        review = getattr(obj, "review", None)
        if review is not None:
            text = _("%(decision)s by %(who)s") % {
                "decision": review.get_decision_display(),
                "who": review.reviewed_by.get_username(),
            }
            return f"{text}: {review.reason}" if review.reason else text
        return _("awaiting verification") if obj.needs_verification else "—"

    @display(description=_("changed by"))
    def author(self, obj):
        # Plain text, not a link: most readers may not open user accounts.
        return obj.changed_by.get_full_name() or obj.changed_by.get_username()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UsageInline(TabularInline):
    """Monthly deliveries by channel; the service's editors keep them, others read them."""

    model = Usage
    extra = 0
    fields = ["month", "channel", "count"]
    ordering = ["-month", "channel"]
    verbose_name_plural = _("usage by month and channel")

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).sees_anything

    def has_add_permission(self, request, obj=None):
        return obj is not None and can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and can_edit(request.user, obj)


@admin.register(Usage)
class UsageAdmin(DepartmentImportMixin, ScopedAdmin):
    """All usage rows the user may see, to check and correct what was entered, and the
    import of the monthly tables offices keep (a row per service and month, a column per
    channel)."""

    resource_classes = [UsageResource]
    import_formats = [OfficeUsageSpreadsheet]
    run_import = staticmethod(import_usage)

    list_display = ["month", "service", "channel", "count"]
    list_filter = ["channel", ("service__department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["service"]
    date_hierarchy = "month"
    raw_id_fields = ["service"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        return False  # entered on each service's page, where the service is known

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope_for(request.user).edits_anything
        return can_edit(request.user, obj.service)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(Service)
class ServiceAdmin(DepartmentImportMixin, ScopedAdmin):
    form = ServiceForm
    resource_classes = [ServiceResource]
    import_formats = [OfficeSpreadsheet]
    run_import = staticmethod(import_services)
    # the import button (django-import-export) plus our export links
    import_export_change_list_template = "admin/services/service/change_list.html"
    action_form = SetStatusActionForm
    actions = ["set_status_of_selected", "confirm_selected", "accept_claims", "reject_claims"]
    inlines = [UsageInline, StatusChangeInline]
    list_display = [
        "display_name",
        "department_name",
        "display_status",
        "display_verification",
        "socially_significant",
        "display_channels",
        "display_target",
        "last_confirmed",
    ]
    list_display_links = ["display_name"]
    list_select_related = ["department", "department__region"]
    list_filter = [
        ("department__region", admin.RelatedOnlyFieldListFilter),
        ("department", SeenDepartmentFilter),
        "status",
        "socially_significant",
        OverdueFilter,
        ConfirmedFilter,
        VerificationFilter,
        "sphere",
    ]
    list_per_page = 50
    search_fields = ["name_kk", "name_ru", "name_en", "register_code"]
    readonly_fields = ["last_confirmed", "version", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "department",
                    "register_code",
                    "name_kk",
                    "name_ru",
                    "name_en",
                    "sphere",
                    "socially_significant",
                    "provider_level",
                    "paid",
                ]
            },
        ),
        (
            _("Status"),
            {"fields": ["status", "status_comment", "evidence_url", "blocker", "expected_version"]},
        ),
        (_("Channels"), {"fields": [channel.field_name for channel in Channel]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "documents_before",
                    "documents_required",
                    "term_days_before",
                    "term_days",
                    "term_working_days",
                    "term_hours",
                ]
            },
        ),
        (_("Target"), {"fields": ["target_status", "target_date"]}),
        (_("Record"), {"fields": ["last_confirmed", "version", "created_at", "updated_at"]}),
    ]

    # --- who sees and changes what (regions.access) -------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).with_claims()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # the form checks whether this person's move is a claim
        return form

    def has_verify_permission(self, request):
        return scope_for(request.user).verifies_anything

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope_for(request.user).edits_anything
        return can_edit(request.user, obj)

    def has_add_permission(self, request):
        return scope_for(request.user).edits_anything

    def has_delete_permission(self, request, obj=None):
        return False  # a service's history must outlive any mistake; nobody deletes here

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only readers get the stored fields only: no comment box, no lock token.
        form_only = {"status_comment", "expected_version"}
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f not in form_only]})
            for title, options in fieldsets
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            editable = Department.objects.editable_by(request.user).select_related("region")
            kwargs["queryset"] = editable
            if len(editable) == 1:
                kwargs["initial"] = editable[0]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # Export links carry the list's current filters, so the file has the rows shown.
        query = urlencode(from_admin_parameters(request.GET))
        links = {
            f"export_{kind}_url": f"{reverse(f'exports:services_{kind}')}?{query}"
            for kind in ("xlsx", "csv")
        }
        return super().changelist_view(request, {**(extra_context or {}), **links})

    # --- writes go through services.actions --------------------------------------------

    def save_model(self, request, obj, form, change):
        comment = form.cleaned_data.get("status_comment", "")
        if change:
            edited = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in actions.EDITABLE_FIELDS or name == "status"
            }
            actions.update_service(
                obj,
                by=request.user,
                changes=edited,
                expected_version=form.cleaned_data["expected_version"],
                comment=comment,
            )
        else:
            fields = {
                name: form.cleaned_data[name]
                for name in actions.EDITABLE_FIELDS
                if name in form.cleaned_data and name != "department"
            }
            created = actions.create_service(
                department=form.cleaned_data["department"],
                by=request.user,
                status=form.cleaned_data["status"],
                comment=comment,
                **fields,
            )
            obj.pk = created.pk
            obj.__dict__.update(
                {f.attname: getattr(created, f.attname) for f in Service._meta.concrete_fields}
            )
            obj._state.adding = False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form already refuses a stale copy; this catches the rare race in between.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except actions.StaleVersion as conflict:
            self.message_user(request, conflict.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except ValidationError as refusal:  # the actions' last word, e.g. a claim's proof
            self.message_user(request, _refusal_text(refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("Set status of selected services"), permissions=["change"])
    def set_status_of_selected(self, request, queryset):
        status = request.POST.get("status", "")
        comment = request.POST.get("comment", "").strip()
        if status not in Status.values or not comment:
            self.message_user(
                request,
                _("Choose the new status and write a comment, then run the action again."),
                messages.ERROR,
            )
            return None
        try:
            changes = actions.set_status_many(
                queryset.select_related("department"),
                status=status,
                by=request.user,
                comment=comment,
            )
        except (PermissionDenied, ValidationError) as refusal:
            self.message_user(request, _refusal_text(refusal), messages.ERROR)
            return None
        self.message_user(
            request,
            ngettext(
                "%(count)d service moved to “%(status)s”.",
                "%(count)d services moved to “%(status)s”.",
                len(changes),
            )
            % {"count": len(changes), "status": Status(status).label},
            messages.SUCCESS,
        )
        return None

    @admin.action(
        description=_("Confirm the selected services' data are current"), permissions=["change"]
    )
    def confirm_selected(self, request, queryset):
        try:
            count = actions.confirm_services(queryset.select_related("department"), by=request.user)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d service confirmed.", "%(count)d services confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Accept the claims of the selected services"), permissions=["verify"]
    )
    def accept_claims(self, request, queryset):
        self._review(
            request, queryset, lambda change: actions.verify_claim(change, by=request.user)
        )

    @admin.action(
        description=_("Reject the claims of the selected services (reason: Comment)"),
        permissions=["verify"],
    )
    def reject_claims(self, request, queryset):
        reason = request.POST.get("comment", "").strip()
        if not reason:
            self.message_user(
                request, _("Write the reason in Comment, then run it again."), messages.ERROR
            )
            return
        self._review(
            request,
            queryset,
            lambda change: actions.reject_claim(change, by=request.user, reason=reason),
        )

    def _review(self, request, queryset, decide):
        reviewed = 0
        try:
            with transaction.atomic():  # all of the selection, or none of it
                for service in queryset.filter(awaiting_verification=True):
                    decide(service.status_changes.order_by("-changed_at", "-pk").first())
                    reviewed += 1
        except (PermissionDenied, ValidationError) as refusal:
            self.message_user(request, _refusal_text(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d claim reviewed.", "%(count)d claims reviewed.", reviewed)
            % {"count": reviewed},
            messages.SUCCESS,
        )

    # --- columns ------------------------------------------------------------------------

    @display(description=_("verification"), label={"awaiting": "warning"})
    def display_verification(self, obj):
        return ("awaiting", _("awaiting verification")) if obj.awaiting_verification else "—"

    @display(description=_("service"), ordering="name_ru")
    def display_name(self, obj):
        return obj.name

    @display(description=_("department"), ordering="department__code")
    def department_name(self, obj):
        return obj.department.short_name

    @display(description=_("status"), ordering="status", label=STATUS_COLOURS)
    def display_status(self, obj):
        return obj.status, obj.get_status_display()

    @display(description=_("channels"), label=True)
    def display_channels(self, obj):
        return [str(channel.short_label) for channel in obj.channels]

    @display(description=_("target"), ordering="target_date")
    def display_target(self, obj):
        if not obj.target_status:
            return "—"
        deadline = date_format(obj.target_date, "SHORT_DATE_FORMAT")
        target = f"{Status(obj.target_status).label} · {deadline}"
        if obj.is_overdue(on=timezone.localdate()):
            overdue = _("overdue")
            return f"{target} — {overdue}"
        return target


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyScopedAdmin):
    """The whole history, to read and search. Nobody adds, edits or deletes a row here."""

    list_display = ["changed_at", "service", "old_status", "new_status", "changed_by", "comment"]
    list_filter = ["new_status", ("service__department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["service", "changed_by"]
    search_fields = ["service__name_kk", "service__name_ru", "service__name_en", "comment"]
    date_hierarchy = "changed_at"

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
