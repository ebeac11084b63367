"""The admin site's sign-in: the form and page that also take the second factor's code
(tracker/two_factor.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker import signin_admin  # noqa: F401  (registers the sign-in records' admin)
from tracker.api import admin as api_admin  # noqa: F401  (registers the API keys' admin)
from tracker.two_factor import SignInForm

admin.site.login_form = SignInForm
admin.site.login_template = "admin/two_factor_login.html"

# django-otp's own device admin would show every user's key and QR code, in English only:
# users set up their own device (admin:two_factor), a superuser removes one with the user
# list's action. INSTALLED_APPS lists django-otp before tracker, so its admin is loaded
# by the time this runs.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

# django-otp names its model in English in code ("TOTP device"), out of any catalog's
# reach, and deleting a user lists their device under that name. Only the name shown
# changes: the options migrations compare (_meta.original_attrs) stay django-otp's.
TOTPDevice._meta.verbose_name = _("second factor")
TOTPDevice._meta.verbose_name_plural = _("second factors")
