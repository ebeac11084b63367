"""The sign-in records in the admin, for superusers only: they hold addresses and names.

django-axes' own admin (switched off by AXES_ENABLE_ADMIN) keeps its columns and
fieldsets, which these inherit; what changes is what a reader sees: the records' names
(tracker.signin_records), a titled "status" column that counts attempts left in the
reader's language, the theme's look, and the page titles of tracker.admin_titles.
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin

from tracker.admin_log import ReadableLogAdmin
from tracker.admin_titles import TitledAdmin
from tracker.signin_records import FailedSignIn, SignIn, SignInAttempt


class SuperusersOnly:
    """Shown to superusers only, whatever permissions a role is given."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened: read, or deleted to unlock

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class SignInRecordAdmin(SuperusersOnly, TitledAdmin, ReadableLogAdmin, ModelAdmin):
    pass


@admin.register(SignInAttempt)
class SignInAttemptAdmin(SignInRecordAdmin, axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, attempt):
        limit = axes_settings.AXES_FAILURE_LIMIT
        left = limit - attempt.failures_since_start
        if left <= 0:
            return _("Locked out")
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes measures expiry from the time of the sign-in it is handling, kept on
        # the request by its sign-in handling only: its own action fails without it (500).
        # Here expiry is measured from now. And its own message, an f-string inside
        # gettext, is never translated.
        request.axes_attempt_time = timezone.now()
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d expired sign-in attempt removed.",
                "%(count)d expired sign-in attempts removed.",
                count,
            )
            % {"count": count},
        )


@admin.register(SignIn)
class SignInAdmin(SignInRecordAdmin, axes_admin.AccessLogAdmin):
    pass


@admin.register(FailedSignIn)
class FailedSignInAdmin(SignInRecordAdmin, axes_admin.AccessFailureLogAdmin):
    pass
