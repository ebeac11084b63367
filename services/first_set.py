"""The first set of criteria and life events where a database lacks it.

Migration services 0009 adds it to every database once; the national level edits it
from then on. A database emptied since (``manage.py flush``, the test runner's flush
after a transactional test) has none: the demo loader and the tests put it back from the
migration's own list, so there is one list only.
"""

import importlib

from django.apps import apps

from services.models import Criterion

MIGRATION = "services.migrations.0009_first_criteria_and_life_events"


def ensure_first_set() -> bool:
    """Add the first set if no criterion exists. Returns whether it was added."""
    if Criterion.objects.exists():
        return False
    importlib.import_module(MIGRATION).add_first_set(apps, None)
    return True
