"""The product's three everyday journeys, each in Kazakh and in Russian, in Chromium."""

import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook
from playwright.sync_api import expect

from regions.models import Department
from reports.models import ReportSnapshot
from services.models import Service, Status, StatusChange

from .conftest import LANGUAGES

pytestmark = pytest.mark.usefixtures("demo")


# What a head types when moving a service on (any text; it must come back in the history).
WHY = {
    "kk": "Өтініштер eGov порталы арқылы қабылданады, шешімді бөлім қолмен береді",
    "ru": "Заявления принимаются через портал eGov, решение отдел выдаёт вручную",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_head_moves_a_paper_service(visit, demo, language):
    """A department head finds a paper service, moves it to partially automated with a
    comment, sees the move in its history, and cannot open another department's service."""
    education = Department.objects.get(code="EDU")
    paper = Service.objects.filter(department=education, status=Status.PAPER).order_by("pk")
    service = paper[LANGUAGES.index(language)]  # each language moves a service of its own
    head = visit(language)
    name = head.name_of(service)
    page = head.page

    head.log_in("head.edu", demo)
    head.assert_no_english()
    head.shot("dashboard")

    page.goto("/admin/services/service/")
    page.fill("input[name=q]", name[:30])
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    row = page.locator("#result_list tbody tr", has_text=name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(head.say("paper"))
    head.assert_no_english()
    head.shot("found")

    row.get_by_role("link", name=name).click()
    page.select_option("select[name=status]", Status.PARTIAL)
    comment = WHY[language]
    page.fill("textarea[name=status_comment], input[name=status_comment]", comment)
    head.assert_no_english()
    head.shot("edit")
    page.locator("button[name=_continue], input[name=_continue]").first.click()
    page.wait_for_load_state()
    head.assert_no_english()

    service.refresh_from_db()
    assert service.status == Status.PARTIAL
    latest = StatusChange.objects.filter(service=service).latest()
    assert (latest.new_status, latest.comment, latest.changed_by.username) == (
        Status.PARTIAL,
        comment,
        "head.edu",
    )
    history = page.locator("fieldset, .inline-group", has_text=comment).first
    expect(history).to_be_visible()
    expect(history).to_contain_text(head.say("partially automated"))
    history.scroll_into_view_if_needed()
    head.shot("saved-with-history")

    elsewhere = Service.objects.exclude(department=education).order_by("pk").first()
    response = page.goto(f"/admin/services/service/{elsewhere.pk}/change/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(head.name_of(elsewhere))
    head.assert_no_english()
    head.shot("other-department-refused")


def shares_in_order(page) -> list[float]:
    """The "share electronic" column of the report's department table, top to bottom."""
    cells = page.locator("table.departments tbody tr td:nth-child(6)").all_inner_texts()
    return [float(re.sub(r"[^\d,.]", "", cell).replace(",", ".")) for cell in cells]


@pytest.mark.parametrize("language", LANGUAGES)
def test_governor_reviews_builds_compares_and_downloads(visit, demo, language):
    """A governor opens the region report (laggards first), builds a new one and watches it
    finish, compares it with the previous report and downloads the PDF."""
    governor = visit(language)
    page = governor.page
    region = Department.objects.get(code="EDU").region
    before = set(ReportSnapshot.objects.values_list("pk", flat=True))

    governor.log_in("akim", demo)
    page.goto("/reports/")  # a governor of one region lands on its report
    expect(page.locator("h1")).to_have_text(governor.name_of(region))
    shares = shares_in_order(page)
    assert len(shares) == 12 and shares == sorted(shares) and shares[0] < shares[-1]
    laggards = page.locator("table.departments tbody tr td.name a")
    lagging_four = {
        getattr(d, f"short_name_{language}")
        for d in Department.objects.filter(code__in=["HLT", "TOUR", "LAND", "NAT"])
    }
    assert set(laggards.all_inner_texts()[:4]) == lagging_four
    governor.assert_no_english()
    governor.shot("region-report")

    page.get_by_role("button", name=governor.say("Build a report now")).click()
    expect(page.locator(".progress-panel, #report").first).to_be_visible()
    governor.shot("building")
    expect(page.locator("#report")).to_be_visible(timeout=60_000)  # swapped in when done
    [built] = ReportSnapshot.objects.exclude(pk__in=before)
    assert (built.state, built.requested_by.username) == (ReportSnapshot.State.DONE, "akim")
    assert (
        built.content["summary"]["total"]
        == Service.objects.filter(department__region=region).count()
    )
    governor.assert_no_english()
    governor.shot("built")

    page.get_by_role("link", name=governor.say("Compare with the previous report")).click()
    expect(page.locator("table.comparison")).to_be_visible()
    assert f"to={built.pk}" in page.url
    governor.assert_no_english()
    governor.shot("compared")

    page.goto(f"/reports/snapshots/{built.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{language}.pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def column_of(sheet, visit, field: str) -> int:
    """Where the exported sheet puts a field: its header is the field's name in the
    reader's language."""
    with translation.override(visit.language):
        label = capfirst(str(Service._meta.get_field(field).verbose_name))
    return [cell.value for cell in sheet[1]].index(label) + 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_official_exports_edits_and_imports_back(visit, demo, language, tmp_path):
    """An official of the digital office filters the list, exports it to XLSX, edits the
    file, imports it back through the preview, and sees the row errors of a bad file."""
    education = Department.objects.get(code="EDU")
    official = visit(language)
    page = official.page

    official.log_in("digital", demo)
    page.goto("/admin/services/service/")
    page.locator("a.filter-open-button", has_text=official.say("Filters")).click()
    page.locator(f"a[title='{official.name_of(education)}']").first.click()
    page.wait_for_load_state()
    page.locator("a.filter-open-button", has_text=official.say("Filters")).click()
    page.locator(f"a[title='{official.say('paper')}']").first.click()
    page.wait_for_load_state()
    paper = Service.objects.filter(department=education, status=Status.PAPER)
    expect(page.locator("#result_list tbody tr")).to_have_count(paper.count())
    official.assert_no_english()
    official.shot("filtered")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=official.say("Export XLSX")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    download.save_as(tmp_path / download.suggested_filename)
    exported = load_workbook(tmp_path / download.suggested_filename)
    sheet = exported.active
    assert sheet.max_row - 1 == paper.count()  # the export kept the filters

    # The office edits the file: the first service is now partially automated.
    column = column_of(sheet, official, "status")
    sheet.cell(row=2, column=column).value = official.say("partially automated")
    edited = tmp_path / "edited.xlsx"
    exported.save(edited)
    name_column = column_of(sheet, official, "name_ru")
    moved = paper.get(name_ru=sheet.cell(row=2, column=name_column).value)

    page.get_by_role("link", name=official.say("Import")).click()
    page.select_option("select[name=department]", str(education.pk))
    page.set_input_files("input[name=import_file]", edited)
    official.shot("import-form")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    preview = page.locator("table", has_text=official.name_of(moved)).first
    expect(preview).to_be_visible()
    moved.refresh_from_db()
    assert moved.status == Status.PAPER  # the preview wrote nothing
    official.assert_no_english()
    official.shot("preview")

    page.get_by_role("button", name=official.say("Confirm import")).click()
    page.wait_for_load_state()
    moved.refresh_from_db()
    assert moved.status == Status.PARTIAL
    assert "edited.xlsx" in moved.status_changes.latest().comment
    official.assert_no_english()
    official.shot("imported")

    # A bad file: an unknown status and a register code that is not one.
    sheet.cell(row=2, column=column).value = "???"
    sheet.cell(row=3, column=column_of(sheet, official, "register_code")).value = "12-AB"
    bad = tmp_path / "bad.xlsx"
    exported.save(bad)
    before = StatusChange.objects.count()
    page.get_by_role("link", name=official.say("Import")).click()
    page.select_option("select[name=department]", str(education.pk))
    page.set_input_files("input[name=import_file]", bad)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    for row in (2, 3):
        where = official.say("row %(row)s of the file: %(problem)s") % {"row": row, "problem": ""}
        expect(page.locator("body")).to_contain_text(where.strip())
    expect(page.get_by_role("button", name=official.say("Confirm import"))).to_have_count(0)
    assert StatusChange.objects.count() == before
    official.assert_no_english()
    official.shot("row-errors")
