"""Building the national ranking: plain functions, called by the task, the page and tests.

Like a region's report, a national snapshot is built once and frozen: a done snapshot is
left alone, a failed or interrupted one is built again from the start, and two builds of
one date from the same reports and method hold the same ranking. It reads three things
whatever the number of regions: the method, the regions, their latest reports' headlines
(plus the previous snapshot, for the rank changes).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Region
from reports import national, ranking
from reports.models import NationalSnapshot
from tracker.jobs import claim, record_failure
from tracker.jobs import mark as _mark


def build_national_snapshot(*, as_of: date, requested_by=None) -> NationalSnapshot:
    """Create a snapshot and build it now, in this process (demo loader, tests, shell)."""
    snapshot = NationalSnapshot.objects.create(as_of=as_of, requested_by=requested_by)
    return run_national_build(snapshot)


def previous_national(snapshot: NationalSnapshot) -> NationalSnapshot | None:
    """The latest finished ranking of an earlier date: what the rank changes compare with."""
    return (
        NationalSnapshot.objects.filter(state=NationalSnapshot.State.DONE, as_of__lt=snapshot.as_of)
        .order_by("-as_of", "-finished_at", "-pk")
        .first()
    )


def run_national_build(snapshot: NationalSnapshot) -> NationalSnapshot:
    if not claim(snapshot):
        return snapshot  # done already, or another worker is building it now
    _mark(snapshot, progress=5, error="", started_at=timezone.now(), finished_at=None)
    try:
        previous = previous_national(snapshot)
        regions = list(Region.objects.order_by("code"))
        reports = national.latest_reports(regions, on=snapshot.as_of)
        _mark(snapshot, progress=60)
        content = ranking.compute_ranking(
            regions, reports, as_of=snapshot.as_of, method=ranking.method_now(), previous=previous
        )
        with transaction.atomic():
            snapshot.content, snapshot.previous = content, previous
            snapshot.state, snapshot.progress = NationalSnapshot.State.DONE, 100
            snapshot.finished_at = timezone.now()
            snapshot.save(update_fields=["content", "previous", "state", "progress", "finished_at"])
    except Exception as error:
        _record_failure(snapshot, error)
        raise
    return snapshot


def _record_failure(snapshot: NationalSnapshot, error: Exception) -> None:
    record_failure(snapshot, error, _("The ranking could not be built: %(reason)s"))
