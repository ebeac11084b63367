"""The reader's language: switcher, saved choice, Kazakh dates and numbers, emails."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from services.models import Service
from services.reminders import remind_stale_heads

pytestmark = pytest.mark.django_db


def headline_of_admin_index(language):
    with translation.override(language):
        return gettext("Site administration")


def test_the_switcher_remembers_a_signed_in_users_choice_on_the_user(world, client):
    client.force_login(world.head_of_agriculture)
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/reports/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == 365 * 24 * 60 * 60
    world.head_of_agriculture.refresh_from_db()
    assert world.head_of_agriculture.language == "ru"


def test_the_saved_choice_wins_over_the_browser_on_another_computer(world, client):
    world.head_of_agriculture.language = "ru"
    world.head_of_agriculture.save()
    client.force_login(world.head_of_agriculture)  # a new browser: no language cookie
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "ru"
    assert headline_of_admin_index("ru") in response.content.decode()


def test_without_a_saved_choice_the_browser_decides(world, client):
    client.force_login(world.head_of_agriculture)
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"


def test_a_language_not_offered_is_not_saved(world, client):
    client.force_login(world.head_of_agriculture)
    client.post(reverse("set_language"), {"language": "de", "next": "/reports/"})
    world.head_of_agriculture.refresh_from_db()
    assert world.head_of_agriculture.language == ""


def test_an_anonymous_visitor_gets_the_cookie_only(client):
    response = client.post(reverse("set_language"), {"language": "kk", "next": "/admin/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    login_page = client.get(reverse("admin:login"))
    assert login_page.headers["Content-Language"] == "kk"


@pytest.mark.parametrize(
    ("language", "expected_date", "expected_number"),
    [
        ("kk", "22.11.2026", "12\xa0345,5"),
        ("ru", "22.11.2026", "12\xa0345,5"),
        ("en", "11/22/2026", "12,345.5"),
    ],
)
def test_dates_and_numbers_follow_the_readers_language(language, expected_date, expected_number):
    with translation.override(language):
        assert formats.date_format(date(2026, 11, 22), "SHORT_DATE_FORMAT") == expected_date
        assert formats.number_format(12345.5, use_l10n=True, force_grouping=True) == (
            expected_number
        )


def test_a_kazakh_date_names_the_month_in_kazakh():
    with translation.override("kk"):
        written = formats.date_format(date(2026, 11, 22))
        month = translation.pgettext("alt. month", "November")
    assert written == f"22 {month} 2026 ж."
    assert month != "November"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_reminder_is_written_in_the_heads_own_language(world, mailoutbox, settings, language):
    settings.STALE_AFTER_DAYS = 30
    long_ago = timezone.localdate() - timedelta(days=45)
    Service.objects.filter(pk=world.seed_subsidy.pk).update(last_confirmed=long_ago)
    world.head_of_agriculture.language = language
    world.head_of_agriculture.save()

    assert remind_stale_heads() == 1

    [email] = mailoutbox
    with translation.override(language):
        subject = gettext("Service data to confirm: %(count)d services") % {"count": 1}
        greeting = gettext("Hello, %(name)s.") % {"name": world.head_of_agriculture.username}
    assert email.subject == subject
    assert email.body.startswith(greeting)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_page_not_found_says_so_in_the_readers_language(world, client, language):
    client.force_login(world.head_of_agriculture)
    response = client.get("/reports/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    with translation.override(language):
        assert gettext("Page not found") in response.content.decode()
    assert "Not Found" not in response.content.decode()


def test_signing_in_on_the_bare_login_page_lands_on_the_admin(world, client):
    world.head_of_agriculture.set_password("a-long-password-1")
    world.head_of_agriculture.save()
    response = client.post(
        reverse("admin:login"), {"username": "head.agr", "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
