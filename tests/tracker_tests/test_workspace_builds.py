"""The digital office is told at sign-in of a report build that failed or went silent."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.build import build_region_report
from reports.models import ReportSnapshot

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


def builds_shown(client, user) -> str:
    client.force_login(user)
    page = client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    start = page.index('<ul id="builds"')
    return page[start : page.index("</ul>", start)]


def test_a_failed_build_is_shown_even_before_any_report_was_finished(client, world):
    ReportSnapshot.objects.create(
        region=world.zhambyl,
        as_of=timezone.localdate(),
        state=ReportSnapshot.State.FAILED,
        error="The report could not be built: the disk is full",
    )
    shown = builds_shown(client, world.digital_office)
    assert "failed" in shown and "the disk is full" in shown


def test_a_build_whose_worker_went_silent_is_shown_and_an_older_failure_is_not(
    client, world, settings
):
    old_failure = ReportSnapshot.objects.create(
        region=world.zhambyl,
        as_of=timezone.localdate() - timedelta(days=7),
        state=ReportSnapshot.State.FAILED,
        error="an old failure",
    )
    ReportSnapshot.objects.filter(pk=old_failure.pk).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    build_region_report(world.zhambyl, as_of=timezone.localdate() - timedelta(days=1))
    silent = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS + 60)
    ReportSnapshot.objects.create(
        region=world.zhambyl,
        as_of=timezone.localdate(),
        state=ReportSnapshot.State.RUNNING,
        heartbeat_at=silent,
    )
    shown = builds_shown(client, world.digital_office)
    assert "went silent" in shown
    assert "an old failure" not in shown  # a report was finished since
    assert reverse("reports:snapshot", args=[ReportSnapshot.objects.done().get().pk]) in shown


def test_the_governor_is_not_shown_the_builds(client, world):
    ReportSnapshot.objects.create(
        region=world.zhambyl,
        as_of=timezone.localdate(),
        state=ReportSnapshot.State.FAILED,
        error="the disk is full",
    )
    client.force_login(world.governor)
    assert "the disk is full" not in client.get(INDEX).content.decode()
