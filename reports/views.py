"""The governor's pages: a region's reports, one report, its progress, a comparison."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regions.access import region_for, reportable_regions, scope_for, snapshot_for
from reports import brief, compare, national, tasks
from reports.charts import department_share_chart, trend_chart
from reports.models import ReportSnapshot
from reports.notes import notes_for
from reports.peers import peer_ranks
from reports.schema import readable
from tracker.jobs import progress_response


@login_required
@require_GET
def index(request):
    regions = list(reportable_regions(request.user).order_by("code"))
    if len(regions) == 1:
        return redirect("reports:region", code=regions[0].code)
    rows = national.region_rows(regions)
    return render(
        request,
        "reports/index.html",
        {"rows": rows, "national_view": scope_for(request.user).sees_national_view},
    )


@login_required
@require_GET
def region(request, code):
    region = region_for(request.user, code)
    snapshots = list(region.report_snapshots.select_related("requested_by")[:50])
    latest = next((s for s in snapshots if s.state == ReportSnapshot.State.DONE), None)
    return render(
        request,
        "reports/region.html",
        {
            "region": region,
            "snapshots": snapshots,
            "snapshot": latest,
            **(report_context(latest) if latest else {}),
        },
    )


@login_required
@require_POST
def build(request, code):
    region = region_for(request.user, code)
    snapshot = tasks.request_report(region, as_of=timezone.localdate(), by=request.user)
    return redirect("reports:snapshot", pk=snapshot.pk)


@login_required
@require_GET
def snapshot(request, pk):
    snapshot = snapshot_for(request.user, pk)
    context = {"region": snapshot.region, "snapshot": snapshot}
    if snapshot.state == ReportSnapshot.State.DONE:
        context |= report_context(snapshot)
    return render(request, "reports/snapshot.html", context)


@login_required
@require_GET
def progress(request, pk):
    snapshot = snapshot_for(request.user, pk)
    return progress_response(snapshot, url=reverse("reports:snapshot", args=[snapshot.pk]))


@login_required
@require_GET
def comparison(request, code):
    region = region_for(request.user, code)
    done = ReportSnapshot.objects.done().filter(region=region)
    try:
        older = done.get(pk=int(request.GET["from"]))
        newer = done.get(pk=int(request.GET["to"]))
    except (KeyError, ValueError, ReportSnapshot.DoesNotExist):
        message = _("Choose two finished reports of this region to compare.")
        return render(request, "400.html", {"message": message}, status=400)
    if (older.as_of, older.pk) > (newer.as_of, newer.pk):
        older, newer = newer, older
    return render(
        request,
        "reports/compare.html",
        {
            "region": region,
            "older": older,
            "newer": newer,
            "reports": [older, newer],
            "comparison": compare.compare(readable(older.content), readable(newer.content)),
        },
    )


def report_context(snapshot: ReportSnapshot, *, annex_in_full: bool = False) -> dict:
    """What the report's template reads; ``annex_in_full``: every department's part in
    the annex (the PDF, which has no drill-down links to follow)."""
    content = readable(snapshot.content)
    history = list(
        ReportSnapshot.objects.done()
        .filter(region_id=snapshot.region_id, as_of__lte=snapshot.as_of)
        .order_by("as_of", "finished_at")
        .values_list("as_of", "share_verified", "share_socially_significant")
    )
    peers = peer_ranks(snapshot)
    departments = [row | {"peers": peers.get(row["id"])} for row in content["departments"]]
    notes = notes_for(snapshot.region_id, until=snapshot.as_of)
    markers = [(date.fromisoformat(note["on"]), str(note["number"])) for note in notes]
    since = (content.get("previous") or {}).get("as_of", "")
    return {
        "content": content,
        "summary": content["summary"],
        "departments": departments,
        "changes": content["changes"],
        "targets": brief.targets_at_risk_first(content.get("targets") or []),
        "biggest_changes": brief.biggest_changes(departments),
        "department_parts": brief.department_parts(content) if annex_in_full else None,
        "department_chart": department_share_chart(content["departments"]),
        # the notes explaining jumps: numbered on the chart, the new ones in the brief
        "notes": notes,
        "new_notes": [note for note in notes if note["on"] > since],
        "trend_chart": trend_chart(
            [(day, share) for day, share, _social in history], notes=markers
        ),
        "take_up_chart": _take_up_chart(content["summary"]),
        "target_charts": [
            (target, _plan_and_actual(target, history, notes))
            for target in content.get("targets", [])
            if target.get("region_wide")
        ],
    }


@login_required
@require_GET
def department(request, pk, department_id):
    """One department's part of a finished report: the drill-down from its row."""
    snapshot = snapshot_for(request.user, pk)
    if snapshot.state != ReportSnapshot.State.DONE:
        raise Http404("This report is not finished.")
    part = brief.department_part(readable(snapshot.content), department_id)
    if part is None:
        raise Http404("This report does not list that department.")
    return render(
        request,
        "reports/department.html",
        {"region": snapshot.region, "snapshot": snapshot, "part": part},
    )


def _take_up_chart(summary: dict) -> str:
    """Take-up month by month; its forecast, dashed, to the last month forecast."""
    months = [
        (date.fromisoformat(month), share) for month, share in summary.get("take_up_by_month", [])
    ]
    ahead = summary.get("take_up_forecast")
    plan = None
    if ahead and months:
        plan = (months[-1], (date.fromisoformat(ahead[-1]["month"]), ahead[-1]["value"]))
    return trend_chart(months, plan=plan)


def _plan_and_actual(target: dict, history, notes: list[dict]) -> str:
    """A region-wide target's actual share, report by report, against its plan line; the
    notes on it and on the whole region numbered at their dates."""
    social = target["scope"] == "social"
    actual = [(day, social_share if social else share) for day, share, social_share in history]
    plan = (
        (date.fromisoformat(target["set_on"]), target["baseline"]),
        (date.fromisoformat(target["deadline"]), target["goal"]),
    )
    markers = [
        (date.fromisoformat(note["on"]), str(note["number"]))
        for note in notes
        if note["target_id"] == target.get("id")
        or (note["target_id"] is None and note["department_id"] is None)
    ]
    return trend_chart(actual, plan=plan, notes=markers)
