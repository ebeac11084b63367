"""Large exports run as background jobs: progress, then a download only for the requester."""

import io

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from services.models import ExportJob
from services.tasks import run_export
from tests.conftest import wait_for

XLSX = reverse("exports:services_xlsx")


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.MEDIA_ROOT = tmp_path


def job_url(name, job):
    return reverse(f"exports:{name}", args=[job.pk])


@pytest.mark.django_db
def test_an_export_over_the_threshold_becomes_a_job_with_a_progress_page(
    client, world, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(world.digital_office)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(XLSX, {"status": "paper"})  # 2 rows: streamed at once
    assert response.status_code == 200 and not callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(XLSX, {"region": "KZ-31"})  # 3 rows: a job
    job = ExportJob.objects.get()
    assert response["Location"] == job_url("job", job)
    assert (job.requested_by, job.format, job.parameters) == (
        world.digital_office,
        "xlsx",
        {"region": ["KZ-31"]},
    )
    assert len(callbacks) == 1
    assert client.get(job_url("job_progress", job)).json()["state"] == "queued"
    assert client.get(job_url("job_download", job)).status_code == 404  # not ready


@pytest.mark.django_db
def test_a_job_writes_the_rows_its_requester_may_see_and_only_they_download_it(
    client, world, small_threshold
):
    job = ExportJob.objects.create(requested_by=world.head_of_education, format="xlsx")
    run_export(job)
    assert (job.state, job.total, job.written, job.progress) == ("done", 2, 2, 100)
    client.force_login(world.head_of_education)
    download = client.get(job_url("job_download", job))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 3  # header + the two education services, nothing of AGR
    client.force_login(world.digital_office)
    assert client.get(job_url("job", job)).status_code == 404
    assert client.get(job_url("job_download", job)).status_code == 404


@pytest.mark.django_db
def test_a_failed_job_says_why(world, small_threshold):
    job = ExportJob.objects.create(
        requested_by=world.governor, format="xlsx", parameters={"status": ["digital"]}
    )
    run_export(job)  # a filter that means nothing must not turn into "everything"
    assert (job.state, job.written, bool(job.file)) == ("failed", 0, False)
    assert "digital" in job.error


def test_a_worker_builds_the_export_file(
    celery_worker, transactional_db, world, small_threshold, client
):
    client.force_login(world.digital_office)
    with transaction.atomic():
        response = client.get(reverse("exports:services_csv"))
    job = ExportJob.objects.get()
    assert response["Location"] == job_url("job", job)

    def done():  # a database hiccup on the way is retried by the task, as in production
        job.refresh_from_db()
        return job.state == "done"

    wait_for(done, seconds=60)
    text = b"".join(client.get(job_url("job_download", job)).streaming_content).decode()
    assert text.count("\r\n") == 4  # header + 3 services of the region


@pytest.mark.django_db
def test_a_job_that_cut_long_cells_says_so_beside_its_download(client, world, small_threshold):
    from tests.conftest import make_service

    make_service(world.education, "Длинная", by=world.head_of_education, blocker="ы" * 40_000)
    job = ExportJob.objects.create(requested_by=world.head_of_education, format="xlsx")
    run_export(job)
    assert job.state == "done" and "1" in job.warning and "CSV" in job.warning
    client.force_login(world.head_of_education)
    page = client.get(job_url("job", job)).content.decode()
    assert escape(job.warning) in page
    csv_job = ExportJob.objects.create(requested_by=world.head_of_education, format="csv")
    run_export(csv_job)
    assert csv_job.warning == ""
