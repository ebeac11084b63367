"""The governor's report pages and files: who may open them, and what they say."""

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.build import build_region_report
from reports.models import ReportSnapshot
from services import actions
from services.models import Status
from tests.conftest import make_service

pytestmark = pytest.mark.django_db

KAZAKH = {"accept-language": "kk"}


@pytest.fixture
def reports(world):
    """Two finished reports of Zhambyl a week apart; camps went electronic in between."""
    now, today = timezone.now(), timezone.localdate()
    camps = make_service(
        world.education,
        "Направление в лагеря",
        name_kk="Лагерьлерге жолдама",
        by=world.head_of_education,
        at=now - timedelta(days=10),
    )
    older = build_region_report(world.zhambyl, as_of=today - timedelta(days=7))
    actions.set_status(
        camps,
        status=Status.ELECTRONIC,
        by=world.head_of_education,
        at=now - timedelta(days=2),
        comment="Кезек eGov порталында",
    )
    for service in (world.first_grade, camps):  # the heads' claims, accepted
        actions.verify_claim(service.status_changes.latest(), by=world.digital_office)
    newer = build_region_report(world.zhambyl, as_of=today, requested_by=world.governor)
    return older, newer


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


# --- who may open what --------------------------------------------------------------------


def test_anonymous_readers_are_sent_to_log_in(client, reports):
    response = client.get(url("region", "KZ-31"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_governor_goes_straight_to_their_region(client, world, reports):
    client.force_login(world.governor)
    response = client.get(url("index"))
    assert response.status_code == 302
    assert response["Location"] == url("region", "KZ-31")


def test_a_national_analyst_sees_every_region_in_the_index(client, world, reports):
    client.force_login(world.national_analyst)
    response = client.get(url("index"))
    assert [row.region.code for row in response.context["rows"]] == ["KZ-19", "KZ-31"]


@pytest.mark.parametrize("actor", ["head_of_education", "department_official", "outsider"])
def test_readers_without_the_whole_region_cannot_open_its_report(client, world, reports, actor):
    _older, newer = reports
    client.force_login(getattr(world, actor))
    assert client.get(url("region", "KZ-31")).status_code == 404
    assert client.get(url("snapshot", newer.pk)).status_code == 404
    assert client.get(url("pdf", newer.pk)).status_code == 404
    assert client.get(url("xlsx", newer.pk)).status_code == 404
    assert client.get(url("progress", newer.pk)).status_code == 404
    assert client.post(url("build", "KZ-31")).status_code == 404
    assert ReportSnapshot.objects.count() == 2


def test_a_governor_cannot_open_another_regions_reports(client, world, reports):
    other = build_region_report(world.almaty_region, as_of=date.today())
    client.force_login(world.governor)
    assert client.get(url("region", "KZ-19")).status_code == 404
    assert client.get(url("snapshot", other.pk)).status_code == 404
    assert client.get(url("xlsx", other.pk)).status_code == 404


# --- the report page ----------------------------------------------------------------------


def test_the_region_page_shows_the_latest_report_laggards_first(client, world, reports):
    _older, newer = reports
    client.force_login(world.governor)
    response = client.get(url("region", "KZ-31"), headers=KAZAKH)
    assert response.context["snapshot"] == newer
    assert [row["code"] for row in response.context["departments"]] == ["AGR", "EDU"]
    page = response.content.decode()
    assert "Ауыл шаруашылығы басқармасы" in page
    assert "Кезек eGov порталында" in page  # the change since the previous report
    assert "<svg" in page  # charts drawn on the server


def test_building_from_the_page_queues_a_report_and_shows_its_progress(
    client, world, reports, django_capture_on_commit_callbacks
):
    client.force_login(world.governor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url("build", "KZ-31"))
    snapshot = ReportSnapshot.objects.latest("created_at")
    assert response["Location"] == url("snapshot", snapshot.pk)
    assert (snapshot.state, snapshot.requested_by) == (ReportSnapshot.State.QUEUED, world.governor)
    assert len(callbacks) == 1  # the task is sent once the row is committed
    page = client.get(url("snapshot", snapshot.pk)).content.decode()
    assert 'data-progress-url="' + url("progress", snapshot.pk) in page
    progress = client.get(url("progress", snapshot.pk)).json()
    assert (progress["state"], progress["progress"]) == ("queued", 0)


def test_a_failed_build_shows_its_reason(client, world, reports):
    failed = ReportSnapshot.objects.create(
        region=world.zhambyl,
        as_of=date.today(),
        state=ReportSnapshot.State.FAILED,
        error="The report could not be built: disk is full",
    )
    client.force_login(world.governor)
    assert client.get(url("progress", failed.pk)).json()["error"].endswith("disk is full")
    assert "disk is full" in client.get(url("snapshot", failed.pk)).content.decode()
    assert client.get(url("pdf", failed.pk)).status_code == 404


def test_two_reports_compare_side_by_side(client, world, reports):
    older, newer = reports
    client.force_login(world.governor)
    response = client.get(url("compare", "KZ-31"), {"from": newer.pk, "to": older.pk})
    assert (response.context["older"], response.context["newer"]) == (older, newer)
    comparison = response.context["comparison"]
    verified = next(f for f in comparison["summary"] if f["key"] == "verified")
    assert (verified["old"], verified["new"], verified["delta"]) == (0, 2, 2)
    assert [s["name_ru"] for s in comparison["moved_up"]] == ["Направление в лагеря"]
    page = response.content.decode()
    assert '<span class="change better">▲ +2' in page  # two more verified: better
    for report in (older, newer):
        assert url("pdf", report.pk) in page
        assert url("xlsx", report.pk) in page


def test_comparing_needs_two_reports_of_the_region(client, world, reports):
    older, _newer = reports
    other = build_region_report(world.almaty_region, as_of=date.today())
    client.force_login(world.governor)
    assert client.get(url("compare", "KZ-31"), {"from": older.pk}).status_code == 400
    assert (
        client.get(url("compare", "KZ-31"), {"from": older.pk, "to": other.pk}).status_code == 400
    )


# --- files ----------------------------------------------------------------------------------


def test_the_xlsx_reads_back_with_the_figures_in_the_readers_language(client, world, reports):
    _older, newer = reports
    client.force_login(world.governor)
    response = client.get(url("xlsx", newer.pk), headers=KAZAKH)
    assert response["Content-Disposition"].endswith('-kk.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    summary, departments, lagging, changes = workbook.worksheets[:4]
    assert "Деңгейлер" in workbook.sheetnames  # how electronic: tests/reports_tests/test_maturity
    assert summary["A1"].value == "Жамбыл облысы"
    figures = {row[0].value: row[1].value for row in summary.iter_rows(min_row=6)}
    assert len(figures) == 10
    assert 4 in figures.values()  # services in total
    assert departments["B2"].value == "Ауыл шаруашылығы басқармасы"  # laggard first
    assert [departments.cell(row=r, column=4).value for r in (2, 3)] == [0, 2]
    assert lagging["B2"].value == "Субсидирование семян"
    assert changes["C2"].value == "Лагерьлерге жолдама"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_the_pdf_reads_back_with_figures_and_kazakh_names(client, world, reports):
    _older, newer = reports
    client.force_login(world.governor)
    response = client.get(url("pdf", newer.pk), headers=KAZAKH)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Жамбыл облысы" in text
    assert "Ауыл шаруашылығы басқармасы" in text
    assert "Кезек eGov порталында" in text
    summary = newer.content["summary"]  # 2 of 4 electronic, +2 since the previous report
    assert f"{summary['verified']} (50" in text  # "2 (50.0%)", the separator is the locale's
    flowing = " ".join(text.split())  # the card's lines wrap where the page needs
    assert "▲ +2 жақсы · ▲ +50,0" in flowing  # better, in Kazakh, and in points
    assert "66.7%" in text or "66,7%" in text  # education: 2 of 3, rounded, not cut


def test_files_are_made_from_the_snapshot_not_from_todays_data(client, world, reports):
    _older, newer = reports
    actions.set_status(world.seed_subsidy, status=Status.ELECTRONIC, by=world.head_of_agriculture)
    client.force_login(world.governor)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("xlsx", newer.pk)).content))
    departments = workbook.worksheets[1]
    agriculture = next(
        row for row in departments.iter_rows(min_row=2, values_only=True) if row[2] == 1
    )
    assert agriculture[3] == 0  # still none electronic in the frozen report


def test_the_region_page_costs_the_same_queries_with_2_or_8_reports(client, world, reports):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.governor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("region", "KZ-31")).status_code == 200
        return len(captured)

    with_two = queries()
    for days in range(20, 26):
        build_region_report(world.zhambyl, as_of=timezone.localdate() - timedelta(days=days))
    assert queries() == with_two <= 9  # the notes on the charts are one of them


def test_a_regions_first_report_shows_without_comparisons(client, world):
    build_region_report(world.zhambyl, as_of=timezone.localdate())
    client.force_login(world.governor)
    response = client.get(url("region", "KZ-31"), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "first report" in response.content.decode()


def test_the_report_xlsx_lists_a_blocker_excel_had_to_cut(client, world):
    whole = "Нет интеграции с ГБД ФЛ. " * 1500  # 37,500 characters
    make_service(world.education, "Выдача справки", by=world.head_of_education, blocker=whole)
    snapshot = build_region_report(world.zhambyl, as_of=timezone.localdate())
    client.force_login(world.governor)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url("xlsx", snapshot.pk), headers={"accept-language": "ru"}).content)
    )
    lagging = workbook.worksheets[2]
    cut = [c for row in lagging.iter_rows() for c in row if str(c.value).endswith(" […]")]
    assert len(cut) == 1 and whole.startswith(cut[0].value.removesuffix(" […]"))
    listing = workbook.worksheets[-1]
    assert [c.value for c in listing[4]] == [lagging.title, cut[0].coordinate, len(whole)]
