"""Service lists for download, filtered like the admin and scoped like everything else."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from services import exports
from services.filters import ServiceFilter
from services.models import Service


def _filtered(request):
    return ServiceFilter(request.GET, queryset=Service.objects.for_user(request.user))


def _filename(extension: str) -> str:
    return f"services-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@require_GET
def services_csv(request):
    found = _filtered(request)
    if not found.is_valid():
        return HttpResponseBadRequest(found.errors.as_text())
    response = StreamingHttpResponse(
        exports.csv_lines(found.qs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@login_required
@require_GET
def services_xlsx(request):
    found = _filtered(request)
    if not found.is_valid():
        return HttpResponseBadRequest(found.errors.as_text())
    return FileResponse(exports.xlsx_file(found.qs), as_attachment=True, filename=_filename("xlsx"))
