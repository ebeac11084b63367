"""The criteria and the life events in the admin: set by the national level (national
analysts, superusers), read by everyone who sees any service, so a head knows what each
question means before answering it. Neither is deleted: a criterion is retired ("in
use" off) and keeps its answers; changing a criterion's level or use moves every
service's level at once (services.levels.recompute_levels), in the same save."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin

from regions.access import scope_for
from services.levels import recompute_levels
from services.models import Criterion, LifeEvent, Service
from tracker.admin_log import ReadableLogAdmin
from tracker.admin_titles import TitledAdmin


class NationalVocabularyAdmin(TitledAdmin, ReadableLogAdmin, ModelAdmin):
    # The code is for files and the API: on the row's page, not in the list a reader reads.
    list_display_links = ["display_name"]

    @admin.display(description=_("name"), ordering="name_ru")
    def display_name(self, obj):
        return obj.name

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if scope_for(request.user).may_set_criteria:
            return fields
        return [name for name in fields if name != "code"]  # for those who set it

    def has_module_permission(self, request):
        return scope_for(request.user).sees_anything

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return scope_for(request.user).may_set_criteria

    def has_change_permission(self, request, obj=None):
        return scope_for(request.user).may_set_criteria

    def has_delete_permission(self, request, obj=None):
        return False  # services are counted by them: retired, never deleted


@admin.register(Criterion)
class CriterionAdmin(NationalVocabularyAdmin):
    list_display = ["display_name", "level", "group", "active"]
    list_filter = ["level", "group", "active"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
    fields = ["code", "level", "group", "name_kk", "name_ru", "name_en", "order", "active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"level", "active"} & set(form.changed_data):
            moved = recompute_levels()
            self.message_user(
                request,
                ngettext(
                    "The level of %(count)d service changed.",
                    "The levels of %(count)d services changed.",
                    moved,
                )
                % {"count": moved},
                messages.INFO,
            )


@admin.register(LifeEvent)
class LifeEventAdmin(NationalVocabularyAdmin):
    list_display = ["display_name", "order", "services_count"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
    fields = ["code", "name_kk", "name_ru", "name_en", "order"]

    def get_queryset(self, request):
        # Counted among the services the reader sees, not the country's.
        seen = Service.objects.for_user(request.user).in_register().values("pk")
        counted = Count("services", filter=Q(services__in=seen), distinct=True)
        return super().get_queryset(request).annotate(counted=counted)

    @admin.display(description=_("services"), ordering="counted")
    def services_count(self, obj):
        return obj.counted
