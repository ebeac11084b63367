"""Each staff user's own page "Two-step sign-in" (admin:two_factor, UNFOLD["SITE_VIEWS"]):
set up an authenticator app, or switch it off.

The key waits on an unconfirmed device (django-otp's ``confirmed=False``) until the first
code from the app confirms it, so a key that never reached a phone never signs anyone in;
switching off takes a current code too, so a session left open cannot remove it. The page
only ever acts on the signed-in user's own device: it takes no user or device id.
"""

from base64 import b32encode
from urllib.parse import quote, urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.widgets import UnfoldAdminTextInputWidget

from tracker.two_factor import check_code, confirmed_device


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        error_messages={"required": _("Enter the six-digit code your authenticator app shows.")},
        widget=UnfoldAdminTextInputWidget(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "16"}
        ),
    )


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed device, made on first need: the same key however often the
    page is shown, until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator app"), confirmed=False
        )
    return device


def key_uri(device: TOTPDevice) -> str:
    """The otpauth:// address the QR code holds (Google's "Key Uri Format", which every
    authenticator app reads), named after the site in the reader's language."""
    issuer = gettext("E-service tracker").replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    parameters = {
        "secret": b32encode(device.bin_key).decode(),
        "issuer": issuer,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    }
    return f"otpauth://totp/{label}?{urlencode(parameters, quote_via=quote)}"


def qr_code_svg(text: str) -> str:
    """The QR code as inline SVG, drawn here: no image service, nothing from outside."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # Sized by the page, not in the millimetres qrcode writes.
    return svg.replace("<svg ", '<svg style="width:100%;height:auto" ', 1)


def key_for_typing(device: TOTPDevice) -> str:
    """The key as apps ask for it when typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[at : at + 4] for at in range(0, len(key), 4))


class TwoStepPage(View):
    """GET shows the page; POST ``action=enable`` confirms the waiting key with a code,
    ``action=disable`` removes the device with a code."""

    admin_site = None  # given by unfold's SITE_VIEWS
    http_method_names = ["get", "post"]

    def get(self, request):
        return self.page(request, CodeForm())

    def post(self, request):
        device = confirmed_device(request.user)
        action = request.POST.get("action")
        form = CodeForm(request.POST)
        if action == "enable" and device is None:
            pending = pending_device(request.user)
            if self.accepted(form, pending):
                with transaction.atomic():
                    pending.confirmed = True
                    pending.save(update_fields=["confirmed"])  # the check saved the rest
                    TOTPDevice.objects.filter(user=request.user).exclude(pk=pending.pk).delete()
                django_otp.login(request, pending)  # this session's code is checked
                messages.success(
                    request,
                    gettext("Two-step sign-in is on: from now on, sign in with a code too."),
                )
                return redirect("admin:two_factor")
        elif action == "disable" and device is not None:
            if self.accepted(form, device):
                TOTPDevice.objects.filter(user=request.user).delete()
                messages.success(request, gettext("Two-step sign-in is off."))
                return redirect("admin:two_factor")
        else:
            # Sent from a page out of date (switched on or off in another tab): show it anew.
            return redirect("admin:two_factor")
        return self.page(request, form)

    @staticmethod
    def accepted(form: CodeForm, device: TOTPDevice) -> bool:
        if not form.is_valid():
            return False
        problem = check_code(device, form.cleaned_data["code"])
        if problem:
            form.add_error("code", problem)
        return problem is None

    def page(self, request, form: CodeForm):
        device = confirmed_device(request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Two-step sign-in"),
            "device": device,
            "form": form,
            "required": settings.TWO_FACTOR_REQUIRED,
        }
        if device is None:
            pending = pending_device(request.user)
            context |= {
                "qr_code": mark_safe(qr_code_svg(key_uri(pending))),  # drawn here, no input
                "key": key_for_typing(pending),
            }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/two_factor.html", context)
