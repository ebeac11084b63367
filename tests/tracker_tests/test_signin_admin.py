"""The sign-in records (django-axes' rows, through tracker.signin_records): superusers
read and delete them; nobody else sees they exist; names and messages in the reader's
language."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def an_attempt(username="head.edu", failures=2):
    return AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.1",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )


@pytest.mark.parametrize(
    "who", ["digital_office", "governor", "head_of_education", "national_analyst"]
)
def test_only_a_superuser_sees_sign_in_records(client, world, who):
    attempt = an_attempt()
    client.force_login(getattr(world, who))
    for url in (
        reverse("admin:tracker_signinattempt_changelist"),
        reverse("admin:tracker_signinattempt_change", args=[attempt.pk]),
        reverse("admin:tracker_signin_changelist"),
        reverse("admin:tracker_failedsignin_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    assert "signinattempt" not in client.get(reverse("admin:index")).content.decode()


def test_a_superuser_reads_a_record_but_does_not_change_it(client, world):
    attempt = an_attempt(failures=5)
    client.force_login(world.superuser)
    url = reverse("admin:tracker_signinattempt_change", args=[attempt.pk])
    page = client.get(url, headers={"accept-language": "ru"}).content.decode()
    assert "Просмотреть попытку входа" in page
    client.post(url, {"username": "someone-else", "failures_since_start": 0})
    attempt.refresh_from_db()
    assert (attempt.username, attempt.failures_since_start) == ("head.edu", 5)


def test_a_locked_out_attempt_says_so_and_deleting_it_unlocks(client, world):
    attempt = an_attempt(failures=5)
    client.force_login(world.superuser)
    listed = client.get(
        reverse("admin:tracker_signinattempt_changelist"), headers={"accept-language": "ru"}
    )
    assert "Заблокирован" in listed.content.decode()
    delete = reverse("admin:tracker_signinattempt_delete", args=[attempt.pk])
    confirm = client.get(delete, headers={"accept-language": "ru"}).content.decode()
    assert "Вы уверены, что хотите удалить объект «head.edu — " in confirm
    client.post(delete, {"post": "yes"})
    assert not AccessAttempt.objects.exists()


def test_cleaning_up_removes_the_expired_attempts_only_and_says_how_many(client, world):
    fresh = an_attempt()
    expired = an_attempt(username="head.agro")
    client.force_login(world.superuser)  # (a sign-in cleans up too: expire it after)
    AccessAttempt.objects.filter(pk=expired.pk).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    response = client.post(
        reverse("admin:tracker_signinattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [fresh.pk]},
        headers={"accept-language": "kk"},
        follow=True,
    )
    assert "Мерзімі өткен кіру әрекеттері жойылды: 1." in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["head.edu"]


def test_django_axes_own_admin_is_off(client, world):
    client.force_login(world.superuser)
    assert client.get("/admin/axes/accessattempt/").status_code == 404
