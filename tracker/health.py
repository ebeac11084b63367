"""GET /health/: is this server able to do its work? For the akimat's monitoring.

Three checks, each answered "ok" or what is wrong, and nothing more — no host names,
versions or error texts reach an unauthenticated caller; the reasons go to the log:

- database: a trivial query;
- broker: a connection to CELERY_BROKER_URL, given about two seconds;
- worker: the heartbeat the beat's sweep records (tracker.models.WorkerHeartbeat) is
  younger than WORKER_HEARTBEAT_STALE_SECONDS — else no worker, or no beat, has run
  the sweep lately, and builds and exports would wait.

200 when every check is ok, 503 otherwise. Exempt from the HTTPS redirect (settings'
SECURE_REDIRECT_EXEMPT) so a monitor inside the network can poll it over plain HTTP.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tracker.celery import app as celery_app
from tracker.models import WorkerHeartbeat

log = logging.getLogger(__name__)

OK, FAILING, STALE = "ok", "failing", "stale"
BROKER_TIMEOUT_SECONDS = 2


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def broker() -> str:
    # The Celery app's own broker (CELERY_BROKER_URL), its transport options kept; one try
    # with short timeouts, so a broker that is down cannot hold the monitor's request.
    timeouts = dict.fromkeys(("socket_connect_timeout", "socket_timeout"), BROKER_TIMEOUT_SECONDS)
    with celery_app.connection_for_write(
        connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=timeouts
    ) as broker_connection:
        broker_connection.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    return OK


def worker() -> str:
    last = WorkerHeartbeat.last()
    allowed = timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    return OK if last is not None and timezone.now() - last <= allowed else STALE


def _run(name, check) -> str:
    try:
        return check()
    except Exception:  # whatever a database or broker client raises: the log says what
        log.warning("Health check %s failed", name, exc_info=True)
        return FAILING


@never_cache
@require_safe
def health(request):
    checks = {"database": _run("database", database), "broker": _run("broker", broker)}
    # The heartbeat is in the database: when that fails, the workers' state is unknown, and
    # asking again would only make the monitor wait a second time for the connection pool.
    checks["worker"] = _run("worker", worker) if checks["database"] == OK else FAILING
    healthy = all(state == OK for state in checks.values())
    return JsonResponse(
        {"status": OK if healthy else FAILING, "checks": checks},
        status=200 if healthy else 503,
    )
