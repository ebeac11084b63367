"""API keys in the admin: a superuser makes one for anyone, any other user for themselves
(one who sees something here: a key reads what its user sees).

The key is shown once, in the message after it is made, and never again: only its first
characters are kept in clear (models.ApiToken). Each user lists and revokes (deletes)
their own keys; a superuser everyone's. A key is not edited: revoke it and make another.
"""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from regions.access import scope_for
from regions.admin import person_field
from tracker.admin_log import ReadableLogAdmin
from tracker.admin_titles import TitledAdmin
from tracker.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(TitledAdmin, ReadableLogAdmin, ModelAdmin):
    list_display = ["name", "user", "display_prefix", "created_at", "last_used_on"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]  # a superuser's choice among every user
    readonly_fields = ["display_prefix", "created_at", "display_created_by", "last_used_on"]
    # A key's page names people rather than linking their accounts' pages, which open
    # for superusers only.
    display_user = person_field("user", _("user"))
    display_created_by = person_field("created_by", _("created by"))

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def has_module_permission(self, request):
        # A key reads what its user sees: one who sees nothing here has no use for one
        # (and an empty admin). A superuser may still make one for them.
        user = request.user
        return user.is_active and (user.is_superuser or scope_for(user).sees_anything)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._mine(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._mine(request, obj)

    @staticmethod
    def _mine(request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.user_id == request.user.pk

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ["name", "display_user", *self.readonly_fields]
        # Another user's key is a superuser's to make; everyone else makes their own.
        return ["user", "name"] if request.user.is_superuser else ["name"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "name", "display_user"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and request.user.is_superuser:
            form.base_fields["user"].initial = request.user.pk
        return form

    def save_model(self, request, obj, form, change):
        if change:  # not offered (has_change_permission); never a new key by a change
            return
        if not request.user.is_superuser:
            obj.user = request.user
        obj.created_by = request.user
        key = obj.new_key()
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            format_html(
                "{} <code>{}</code>",
                gettext(
                    "The API key of %(user)s, shown only this once (copy it now): send it "
                    "as the header “Authorization: Token <key>”."
                )
                % {"user": obj.user},
                key,
            ),
            messages.SUCCESS,
        )

    @display(description=_("key begins with"))
    def display_prefix(self, obj):
        return f"{obj.prefix}…"
