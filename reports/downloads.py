"""A finished report as a file for the meeting: XLSX and PDF, in the reader's language.

Both are made from the snapshot's frozen content, never from the live tables, so the
file a governor downloads today says what the report said when it was built.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from regions.access import snapshot_for
from reports.models import ReportSnapshot
from reports.pdf import html_to_pdf
from reports.views import report_context
from reports.xlsx import report_workbook


@login_required
@require_GET
def xlsx(request, pk):
    snapshot = _finished(request, pk)
    return _attachment(
        report_workbook(snapshot, language=get_language()),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(snapshot, "xlsx"),
    )


@login_required
@require_GET
def pdf(request, pk):
    snapshot = _finished(request, pk)
    html = render_to_string(
        "reports/pdf.html",
        {
            "region": snapshot.region,
            "snapshot": snapshot,
            "print": True,
            **report_context(snapshot, annex_in_full=True),
        },
        request=request,
    )
    return _attachment(html_to_pdf(html), "application/pdf", _filename(snapshot, "pdf"))


def _finished(request, pk) -> ReportSnapshot:
    snapshot = snapshot_for(request.user, pk)
    if snapshot.state != ReportSnapshot.State.DONE:
        raise Http404("This report is not finished.")
    return snapshot


def _filename(snapshot: ReportSnapshot, extension: str) -> str:
    return f"report-{snapshot.region.code}-{snapshot.as_of:%Y-%m-%d}-{get_language()}.{extension}"


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
