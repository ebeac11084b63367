"""GET /health/: the database, the broker and the workers, each "ok" or what is wrong, and
nothing a stranger could use; 200 only when everything is ok."""

import logging
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from tests.conftest import wait_for
from tests.tracker_tests.test_job_outbox import UNREACHABLE, broker_down
from tracker.models import WorkerHeartbeat
from tracker.tasks import resend_lost_jobs_task

pytestmark = pytest.mark.django_db

HEALTH = "/health/"


def beat_ago(seconds: float) -> None:
    WorkerHeartbeat.objects.update_or_create(
        id=1, defaults={"beat_at": timezone.now() - timedelta(seconds=seconds)}
    )


def test_everything_ok_with_a_fresh_heartbeat(client):
    WorkerHeartbeat.beat()
    response = client.get(HEALTH)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "worker": "ok"},
    }
    # A monitor must see each answer afresh, never a proxy's copy.
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "max-age=0"} <= cache_control


def test_a_heartbeat_older_than_the_setting_is_stale(client, settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 180
    beat_ago(170)
    assert client.get(HEALTH).status_code == 200
    beat_ago(190)
    response = client.get(HEALTH)
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "broker": "ok", "worker": "stale"},
    }


def test_no_heartbeat_at_all_is_stale(client):
    response = client.get(HEALTH)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"


def test_a_broker_that_is_down_fails_quickly_and_says_nothing_more(client, celery_test_broker):
    WorkerHeartbeat.beat()
    started = time.monotonic()
    with broker_down(celery_test_broker):
        response = client.get(HEALTH)
    assert time.monotonic() - started < 5  # the broker's short timeout, no retries
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "broker": "failing", "worker": "ok"},
    }
    assert UNREACHABLE.split("//")[1].split(":")[0] not in response.content.decode()


def test_a_database_error_is_failing_and_its_text_stays_in_the_log(client, caplog):
    # The root logger's level is not ours to rely on (a test worker sets it to ERROR).
    caplog.set_level(logging.WARNING, logger="tracker.health")
    WorkerHeartbeat.beat()
    secret = 'connection to server at "db.akimat.internal" (10.0.0.5) failed'
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(secret)):
        response = client.get(HEALTH)
    assert response.status_code == 503
    # The heartbeat is read from the database too: it cannot be known either.
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "failing", "broker": "ok", "worker": "failing"},
    }
    assert "akimat.internal" not in response.content.decode()
    assert "akimat.internal" in caplog.text


def test_plain_http_is_answered_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    WorkerHeartbeat.beat()
    assert client.get(HEALTH).status_code == 200
    # The exemption is the health page's alone.
    assert client.get("/admin/login/").status_code == 301


def test_only_reading_is_allowed(client):
    assert client.head(HEALTH).status_code in (200, 503)
    assert client.post(HEALTH).status_code == 405


def test_the_sweep_records_the_heartbeat_once_however_often_it_runs():
    assert WorkerHeartbeat.last() is None
    resend_lost_jobs_task.apply().get()
    first = WorkerHeartbeat.last()
    assert timezone.now() - first < timedelta(seconds=5)
    resend_lost_jobs_task.apply().get()
    assert WorkerHeartbeat.last() > first
    assert WorkerHeartbeat.objects.count() == 1


def test_a_worker_running_the_sweep_makes_the_page_ok(celery_worker, transactional_db, client):
    assert client.get(HEALTH).status_code == 503
    resend_lost_jobs_task.delay()
    wait_for(lambda: WorkerHeartbeat.last() is not None, seconds=30)
    assert client.get(HEALTH).json()["checks"]["worker"] == "ok"
