"""The Celery application: report builds and other background jobs.

Broker: CELERY_BROKER_URL (Redis in production); with nothing set, `make run` uses a
local filesystem broker (dev only) and tests an in-memory one. Tasks keep no results:
their progress and outcome live in the database rows they work on.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
