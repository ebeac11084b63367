"""Building the national ranking: plain functions, called by the task, the page and tests.

Like a region's report, a national snapshot is built once and frozen: a done snapshot is
left alone, a failed or interrupted one is built again from the start, and two builds of
one date from the same reports and method hold the same ranking. It reads three things
whatever the number of regions (reports.ranking_inputs): the method, every region with its
latest report's headline, and the previous ranking's ranks.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import ranking
from reports.models import NationalSnapshot
from reports.ranking_inputs import read_inputs
from tracker.jobs import claim, record_failure
from tracker.jobs import mark as _mark


def build_national_snapshot(*, as_of: date, requested_by=None) -> NationalSnapshot:
    """Create a snapshot and build it now, in this process (demo loader, tests, shell)."""
    snapshot = NationalSnapshot.objects.create(as_of=as_of, requested_by=requested_by)
    return run_national_build(snapshot)


def run_national_build(snapshot: NationalSnapshot) -> NationalSnapshot:
    if not claim(snapshot):
        return snapshot  # done already, or another worker is building it now
    try:  # the first write included: a retry claims a failed build, not a "running" one
        _mark(snapshot, progress=5, error="", started_at=timezone.now(), finished_at=None)
        inputs = read_inputs(snapshot.as_of)
        _mark(snapshot, progress=60)
        content = ranking.compute_ranking(inputs, as_of=snapshot.as_of)
        with transaction.atomic():
            snapshot.content = content
            snapshot.previous_id = inputs.previous.id if inputs.previous else None
            snapshot.state, snapshot.progress = NationalSnapshot.State.DONE, 100
            snapshot.finished_at = timezone.now()
            snapshot.save(
                update_fields=["content", "previous_id", "state", "progress", "finished_at"]
            )
    except Exception as error:
        _record_failure(snapshot, error)
        raise
    return snapshot


def _record_failure(snapshot: NationalSnapshot, error: Exception) -> None:
    record_failure(snapshot, error, _("The ranking could not be built: %(reason)s"))
