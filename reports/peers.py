"""A department's place among the departments of its kind in every region.

"Education: 3rd of 17 regions" on a region's report: its education department against
every region's education department, each in its region's latest report of the same date
or before, by share electronic (verified). Two queries, whatever the number of regions:
the latest reports, and their departments' rows of the kinds this report has.
"""

from dataclasses import dataclass

from reports.models import DepartmentFigures, ReportSnapshot
from reports.national import latest_reports


@dataclass(frozen=True)
class PeerRank:
    rank: int
    of: int  # departments of the kind compared


def peer_ranks(snapshot: ReportSnapshot) -> dict[int, PeerRank]:
    """For each department of the report that has a kind: its place among its peers."""
    # (reports built before departments had kinds carry none: nothing to compare)
    own = [(row["id"], row["kind"]) for row in snapshot.content["departments"] if row.get("kind")]
    if not own:
        return {}
    ranks = _ranks_among_peers(snapshot, {kind for _department, kind in own})
    return {
        department_id: ranks[department_id]
        for department_id, _kind in own
        if department_id in ranks
    }


def department_peer_rank(snapshot: ReportSnapshot, department_id: int, kind: str):
    """One department's place among its peers (a head's first page): the same two
    queries, for its own kind only. None for a department of no kind, or no services."""
    if not kind:
        return None
    return _ranks_among_peers(snapshot, {kind}).get(department_id)


def _ranks_among_peers(snapshot: ReportSnapshot, kinds: set[str]) -> dict[int, PeerRank]:
    latest = latest_reports(on=snapshot.as_of)
    reports = [snapshot.pk] + [
        report.pk for region_id, report in latest.items() if region_id != snapshot.region_id
    ]
    peers: dict[str, list[tuple[float, int]]] = {}
    for department_id, kind, share in DepartmentFigures.objects.filter(
        snapshot_id__in=reports, kind__in=kinds, total__gt=0
    ).values_list("department_id", "kind", "share_verified"):
        peers.setdefault(kind, []).append((share or 0.0, department_id))
    ranks = {}
    for rows in peers.values():
        for department_id, rank in _competition_ranks(rows).items():
            ranks[department_id] = PeerRank(rank, len(rows))
    return ranks


def _competition_ranks(rows: list[tuple[float, int]]) -> dict[int, int]:
    """Higher share first; equal shares share a rank (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda row: -row[0])
    ranks, previous_share, previous_rank = {}, None, 0
    for position, (share, department_id) in enumerate(ordered, start=1):
        rank = previous_rank if share == previous_share else position
        ranks[department_id] = rank
        previous_share, previous_rank = share, rank
    return ranks
