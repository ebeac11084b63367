"""The optional second factor at sign-in: a six-digit code from an authenticator app (TOTP,
django-otp's ``otp_totp`` devices).

Any staff user may switch it on from their own page (tracker/two_factor_page.py); from
then on the admin's one sign-in form asks for the code along with the password. A missing
or wrong code refuses the sign-in like a wrong password does, and counts as a failed
attempt for django-axes, so the lockout that throttles password guessing throttles code
guessing too (the device's own back-off, django-otp's, adds to it). With
``TWO_FACTOR_REQUIRED`` a staff user without a device is sent to set one up before any
other page. A superuser removes a lost device with the user list's action.
"""

import math
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.forms import AuthenticationForm
from unfold.widgets import BASE_INPUT_CLASSES


def confirmed_device(user) -> TOTPDevice | None:
    """The device that signs ``user`` in, once its first code has confirmed it."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def with_second_factor(users):
    """Users annotated with ``has_second_factor`` (the admin's user list)."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return users.annotate(has_second_factor=Exists(confirmed))


def check_code(device: TOTPDevice, code: str) -> str | None:
    """None when ``code`` is the device's current code; else why not, for the reader.

    The device row is locked while it is checked, so two requests cannot both spend one
    code (django-otp refuses a code of a time step already used); a wrong code makes the
    device wait 1, 2, 4… seconds before it checks another."""
    wrong = gettext(
        "This code is wrong or has expired: enter the code your authenticator app shows now."
    )
    code = "".join((code or "").split())  # "123 456", as some apps show it
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()
        if device is None:  # removed meanwhile (by a superuser, or in another tab)
            return wrong
        allowed, why = device.verify_is_allowed()
        if not allowed:
            until = (why or {}).get("locked_until") or timezone.now()
            seconds = max(math.ceil((until - timezone.now()).total_seconds()), 1)
            return ngettext(
                "Too many wrong codes: try again in %(seconds)d second.",
                "Too many wrong codes: try again in %(seconds)d seconds.",
                seconds,
            ) % {"seconds": seconds}
        # ASCII digits only: int() would also take "٣" or " 1_2 ".
        well_formed = re.fullmatch(rf"[0-9]{{{device.digits}}}", code) is not None
        if not (well_formed and device.verify_token(code)):
            return wrong
    return None


# --- Signing in -----------------------------------------------------------------------------


class SignInForm(AuthenticationForm):
    """The admin's sign-in: username, password and, for those who switched it on, the code.

    Left empty by users without a device. The password is checked first (by django-axes
    and Django's backend), then the code, so a message about the code does tell that the
    password was right: the lockout is what keeps passwords from being guessed, and a
    wrong code counts toward it as a wrong password does."""

    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        required=False,
        help_text=_("Only if you have switched on two-step sign-in: six digits."),
        widget=forms.TextInput(
            attrs={
                "class": " ".join(BASE_INPUT_CLASSES),
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "maxlength": "16",
            }
        ),
    )

    def clean(self):
        cleaned_data = super().clean()  # the password (throttled), then staff only
        user = self.get_user()
        device = confirmed_device(user) if user is not None else None
        if device is None:
            return cleaned_data
        code = "".join(cleaned_data.get("otp_token", "").split())
        if not code:
            problem = gettext(
                "Two-step sign-in is on for this account: enter the six-digit code from "
                "your authenticator app."
            )
        else:
            problem = check_code(device, code)
        if problem:
            # What django.contrib.auth.authenticate() sends for a wrong password: django-axes
            # counts it against this username and address, and locks them out at the limit.
            user_login_failed.send(
                sender=type(self),
                credentials={"username": cleaned_data.get("username")},
                request=self.request,
            )
            self.user_cache = None
            raise ValidationError({"otp_token": problem})
        user.otp_device = device  # django-otp marks the session as verified at login
        return cleaned_data


# --- When the second factor is required --------------------------------------------------------


def _open_without_second_factor(request) -> bool:
    """The pages a user who still has to set up the second factor may open."""
    return request.path in {
        reverse("admin:two_factor"),
        reverse("admin:login"),
        reverse("admin:logout"),
        reverse("admin:jsi18n"),
        reverse("set_language"),
    }


class SecondFactorRequiredMiddleware:
    """With ``TWO_FACTOR_REQUIRED``, a staff user whose session no code confirmed sees only
    the page that sets one up (and signing out, the language switcher).

    A user who has a device but a session without its code (signed in before setting it
    up in another browser) is signed out and asked for the code. Placed after django-otp's
    OTPMiddleware, which tells whether the session's code was checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TWO_FACTOR_REQUIRED and self._must_stop(request):
            if confirmed_device(request.user) is not None:
                logout(request)
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            return redirect("admin:two_factor")
        return self.get_response(request)

    @staticmethod
    def _must_stop(request) -> bool:
        user = request.user
        return (
            user.is_authenticated
            and user.is_staff
            and not user.is_verified()
            and not _open_without_second_factor(request)
        )


# --- Where people find it ------------------------------------------------------------------


def account_links(request) -> list[dict]:
    """The admin's user menu (UNFOLD["ACCOUNT"]): unfold shows these instead of its own
    "Change password", so that one is given back here."""
    user = request.user
    if not user.is_authenticated:
        return []
    links = []
    if user.has_usable_password():
        links.append({"title": _("Change password"), "link": reverse("admin:password_change")})
    links.append({"title": _("Two-step sign-in"), "link": reverse("admin:two_factor")})
    return links


@admin.action(
    description=_("Remove the second factor"),
    permissions=["remove_second_factor"],
)
def remove_second_factor(model_admin, request, queryset):
    """For a user who lost their phone: they sign in with the password alone again and may
    set up a new device (or must, with TWO_FACTOR_REQUIRED)."""
    users = list(queryset.filter(totpdevice__isnull=False).distinct())
    TOTPDevice.objects.filter(user__in=users).delete()
    for user in users:
        model_admin.log_change(request, user, gettext("Removed the second factor."))
    model_admin.message_user(
        request,
        ngettext(
            "The second factor of %(count)d user was removed.",
            "The second factor of %(count)d users was removed.",
            len(users),
        )
        % {"count": len(users)},
        messages.SUCCESS,
    )
