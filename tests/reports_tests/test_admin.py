"""Reports in the admin: builds on request from the region list, snapshots read-only."""

from datetime import date

import pytest
from django.contrib.messages import constants
from django.urls import reverse

from reports.build import build_region_report
from reports.models import ReportSnapshot

pytestmark = pytest.mark.django_db

REGIONS = reverse("admin:regions_region_changelist")
SNAPSHOTS = reverse("admin:reports_reportsnapshot_changelist")


def run_build_action(client, regions):
    return client.post(
        REGIONS,
        {"action": "build_report_now", "_selected_action": [r.pk for r in regions]},
        follow=True,
    )


def test_a_governor_queues_a_report_from_the_region_list(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.governor)
    with django_capture_on_commit_callbacks() as callbacks:
        run_build_action(client, [world.zhambyl])
    snapshot = ReportSnapshot.objects.get()
    assert (snapshot.region, snapshot.requested_by, snapshot.state) == (
        world.zhambyl,
        world.governor,
        ReportSnapshot.State.QUEUED,
    )
    assert len(callbacks) == 1


def test_a_head_cannot_queue_a_region_report_from_the_admin(client, world):
    client.force_login(world.head_of_education)
    response = run_build_action(client, [world.zhambyl])
    assert not ReportSnapshot.objects.exists()
    levels = [message.level for message in response.context["messages"]]
    assert levels == [constants.WARNING]


def test_snapshots_are_listed_by_region_scope_and_cannot_be_edited(client, world):
    mine = build_region_report(world.zhambyl, as_of=date(2025, 1, 1))
    theirs = build_region_report(world.almaty_region, as_of=date(2025, 1, 1))
    client.force_login(world.governor)
    listed = set(client.get(SNAPSHOTS).context["cl"].queryset)
    assert listed == {mine}
    change = reverse("admin:reports_reportsnapshot_change", args=[theirs.pk])
    assert client.get(change).status_code == 404
    client.force_login(world.superuser)
    change = reverse("admin:reports_reportsnapshot_change", args=[mine.pk])
    assert client.post(change, {"state": "failed"}).status_code == 403
    mine.refresh_from_db()
    assert mine.state == ReportSnapshot.State.DONE


def test_a_head_does_not_see_report_snapshots_in_the_admin(client, world):
    client.force_login(world.head_of_education)
    assert client.get(SNAPSHOTS).status_code == 403
    index = client.get(reverse("admin:index")).context["app_list"]
    assert "reports" not in {app["app_label"] for app in index}
