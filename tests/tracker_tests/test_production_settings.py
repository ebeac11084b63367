"""Production settings: `check --deploy` clean, HTTPS enforced, a Content-Security-Policy
with nothing from outside, no cached copies of pages or files with data, sign-in
throttled, the admin where the akimat puts it, database connections pooled."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from reports.build import build_region_report
from tests.conftest import make_service

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!tq0-production-secret-for-the-check-only-3fz8#k2v@l7w$m1n&p4r",
    "ALLOWED_HOSTS": "tracker.akimat.kz",
    "CSRF_TRUSTED_ORIGINS": "https://tracker.akimat.kz",
}


def manage(*arguments, **environment):
    """manage.py in a fresh process with these settings, as a server would start: without
    what the test run itself sets (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE)."""
    test_only = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in test_only}
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_finds_nothing():
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_admin_lives_where_the_akimat_puts_it():
    done = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        ADMIN_PATH="office",
    )
    assert done.stdout.strip().splitlines()[-1] == "/office/", done.stderr


def test_postgresql_connections_come_from_a_bounded_pool():
    done = manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['OPTIONS']['pool']['max_size'], d['CONN_MAX_AGE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        DATABASE_POOL_MAX="5",
    )
    assert done.stdout.strip().splitlines()[-1] == "5 0", done.stderr


# --- headers on every response ------------------------------------------------------------


@pytest.fixture
def snapshot(world):
    make_service(
        world.education,
        "Лагеря",
        by=world.head_of_education,
        at=timezone.now() - timedelta(days=3),
    )
    return build_region_report(world.zhambyl, as_of=timezone.localdate())


def data_urls(snapshot):
    return [
        reverse("admin:index"),
        reverse("admin:services_service_changelist"),
        reverse("reports:snapshot", args=[snapshot.pk]),
        reverse("reports:xlsx", args=[snapshot.pk]),
        reverse("reports:pdf", args=[snapshot.pk]),
        reverse("exports:services_csv"),
        reverse("exports:services_xlsx"),
    ]


def test_no_page_or_file_with_data_may_be_kept_by_a_proxy_or_the_browser(client, world, snapshot):
    client.force_login(world.governor)
    for url in data_urls(snapshot):
        response = client.get(url)
        assert response.status_code == 200, url
        cache = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache, url


def test_every_page_forbids_anything_from_outside_this_server(client, world, snapshot):
    client.force_login(world.governor)
    for url in (reverse("admin:index"), reverse("reports:snapshot", args=[snapshot.pk])):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        for sources in directives.values():
            assert "http" not in sources and "*" not in sources, policy


# --- sign-in throttling ------------------------------------------------------------------------


def sign_in(client, username, password, language="ru"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR="10.0.0.7",
    )


@pytest.fixture
def known_password(world):
    world.head_of_education.set_password("Верный-пароль-2026")
    world.head_of_education.save()
    return "Верный-пароль-2026"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_after_five_wrong_passwords_even_the_right_one_waits(
    client, world, known_password, language
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "head.edu", "guess", language).status_code == 200  # the form
    locked = sign_in(client, "head.edu", "guess", language)
    assert locked.status_code == 429
    with translation.override(language):
        title = gettext("Too many attempts to sign in")
    assert title in locked.content.decode()
    assert "15" in locked.content.decode()
    assert sign_in(client, "head.edu", known_password, language).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_of_one_account_from_one_address(client, world, known_password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head.edu", "guess")
    world.head_of_agriculture.set_password("Другой-пароль-2026")
    world.head_of_agriculture.save()
    assert sign_in(client, "head.agr", "Другой-пароль-2026").status_code == 302


def test_a_right_password_before_the_limit_signs_in_and_forgets_the_failures(
    client, world, known_password
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "head.edu", "guess")
    assert sign_in(client, "head.edu", known_password).status_code == 302
