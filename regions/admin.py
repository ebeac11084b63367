from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.results import RowResult
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.widgets import UnfoldForeignKeyRawIdWidget

from regions import restructure
from regions.access import scope_for
from regions.choose_department import choose_department
from regions.department_lists import COLUMN_FIELDS, DepartmentSpreadsheet
from regions.forms import DepartmentAliasFormSet, DepartmentConfirmImportForm, DepartmentImportForm
from regions.models import (
    Department,
    DepartmentAlias,
    DepartmentChange,
    Membership,
    Readiness,
    Region,
    User,
)
from regions.resources import DepartmentResource
from reports.admin_actions import build_report_now
from services.import_admin import SpreadsheetImportMixin
from tracker import two_factor
from tracker.admin_log import ReadableLogAdmin
from tracker.admin_titles import TitledAdmin


class ScopedRawIdWidget(UnfoldForeignKeyRawIdWidget):
    """A raw id box that names only the rows its field offers: a refused id of another
    department's row is shown bare, not with that row's name and a link to it."""

    def label_and_url_for_value(self, value):
        offered = getattr(self, "choices", None)  # the form field's queryset, set by it
        if offered is not None:
            key = self.rel.get_related_field().name
            try:
                if not offered.queryset.filter(**{key: value}).exists():
                    return "", ""
            except (ValueError, TypeError, ValidationError):
                return "", ""
        return super().label_and_url_for_value(value)


class ScopedAdmin(TitledAdmin, ReadableLogAdmin, ModelAdmin):
    """Admin whose rows and rights come from regions.access, never from auth permissions.

    An object outside the user's scope is a 404 whatever the URL (change, history,
    delete), so its existence is not revealed; a raw id box names only the rows its field
    offers (ScopedRawIdWidget), so a refused id reveals nothing either.
    """

    # None of the theme's expandable row sections. Said, because the theme's list asks
    # for them twice a row, and a name a class lacks costs Django's templates a dir() of
    # the whole admin class each time: a tenth of a 50-row list.
    list_sections = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return scope_for(request.user).sees_anything

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).sees_anything

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Not found, or not yours to see."))
        return obj


def person(user) -> str:
    """Who did something, by name: an account's page opens for superusers only, so a
    read-only page names the person rather than linking a page that would refuse."""
    return (user.get_full_name() or user.get_username()) if user else "—"


def person_field(name: str, description):
    """A read-only field (a ModelAdmin method) naming the user in the foreign key `name`
    by person(), where Django would link the account's page."""

    @admin.display(description=description, ordering=name)
    def display(model_admin, obj):
        return person(getattr(obj, name))

    return display


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


class PublishedFilter(admin.SimpleListFilter):
    """Which regions the open-data API shows to anyone (Region.published_on)."""

    title = _("open data")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("published")), ("no", _("not published"))]

    def queryset(self, request, queryset):
        match self.value():
            case "yes":
                return queryset.published()
            case "no":
                return queryset.exclude(pk__in=queryset.published().values("pk"))
        return queryset


@admin.register(Region)
class RegionAdmin(SuperuserOnlyEditing, ScopedAdmin):
    """Regions are the superuser's (the fixture of the 20); a region's digital office
    decides one thing of its own here: whether and from when it is published as open
    data (the field, or the actions)."""

    list_display = [
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "kind",
        "display_centre",
        "published_on",
    ]
    actions = [build_report_now, "publish_as_open_data", "withdraw_from_open_data"]

    @display(description=_("administrative centre"))
    def display_centre(self, region):
        return region.centre  # in the reader's language

    list_filter = ["kind", PublishedFilter]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]

    def get_queryset(self, request):
        return scope_for(request.user).filter_regions(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        scope = scope_for(request.user)
        return scope.publishes_any_region if obj is None else scope.may_publish_region(obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        names = [field.name for field in Region._meta.fields if field.editable]
        return [name for name in names if name != "published_on"]

    def has_publish_permission(self, request):
        return scope_for(request.user).publishes_any_region

    @admin.action(description=_("Publish as open data"), permissions=["publish"])
    def publish_as_open_data(self, request, queryset):
        """From today; a region already published keeps its date, a planned one starts now."""
        today = timezone.localdate()
        allowed = scope_for(request.user).filter_publishable_regions(queryset)
        count = allowed.exclude(published_on__lte=today).update(published_on=today)
        self.message_user(
            request,
            ngettext(
                "%(count)d region published as open data from today.",
                "%(count)d regions published as open data from today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw from open data"), permissions=["publish"])
    def withdraw_from_open_data(self, request, queryset):
        allowed = scope_for(request.user).filter_publishable_regions(queryset)
        count = allowed.exclude(published_on=None).update(published_on=None)
        self.message_user(
            request,
            ngettext(
                "%(count)d region withdrawn from open data.",
                "%(count)d regions withdrawn from open data.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class TranslationMissingFilter(admin.SimpleListFilter):
    """Departments known in one official language only: what the digital office still
    has to name in the other."""

    title = _("translation missing")
    parameter_name = "translation_missing"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        one_language = Q(name_kk="") | Q(name_ru="")
        match self.value():
            case "yes":
                return queryset.filter(one_language)
            case "no":
                return queryset.exclude(one_language)
        return queryset


class DepartmentAliasInline(TabularInline):
    """The other ways files name the department; every import of the region reads them."""

    model = DepartmentAlias
    formset = DepartmentAliasFormSet
    fk_name = "department"
    extra = 0
    fields = ["label", "level", "display_created_by"]
    readonly_fields = ["display_created_by"]
    display_created_by = person_field("created_by", _("added by"))

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).sees_anything  # the department page is scoped

    def has_add_permission(self, request, obj=None):
        return obj is not None and scope_for(request.user).may_manage_departments(obj.region_id)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A wrong alias sends services to the wrong department: it must be removable.
        return self.has_add_permission(request, obj)


class DepartmentListImportMixin(SpreadsheetImportMixin):
    """django-import-export's upload, preview and confirm of a region's department list,
    into a region the person manages (regions.access), checked again on confirming; the
    upload kept and confirmed as services.import_admin.SpreadsheetImportMixin keeps it."""

    place_field = "region"
    resource_classes = [DepartmentResource]
    import_formats = [DepartmentSpreadsheet]
    import_form_class = DepartmentImportForm
    confirm_form_class = DepartmentConfirmImportForm

    def has_import_permission(self, request):
        return scope_for(request.user).manages_any_departments

    def _managed_regions(self, request):
        return scope_for(request.user).filter_managed_regions(Region.objects.all())

    def get_import_form_kwargs(self, request):
        return {
            **super().get_import_form_kwargs(request),
            "regions": self._managed_regions(request),
        }

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form),
            "regions": self._managed_regions(request),
        }

    def get_import_resource_kwargs(self, request, **kwargs):
        # Also called with the empty form, only to list the columns the import knows.
        cleaned = getattr(kwargs.get("form"), "cleaned_data", {})
        return {"region": cleaned.get("region"), "user": request.user}

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "fields_list" in context:  # the columns the import reads, named for people
            resource = DepartmentResource(user=request.user)
            context["fields_list"] = [
                (resource.get_display_name(), resource.readable_column_names())
            ]
        result = context.get("result")
        if result is not None and not (result.has_errors() or result.has_validation_errors()):
            for warning in getattr(result, "warnings", []):
                messages.warning(request, warning)
            self._tell_missing_translations(request, result, preview=True)
        return response

    def add_success_message(self, result, request):
        messages.success(
            request,
            gettext("Departments imported: %(new)d new, %(changed)d changed, %(same)d unchanged.")
            % {
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "changed": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "same": result.totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )
        self._tell_missing_translations(request, result, preview=False)

    def _tell_missing_translations(self, request, result, *, preview: bool) -> None:
        missing = getattr(result, "missing_translation", [])
        if not missing:
            return
        count = len(missing)
        if preview:
            text = ngettext(
                "%(count)d department will have a name in one language only: %(list)s.",
                "%(count)d departments will have a name in one language only: %(list)s.",
                count,
            ) % {"count": count, "list": "; ".join(missing)}
            messages.warning(request, text)
            return
        text = ngettext(
            "%(count)d department has a name in one language only.",
            "%(count)d departments have a name in one language only.",
            count,
        ) % {"count": count}
        query = {TranslationMissingFilter.parameter_name: "yes"}
        region = getattr(result, "region", None)
        if region is not None:
            query["region__id__exact"] = region.pk
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        messages.warning(
            request,
            format_html(
                '{} <a class="underline" href="{}?{}">{}</a>',
                text,
                url,
                urlencode(query),
                gettext("Give them the other name"),
            ),
        )


def _chooses_a_services_department(request) -> bool:
    """Whether this is the admin's autocomplete asking for a service's department."""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("app_label") == "services"
        and request.GET.get("model_name") == "service"
        and request.GET.get("field_name") == "department"
    )


@admin.register(Department)
class DepartmentAdmin(DepartmentListImportMixin, ScopedAdmin):
    """Departments: everyone reads those in their scope; the region's digital office (and
    a superuser) renames them, sets their level and aliases, and imports the list. Only a
    superuser adds one by hand; nobody deletes one (services and history hang off it)."""

    inlines = [DepartmentAliasInline]
    actions = ["merge_selected"]
    list_display = [
        "code",
        "display_name",
        "level",
        "kind",
        "region",
        "display_translation",
        "display_closed",
    ]
    list_display_links = ["code", "display_name"]
    list_filter = [
        ("region", admin.RelatedOnlyFieldListFilter),
        "level",
        "kind",
        TranslationMissingFilter,
    ]
    list_select_related = ["region"]
    search_fields = ["code", "name_kk", "name_ru", "name_en", "aliases__label"]
    # a department list's columns, and what the department is for (regions.kinds)
    fields = ["region", *COLUMN_FIELDS, "kind", "display_history"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj else [name for name in fields if name != "display_history"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _chooses_a_services_department(request):
            # A service's department typed on its page (tracker.widgets.RegionDepartmentChoice):
            # the departments this person may put a service in, of the service's region.
            queryset = queryset.filter(
                pk__in=Department.objects.editable_by(request.user).values("pk")
            )
            region = request.GET.get("region", "")
            if region.isdigit():
                queryset = queryset.filter(region_id=int(region))
        return queryset, may_have_duplicates

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        scope = scope_for(request.user)
        if obj is None:
            return scope.manages_any_departments
        return scope.may_manage_departments(obj.region_id)

    def has_delete_permission(self, request, obj=None):
        return False  # services and history hang off these rows

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["display_history"]
        # Codes are how commands, exports and other files name a department: the
        # superuser's (or an import's) to change, not a form's.
        return ["region", "code", "display_history"]

    def save_model(self, request, obj, form, change):
        """A rename (or any edit) keeps the department as it was in its history: reports of
        earlier days name it so."""
        before = restructure.state_of(Department.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        kind = DepartmentChange.Kind.EDITED if change else DepartmentChange.Kind.CREATED
        restructure.record(obj, by=request.user, kind=kind, before=before)

    def has_manage_departments_permission(self, request):
        return scope_for(request.user).manages_any_departments

    @admin.action(
        description=_("Merge the selected into another department"),
        permissions=["manage_departments"],
    )
    def merge_selected(self, request, queryset):
        departments = list(queryset.filter(closed_on__isnull=True))
        return choose_department(
            self,
            request,
            objects=departments,
            region_ids={department.region_id for department in departments},
            action="merge_selected",
            title=gettext("Merge departments"),
            explanation=gettext(
                "Every service of these departments moves, with a row in its history, and "
                "they close today. Reports of earlier days show them as they were; the next "
                "report compares the merged department with all of them together."
            ),
            apply=lambda into, comment: sum(
                restructure.merge(absorbed, into=into, by=request.user, comment=comment)
                for absorbed in departments
            ),
            done=lambda count, into: (
                ngettext(
                    "Merged into %(department)s: %(count)d service moved.",
                    "Merged into %(department)s: %(count)d services moved.",
                    count,
                )
                % {"count": count, "department": into}
            ),
            exclude=[department.pk for department in departments],
        )

    @display(description=_("history"))
    def display_history(self, obj):
        return render_to_string(
            "admin/regions/department/_history.html",
            {"history": obj.history.select_related("changed_by", "other")},
        )

    @display(description=_("closed"), label={"closed": "danger"})
    def display_closed(self, obj):
        if obj.closed_on:
            return "closed", date_format(obj.closed_on, "SHORT_DATE_FORMAT")
        return "—"

    def save_formset(self, request, form, formset, change):
        if formset.model is not DepartmentAlias:
            return super().save_formset(request, form, formset, change)
        for alias in formset.save(commit=False):
            if alias.pk is None:
                alias.created_by = request.user
            alias.save()
        for alias in formset.deleted_objects:
            alias.delete()
        return None

    @display(description=_("name"), ordering="name_ru")
    def display_name(self, obj):
        return obj.name

    @display(description=_("translation missing"), label={"missing": "warning"})
    def display_translation(self, obj):
        if obj.translation_missing:
            return "missing", _("no Kazakh name") if not obj.name_kk else _("no Russian name")
        return "—"


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
        return scope_for(request.user).edits_any_region

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return scope_for(request.user).may_edit_region(obj.region_id)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = scope_for(request.user).filter_edited_regions(Region.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department", "region"]
    fields = ["role", "department", "region"]


@admin.register(User)
class UserAdmin(TitledAdmin, ReadableLogAdmin, BaseUserAdmin, ModelAdmin):
    """Accounts and their memberships: the superuser's job."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [MembershipInline]
    list_display = [
        "username",
        "last_name",
        "first_name",
        "email",
        "is_active",
        "is_staff",
        "display_second_factor",
    ]
    # For a user who lost the phone with their authenticator app (tracker.two_factor).
    actions = [two_factor.remove_second_factor]
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

    def has_remove_second_factor_permission(self, request):
        return request.user.is_superuser

    def get_queryset(self, request):
        return two_factor.with_second_factor(super().get_queryset(request))

    @display(description=_("Two-step sign-in"), boolean=True, ordering="has_second_factor")
    def display_second_factor(self, obj):
        return obj.has_second_factor


# Access comes from memberships; auth groups would only suggest otherwise.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
