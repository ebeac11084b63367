"""The sign-in records django-axes keeps, under names a reader of any language can read.

django-axes names each record in English ("Attempted Access: …", "Access Log for …") in
code, where no catalog reaches, and its admin shows those names in every title, checkbox
and breadcrumb. These proxies are the same rows (same tables, no migration of data) named
by who and when only, in the reader's date format; tracker/signin_admin.py shows them in
place of django-axes' own admin (AXES_ENABLE_ADMIN is off).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class NamedByWhoAndWhen:
    """The record's name: its username and time."""

    def __str__(self):
        return who_and_when(self)


def who_and_when(record) -> str:
    """Its username and time, as in «admin — 01.12.2026 22:28»: the same in every language
    but for the date's format."""
    when = formats.date_format(timezone.localtime(record.attempt_time), "SHORT_DATETIME_FORMAT")
    return f"{record.username or '—'} — {when}"


class SignInAttempt(NamedByWhoAndWhen, AccessAttempt):
    """Wrong passwords from one address and browser for one username: the lockout's count."""

    class Meta:
        proxy = True
        app_label = "tracker"
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")


class SignIn(NamedByWhoAndWhen, AccessLog):
    """A successful sign-in, and when its session signed out."""

    class Meta:
        proxy = True
        app_label = "tracker"
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")


class FailedSignIn(NamedByWhoAndWhen, AccessFailureLog):
    """One wrong password, kept after the lockout's count is reset."""

    class Meta:
        proxy = True
        app_label = "tracker"
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
