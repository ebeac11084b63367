"""Report builds through a real Celery worker and broker (Redis when CELERY_BROKER_URL says)."""

from datetime import date

import pytest
from django.db import transaction

from reports.models import ReportSnapshot
from reports.tasks import build_all_reports_task, request_report
from tests.conftest import make_service, wait_for


@pytest.fixture
def region_with_services(celery_worker, transactional_db, world):
    return world


def built(snapshot):
    """Done — a database hiccup on the way (SQLite's test database locks a table the test
    is reading) is retried by the task, as it would be in production."""
    snapshot.refresh_from_db()
    return snapshot.state == ReportSnapshot.State.DONE


def test_a_requested_report_is_built_by_the_worker(region_with_services):
    world = region_with_services
    with transaction.atomic():
        snapshot = request_report(world.zhambyl, as_of=date.today(), by=world.governor)
        assert snapshot.state == ReportSnapshot.State.QUEUED
    wait_for(lambda: built(snapshot), seconds=60)
    assert snapshot.progress == 100
    assert snapshot.content["summary"]["total"] == 3
    assert snapshot.requested_by == world.governor


def test_the_schedule_queues_a_report_for_every_region_with_services(region_with_services):
    world = region_with_services
    for number in range(5):  # Almaty now has more services than Zhambyl's three
        make_service(world.almaty_education, f"Ещё одна услуга {number}", by=world.head_in_almaty)
    snapshot_ids = build_all_reports_task.apply().get()
    snapshots = ReportSnapshot.objects.filter(pk__in=snapshot_ids)
    # queued largest first, so the longest build is not the one begun last
    assert [ReportSnapshot.objects.get(pk=pk).region.code for pk in snapshot_ids] == [
        "KZ-19",
        "KZ-31",
    ]
    assert {s.trigger for s in snapshots} == {ReportSnapshot.Trigger.SCHEDULE}
    for snapshot in snapshots:
        wait_for(lambda snapshot=snapshot: built(snapshot), seconds=60)


def test_a_task_for_a_snapshot_that_no_longer_exists_does_nothing(region_with_services):
    from reports.tasks import build_report_task

    assert build_report_task.apply(args=[987654]).get() is None
