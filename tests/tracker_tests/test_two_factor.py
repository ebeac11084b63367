"""The optional second factor: a staff user sets up an authenticator app on their own page
(confirmed only by a current code), then signs in with password and code; wrong codes
count for django-axes; TWO_FACTOR_REQUIRED sends those without one to set it up; only a
superuser removes someone else's device.

Codes are computed as the phone would, with django-otp's TOTP over the device's key: the
check itself is never mocked."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.two_factor_page import key_for_typing

pytestmark = pytest.mark.django_db

PASSWORD = "Верный-пароль-2026"


def code_of(device: TOTPDevice, steps: int = 0) -> str:
    """The code the user's app shows now, or ``steps`` time steps (30 s) from now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that are none of the codes the device accepts around now."""
    accepted = {code_of(device, steps) for steps in range(-2, 3)}
    return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in accepted)


def sign_in(client, username, password, code=None, language="ru"):
    data = {"username": username, "password": password}
    if code is not None:
        data["otp_token"] = code
    return client.post(
        reverse("admin:login"), data, HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR="10.0.0.9"
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def in_russian(message: str) -> str:
    with translation.override("ru"):
        return gettext(message)


@pytest.fixture
def head(world):
    world.head_of_education.set_password(PASSWORD)
    world.head_of_education.save()
    return world.head_of_education


@pytest.fixture
def device(head):
    """A device the head confirmed earlier."""
    return TOTPDevice.objects.create(user=head, name="phone", confirmed=True)


def page(client, **data):
    """The signed-in user's page: GET, or POST with ``data``."""
    url = reverse("admin:two_factor")
    return client.post(url, data) if data else client.get(url)


# --- signing in -----------------------------------------------------------------------------


def test_the_sign_in_page_has_the_code_field_in_the_themes_style(client):
    html = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    field = re.search(r'<input[^>]*name="otp_token"[^>]*>', html)
    assert field, "no code field"
    assert 'autocomplete="one-time-code"' in field.group(0)
    assert "border-base-200" in field.group(0)  # unfold's input classes, like the password's
    assert in_russian("Code from the authenticator app") in html
    assert html.index('name="password"') < field.start()


def test_without_a_device_the_password_alone_signs_in(client, head):
    assert sign_in(client, "head.edu", PASSWORD).status_code == 302
    assert signed_in(client)


def test_without_a_device_a_code_typed_anyway_is_ignored(client, head):
    assert sign_in(client, "head.edu", PASSWORD, code="123456").status_code == 302
    assert signed_in(client)


def test_with_a_device_the_password_alone_is_refused(client, device):
    response = sign_in(client, "head.edu", PASSWORD)
    assert response.status_code == 200
    assert not signed_in(client)
    expected = in_russian(
        "Two-step sign-in is on for this account: enter the six-digit code from your "
        "authenticator app."
    )
    assert expected in response.content.decode()


@pytest.mark.parametrize("junk", ["wrong", "12345", "1234567", "x" * 3000, "١٢٣٤٥٦"])
def test_with_a_device_a_wrong_code_is_refused(client, device, junk):
    code = wrong_code(device) if junk == "wrong" else junk
    response = sign_in(client, "head.edu", PASSWORD, code=code)
    assert response.status_code == 200
    assert not signed_in(client)
    expected = in_russian(
        "This code is wrong or has expired: enter the code your authenticator app shows now."
    )
    assert expected in response.content.decode()


def test_with_a_device_the_right_code_signs_in_and_marks_the_session(client, device):
    response = sign_in(client, "head.edu", PASSWORD, code=code_of(device))
    assert response.status_code == 302
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_signs_in_once(client, device):
    code = code_of(device)
    assert sign_in(client, "head.edu", PASSWORD, code=code).status_code == 302
    client.post(reverse("admin:logout"))
    assert sign_in(client, "head.edu", PASSWORD, code=code).status_code == 200
    assert not signed_in(client)


def test_the_code_never_makes_up_for_a_wrong_password(client, device):
    assert sign_in(client, "head.edu", "guess", code=code_of(device)).status_code == 200
    assert not signed_in(client)


def test_wrong_codes_count_for_the_lockout_like_wrong_passwords(client, device):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "head.edu", PASSWORD, code=wrong_code(device))
        assert response.status_code == 200  # the form again
    attempt = AccessAttempt.objects.get(username="head.edu")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    assert sign_in(client, "head.edu", PASSWORD, code="").status_code == 429
    # Locked out: the right password and the right code wait too.
    locked = sign_in(client, "head.edu", PASSWORD, code=code_of(device))
    assert locked.status_code == 429
    assert in_russian("Too many attempts to sign in") in locked.content.decode()
    assert not signed_in(client)


# --- setting it up, switching it off -----------------------------------------------------------


def test_the_page_shows_the_key_as_a_qr_code_and_as_text(client, head):
    client.force_login(head)
    html = page(client).content.decode()
    pending = TOTPDevice.objects.get(user=head)
    assert not pending.confirmed
    assert re.search(r"<svg[^>]*>.*<path ", html, re.S)  # inline, drawn on the server
    assert key_for_typing(pending) in html
    assert "http" not in re.search(r"<svg.*</svg>", html, re.S).group(0).replace(
        "http://www.w3.org/2000/svg", ""
    )
    page(client)
    assert TOTPDevice.objects.filter(user=head).count() == 1  # the same key, shown again


def test_setting_up_refuses_a_wrong_code(client, head):
    client.force_login(head)
    page(client)
    pending = TOTPDevice.objects.get(user=head)
    response = page(client, action="enable", code=wrong_code(pending))
    assert response.status_code == 200
    pending.refresh_from_db()
    assert not pending.confirmed
    client.post(reverse("admin:logout"))
    assert sign_in(client, "head.edu", PASSWORD).status_code == 302  # still no code asked


def test_setting_up_confirms_with_the_current_code_and_sign_in_asks_for_it(client, head):
    client.force_login(head)
    page(client)
    pending = TOTPDevice.objects.get(user=head)
    response = page(client, action="enable", code=code_of(pending))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == pending.persistent_id
    client.post(reverse("admin:logout"))
    assert sign_in(client, "head.edu", PASSWORD).status_code == 200
    assert not signed_in(client)
    # The code that confirmed it is spent; the app's next one signs in.
    assert sign_in(client, "head.edu", PASSWORD, code=code_of(pending, steps=1)).status_code == 302


def test_switching_off_refuses_a_wrong_code(client, device):
    client.force_login(device.user)
    response = page(client, action="disable", code=wrong_code(device))
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_switching_off_takes_a_valid_code(client, device):
    client.force_login(device.user)
    assert page(client, action="disable", code=code_of(device)).status_code == 302
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    client.post(reverse("admin:logout"))
    assert sign_in(client, "head.edu", PASSWORD).status_code == 302


def test_after_a_wrong_code_the_device_waits_before_it_takes_another(client, device):
    """django-otp's back-off (1, 2, 4… s) on top of django-axes: even the right code
    waits, so no one can try a million codes from many addresses."""
    client.force_login(device.user)
    page(client, action="disable", code=wrong_code(device))
    response = page(client, action="disable", code=code_of(device))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    with translation.override("kk"):  # the language a browser asking for none gets
        expected = ngettext(
            "Too many wrong codes: try again in %(seconds)d second.",
            "Too many wrong codes: try again in %(seconds)d seconds.",
            1,
        ) % {"seconds": 1}
    assert expected in response.content.decode()


def test_a_form_from_an_out_of_date_page_changes_nothing(client, device):
    client.force_login(device.user)
    assert page(client, action="enable", code=code_of(device)).status_code == 302
    assert page(client, action="x", code=code_of(device)).status_code == 302
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


def test_the_user_menu_links_to_the_page_and_keeps_change_password(client, head):
    client.force_login(head)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:two_factor")}"' in html
    assert f'href="{reverse("admin:password_change")}"' in html


# --- when it is required ----------------------------------------------------------------------


def test_required_sends_a_user_without_one_to_set_it_up_from_any_page(
    client, head, world, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(head)
    setup = reverse("admin:two_factor")
    pages = [
        reverse("admin:index"),
        reverse("admin:services_service_changelist"),
        reverse("admin:services_service_change", args=[world.kindergarten.pk]),
        reverse("admin:password_change"),
        reverse("reports:index"),
        reverse("exports:services_csv"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == setup, url
    assert page(client).status_code == 200
    pending = TOTPDevice.objects.get(user=head)
    assert page(client, action="enable", code=code_of(pending)).status_code == 302
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_required_lets_a_user_who_signed_in_with_the_code_through(client, device, settings):
    settings.TWO_FACTOR_REQUIRED = True
    assert sign_in(client, "head.edu", PASSWORD, code=code_of(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_required_asks_a_session_without_the_code_to_sign_in_again(client, device, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(device.user)  # as a session from before the device was set up
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not signed_in(client)


def test_not_required_lets_a_user_without_one_in(client, head):
    client.force_login(head)
    assert client.get(reverse("admin:index")).status_code == 200


# --- a lost phone --------------------------------------------------------------------------------


def remove(client, user):
    return client.post(
        reverse("admin:regions_user_changelist"),
        {"action": "remove_second_factor", "_selected_action": [user.pk]},
    )


def test_only_a_superuser_removes_someone_elses_device(client, world, device):
    for actor in (world.digital_office, world.head_of_agriculture, world.governor):
        client.force_login(actor)
        assert remove(client, device.user).status_code == 403
        assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # The page acts on its own user only: another's device is out of its reach.
    client.force_login(world.head_of_agriculture)
    page(client, action="disable", code=code_of(device))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_superuser_removes_a_lost_device(client, world, device):
    client.force_login(world.superuser)
    listing = client.get(reverse("admin:regions_user_changelist")).content.decode()
    assert "remove_second_factor" in listing
    assert remove(client, device.user).status_code == 302
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    client.post(reverse("admin:logout"))
    assert sign_in(client, "head.edu", PASSWORD).status_code == 302


def test_django_otps_own_device_admin_is_not_on_the_site(client, world):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
