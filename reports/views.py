"""The governor's pages: a region's reports, one report, its progress, a comparison."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from regions.access import region_for, reportable_regions, scope_for, snapshot_for
from reports import compare, national, tasks
from reports.charts import department_share_chart, trend_chart
from reports.models import ReportSnapshot
from reports.peers import peer_ranks
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
        return HttpResponseBadRequest("Choose two finished reports of this region.")
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
            "comparison": compare.compare(older.content, newer.content),
        },
    )


def report_context(snapshot: ReportSnapshot) -> dict:
    content = snapshot.content
    history = list(
        ReportSnapshot.objects.done()
        .filter(region_id=snapshot.region_id, as_of__lte=snapshot.as_of)
        .order_by("as_of", "finished_at")
        .values_list(
            "as_of",
            F("content__summary__share_digital"),
            F("content__summary__share_socially_significant_digital"),
        )
    )
    peers = peer_ranks(snapshot)
    return {
        "content": content,
        "summary": content["summary"],
        "departments": [row | {"peers": peers.get(row["id"])} for row in content["departments"]],
        "changes": content["changes"],
        "department_chart": department_share_chart(content["departments"]),
        "trend_chart": trend_chart([(day, share) for day, share, _social in history]),
        "take_up_chart": trend_chart(
            [
                (date.fromisoformat(month), share)
                for month, share in content["summary"].get("take_up_by_month", [])
            ]
        ),
        "target_charts": [
            (target, _plan_and_actual(target, history))
            for target in content.get("targets", [])
            if target.get("region_wide")
        ],
    }


def _plan_and_actual(target: dict, history) -> str:
    """A region-wide target's actual share, report by report, against its plan line."""
    social = target["scope"] == "social"
    actual = [(day, social_share if social else share) for day, share, social_share in history]
    plan = (
        (date.fromisoformat(target["set_on"]), target["baseline"]),
        (date.fromisoformat(target["deadline"]), target["goal"]),
    )
    return trend_chart(actual, plan=plan)
