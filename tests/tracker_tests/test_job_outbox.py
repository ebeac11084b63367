"""No job lost when the broker blinks or a worker dies: the row is the outbox.

A request commits its job and answers at once whether or not the broker takes the task;
the sweep sends again what the broker never got and takes back what a silent worker
held; a worker only builds what it has claimed."""

import os
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from reports.build import run_build
from reports.models import ReportSnapshot
from reports.tasks import build_report_task, request_report
from services.models import ExportJob
from tests.conftest import make_service, wait_for
from tests.reports_tests.test_tasks import built
from tracker.jobs import JobState, resend_lost
from tracker.tasks import resend_lost_jobs_task

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens there: a broker that is down


@contextmanager
def broker_down(app):
    """Point the Celery app at a broker nobody answers for, as when Redis is stopped."""
    # Celery reads CELERY_BROKER_URL (set in CI) before its configuration: both change.
    working, from_environment = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = UNREACHABLE
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.broker_url = working
        if from_environment is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = from_environment
        _forget_connections(app)


def _forget_connections(app):
    """Drop the app's pooled broker connections, as Celery does after a fork, so the next
    send connects to the broker the configuration names now."""
    app._pool = None
    app.amqp._producer_pool = None


def test_a_build_asked_for_while_the_broker_is_down_is_answered_and_stays_queued(
    client, world, celery_test_broker, django_capture_on_commit_callbacks
):
    client.force_login(world.governor)
    with broker_down(celery_test_broker), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:build", args=["KZ-31"]))
    snapshot = ReportSnapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:snapshot", args=[snapshot.pk])
    assert (snapshot.state, snapshot.dispatched_at) == (JobState.QUEUED, None)


REFUSE_NOTING_THE_SEND = {
    "sqlite": [
        """CREATE TRIGGER refuse_send_note BEFORE UPDATE OF dispatched_at
           ON reports_reportsnapshot BEGIN SELECT RAISE(ABORT, 'table is locked'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_send_note() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF NEW.dispatched_at IS NOT NULL THEN RAISE EXCEPTION 'table is locked';
           END IF; RETURN NEW; END $$""",
        """CREATE TRIGGER refuse_send_note BEFORE UPDATE ON reports_reportsnapshot
           FOR EACH ROW EXECUTE FUNCTION refuse_send_note()""",
    ],
}
# Committed (the worker must see it), so dropped again for the tests after this one.
ALLOW_NOTING_THE_SEND = {
    "sqlite": ["DROP TRIGGER refuse_send_note"],
    "postgresql": [
        "DROP TRIGGER refuse_send_note ON reports_reportsnapshot",
        "DROP FUNCTION refuse_send_note()",
    ],
}


@contextmanager
def database_refusing(refuse: dict, allow: dict):
    """A trigger of the database refusing some write, while inside; committed (a worker in
    another thread must see it), so dropped again on the way out."""
    from django.db import connection

    def run(statements):
        with connection.cursor() as cursor:
            for statement in statements[connection.vendor]:
                cursor.execute(statement)

    run(refuse)
    try:
        yield
    finally:
        run(allow)


@pytest.fixture
def send_note_refused(transactional_db):
    with database_refusing(REFUSE_NOTING_THE_SEND, ALLOW_NOTING_THE_SEND):
        yield


def test_a_build_is_answered_and_built_though_its_send_could_not_be_noted(
    celery_worker, send_note_refused, client, world
):
    client.force_login(world.governor)
    response = client.post(reverse("reports:build", args=["KZ-31"]))
    snapshot = ReportSnapshot.objects.get()
    assert response.status_code == 302  # not a server error: the task was sent
    wait_for(lambda: built(snapshot), seconds=60)
    assert snapshot.dispatched_at is None


def test_an_export_asked_for_while_the_broker_is_down_is_answered_and_stays_queued(
    client, world, settings, celery_test_broker, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_ROWS = 0  # every export goes to the background
    client.force_login(world.digital_office)
    with broker_down(celery_test_broker), django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("exports:services_xlsx"), {"status": "paper"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert (job.state, job.dispatched_at, job.parameters) == (
        JobState.QUEUED,
        None,
        {"status": ["paper"]},
    )


@pytest.fixture
def soon(settings):
    settings.JOB_RESEND_AFTER_SECONDS = 0  # the sweep's waits, shortened for the test
    settings.JOB_STALE_AFTER_SECONDS = 60


def queued_without_a_send(world) -> ReportSnapshot:
    """What a request leaves when the broker refused its task."""
    return ReportSnapshot.objects.create(region=world.zhambyl, as_of=date.today())


def test_the_sweep_sends_what_the_broker_never_got_and_the_worker_builds_it(
    celery_worker, transactional_db, world, soon
):
    make_service(world.education, "Лагеря", by=world.head_of_education)
    snapshot = queued_without_a_send(world)
    assert resend_lost_jobs_task.apply().get() == 1
    wait_for(lambda: built(snapshot), seconds=60)
    assert snapshot.content["summary"]["total"] == 4  # the world's three, and the camps
    assert snapshot.dispatched_at is not None


def test_the_sweep_leaves_alone_what_was_sent_a_moment_ago(world, settings):
    settings.JOB_RESEND_AFTER_SECONDS = 120
    snapshot = queued_without_a_send(world)
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(dispatched_at=timezone.now())
    assert resend_lost(ReportSnapshot, build_report_task) == 0


def test_a_job_whose_worker_went_silent_is_taken_back_and_built(world, soon):
    snapshot = queued_without_a_send(world)
    ten_minutes_ago = timezone.now() - timedelta(minutes=10)
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        state=JobState.RUNNING, progress=40, heartbeat_at=ten_minutes_ago
    )
    assert resend_lost(ReportSnapshot, build_report_task) == 1
    snapshot.refresh_from_db()
    assert snapshot.state == JobState.QUEUED
    run_build(snapshot)
    assert snapshot.state == JobState.DONE


def test_a_job_another_worker_is_building_is_not_built_again(world, soon):
    snapshot = queued_without_a_send(world)
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        state=JobState.RUNNING, progress=40, heartbeat_at=timezone.now()
    )
    assert resend_lost(ReportSnapshot, build_report_task) == 0
    run_build(ReportSnapshot.objects.get(pk=snapshot.pk))
    snapshot.refresh_from_db()
    assert (snapshot.state, snapshot.progress, snapshot.content) == (JobState.RUNNING, 40, {})


def test_a_worker_beats_as_it_goes_and_a_done_job_is_never_taken_again(world):
    with transaction.atomic():
        snapshot = request_report(world.zhambyl, as_of=date.today())
    run_build(snapshot)
    snapshot.refresh_from_db()
    assert snapshot.state == JobState.DONE and snapshot.heartbeat_at is not None
    finished = snapshot.finished_at
    run_build(snapshot)  # a redelivered task
    snapshot.refresh_from_db()
    assert snapshot.finished_at == finished


REFUSE_THE_FIRST_MARK = {
    "sqlite": [
        """CREATE TRIGGER refuse_first_mark BEFORE UPDATE ON reports_reportsnapshot
           WHEN OLD.started_at IS NULL AND NEW.started_at IS NOT NULL
           BEGIN SELECT RAISE(ABORT, 'table is locked'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_first_mark() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF OLD.started_at IS NULL AND NEW.started_at IS NOT NULL THEN
           RAISE EXCEPTION 'table is locked'; END IF; RETURN NEW; END $$""",
        """CREATE TRIGGER refuse_first_mark BEFORE UPDATE ON reports_reportsnapshot
           FOR EACH ROW EXECUTE FUNCTION refuse_first_mark()""",
    ],
}
ALLOW_THE_FIRST_MARK = {
    "sqlite": ["DROP TRIGGER refuse_first_mark"],
    "postgresql": [
        "DROP TRIGGER refuse_first_mark ON reports_reportsnapshot",
        "DROP FUNCTION refuse_first_mark()",
    ],
}


def test_a_build_whose_first_write_fails_is_failed_not_left_running_so_a_retry_builds_it(
    transactional_db, world
):
    from django.db import DatabaseError

    snapshot = queued_without_a_send(world)
    with (
        database_refusing(REFUSE_THE_FIRST_MARK, ALLOW_THE_FIRST_MARK),
        pytest.raises(DatabaseError),
    ):
        run_build(snapshot)
    snapshot.refresh_from_db()
    assert snapshot.state == JobState.FAILED  # claimable again: not "running" for nobody
    assert run_build(snapshot).state == JobState.DONE  # the retry builds it
