from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from regions.access import scope_for
from regions.models import Department, Membership, Readiness, Region, User
from reports.admin_actions import build_report_now


class ScopedAdmin(ModelAdmin):
    """Admin whose rows and rights come from regions.access, never from auth permissions.

    An object outside the user's scope is a 404 whatever the URL (change, history,
    delete), so its existence is not revealed.
    """

    def has_module_permission(self, request):
        return scope_for(request.user).sees_anything

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).sees_anything

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Not found, or not yours to see."))
        return obj


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Records that are written by the system only (history, report builds): read, never
    added, changed or deleted here — not even by a superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyEditing:
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # services and history hang off these rows


@admin.register(Region)
class RegionAdmin(SuperuserOnlyEditing, ScopedAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en", "kind", "centre"]
    actions = [build_report_now]
    list_filter = ["kind"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]

    def get_queryset(self, request):
        return scope_for(request.user).filter_regions(super().get_queryset(request))


@admin.register(Department)
class DepartmentAdmin(SuperuserOnlyEditing, ScopedAdmin):
    list_display = ["code", "name", "region"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(Readiness)
class ReadinessAdmin(ScopedAdmin):
    """Connectivity and digital skills per region and period: the digital office's figures."""

    list_display = [
        "region",
        "period",
        "villages_without_internet",
        "territory_coverage",
        "digital_literacy",
        "internet_users",
    ]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(region__in=scope_for(request.user).filter_regions(Region.objects.all()))
        )

    def has_add_permission(self, request):
        scope = scope_for(request.user)
        return scope.edits_everything or bool(scope.edited_regions)

    def has_change_permission(self, request, obj=None):
        scope = scope_for(request.user)
        if obj is None:
            return self.has_add_permission(request)
        return scope.edits_everything or obj.region_id in scope.edited_regions

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            scope = scope_for(request.user)
            regions = Region.objects.all()
            kwargs["queryset"] = (
                regions if scope.edits_everything else regions.filter(pk__in=scope.edited_regions)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department", "region"]
    fields = ["role", "department", "region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    """Accounts and their memberships: the superuser's job."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "is_staff"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Access comes from memberships; auth groups would only suggest otherwise.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
