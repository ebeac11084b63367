"""The national ranking's pages: the latest ranking with its method and every region's
breakdown, one ranking (progress while it is built), building one now, PDF and XLSX.
For those who see every region (regions.access: sees_national_view)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from reports import tasks
from reports.models import NationalSnapshot
from reports.models.national import Indicator
from reports.national_views import national_reader
from reports.pdf import html_to_pdf
from reports.ranking_xlsx import ranking_workbook
from tracker.jobs import progress_response


def _finished_rankings():
    return NationalSnapshot.objects.filter(state=NationalSnapshot.State.DONE)


def ranking_context(snapshot: NationalSnapshot) -> dict:
    """What the page, the print view and the PDF show of one finished ranking."""
    content = snapshot.content
    method = content["method"]
    weights = sum(item["weight"] for item in method) or 1
    labels = dict(Indicator.choices)
    return {
        "snapshot": snapshot,
        "method": [
            item | {"label": labels.get(item["key"], item["key"]), "part": item["weight"] / weights}
            for item in method
        ],
        "regions": [
            row
            | {
                "cells": [
                    (row["values"].get(item["key"]), row["points"].get(item["key"]))
                    for item in method
                ]
            }
            for row in content["regions"]
        ],
    }


@login_required
@require_GET
def latest(request):
    national_reader(request)
    snapshot = _finished_rankings().order_by("-as_of", "-finished_at", "-pk").first()
    context = {
        "history": _finished_rankings().order_by("-as_of", "-finished_at")[:12],
        "building": NationalSnapshot.objects.exclude(state=NationalSnapshot.State.DONE).first(),
    }
    if snapshot is not None:
        context |= ranking_context(snapshot)
    return render(request, "reports/ranking.html", context)


@login_required
@require_GET
def one(request, pk):
    national_reader(request)
    snapshot = get_object_or_404(NationalSnapshot, pk=pk)
    context = {"snapshot": snapshot, "history": None}
    if snapshot.state == NationalSnapshot.State.DONE:
        context |= ranking_context(snapshot)
    return render(request, "reports/ranking.html", context)


@login_required
@require_GET
def progress(request, pk):
    national_reader(request)
    snapshot = get_object_or_404(NationalSnapshot, pk=pk)
    return progress_response(snapshot, url=reverse("reports:ranking_one", args=[snapshot.pk]))


@login_required
@require_POST
def build(request):
    national_reader(request)
    snapshot = tasks.request_national(as_of=timezone.localdate(), by=request.user)
    return redirect("reports:ranking_one", pk=snapshot.pk)


def _done(request, pk) -> NationalSnapshot:
    national_reader(request)
    return get_object_or_404(_finished_rankings(), pk=pk)


def _attachment(data: bytes, content_type: str, snapshot, extension: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    name = f"ranking-{snapshot.as_of:%Y-%m-%d}-{get_language()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def pdf(request, pk):
    snapshot = _done(request, pk)
    html = render_to_string(
        "reports/ranking_pdf.html", {"print": True, **ranking_context(snapshot)}, request=request
    )
    return _attachment(html_to_pdf(html), "application/pdf", snapshot, "pdf")


@login_required
@require_GET
def xlsx(request, pk):
    snapshot = _done(request, pk)
    return _attachment(
        ranking_workbook(ranking_context(snapshot)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        snapshot,
        "xlsx",
    )
