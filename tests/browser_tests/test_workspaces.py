"""Each person lands on their own work, on a laptop's screen (1366 × 768), in Kazakh and
in Russian: every role's first page with the demo oblast's figures, the service list and a
service's page without sideways scrolling, and a head's status move in one step from the
list, answered in place."""

import pytest
from django.utils import translation
from django.utils.formats import number_format
from playwright.sync_api import expect

from regions.models import Department
from reports.models import ReportSnapshot
from services.models import DIGITAL_STATUSES, Service, Status, StatusChange

from .conftest import LANGUAGES

pytestmark = pytest.mark.usefixtures("demo")

LAPTOP = {"width": 1366, "height": 768}

# Whatever scrolls sideways: the page itself, or any box of it that scrolls its own content.
SIDEWAYS = """() => {
    const found = [];
    const page = document.documentElement;
    if (page.scrollWidth > page.clientWidth) found.push("the page: " + page.scrollWidth);
    for (const element of document.querySelectorAll("body *")) {
        const overflow = getComputedStyle(element).overflowX;
        if ((overflow === "auto" || overflow === "scroll")
                && element.scrollWidth > element.clientWidth + 1) {
            found.push(element.tagName + (element.id ? "#" + element.id : "") + "."
                + String(element.className).slice(0, 60) + ": "
                + element.scrollWidth + " > " + element.clientWidth);
        }
    }
    return found;
}"""


def assert_nothing_scrolls_sideways(page, where: str):
    assert page.evaluate(SIDEWAYS) == [], f"{where} scrolls sideways at 1366 px"


def signed_in(visit, language, username, password):
    person = visit(language)
    person.page.set_viewport_size(LAPTOP)
    person.log_in(username, password)
    person.page.locator("#workspace").wait_for()
    return person


def figure(page, key: str) -> int:
    """One of the workspace's numbers, as written on it (and as its link counts)."""
    shown = page.locator(f"#workspace [data-figure={key}]").first
    count = int(shown.get_attribute("data-count"))
    expect(shown).to_contain_text(str(count))
    return count


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_head_lands_on_their_department(visit, demo, language):
    education = Service.objects.filter(
        department__code="EDU", department__region__code="KZ-31"
    ).in_register()
    head = signed_in(visit, language, "head.edu", demo)
    expect(head.page.locator("#workspace")).to_have_attribute("data-role", "head")
    expect(head.page.locator("#workspace h2").first).to_have_text(
        head.name_of(Department.objects.get(code="EDU", region__code="KZ-31"))
    )
    assert figure(head.page, "total") == education.count() == 25
    assert figure(head.page, "electronic") == education.filter(status__in=DIGITAL_STATUSES).count()
    head.assert_no_english()
    assert_nothing_scrolls_sideways(head.page, "the head's workspace")
    head.shot("head")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_digital_office_lands_on_the_claims_it_must_decide(visit, demo, language):
    office = signed_in(visit, language, "digital", demo)
    expect(office.page.locator("#workspace")).to_have_attribute("data-role", "office")
    awaiting = (
        Service.objects.filter(department__region__code="KZ-31")
        .in_register()
        .with_claims()
        .filter(awaiting_verification=True)
    )
    assert figure(office.page, "awaiting") == awaiting.count()
    expect(office.page.locator("#claims li")).to_have_count(max(1, min(awaiting.count(), 10)))
    expect(office.page.locator("#imports")).to_be_visible()
    office.assert_no_english()
    assert_nothing_scrolls_sideways(office.page, "the digital office's workspace")
    office.shot("office")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_national_analyst_lands_on_the_national_view(visit, demo, language):
    analyst = signed_in(visit, language, "ministry", demo)
    expect(analyst.page.locator("#workspace")).to_have_attribute("data-role", "national")
    analyst.assert_no_english()
    assert_nothing_scrolls_sideways(analyst.page, "the national analyst's workspace")
    analyst.shot("national")
    analyst.page.locator("#national a").first.click()
    expect(analyst.page.locator("body")).to_contain_text(
        analyst.name_of(Department.objects.get(code="EDU", region__code="KZ-31").region)
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reader", ["akim", "official"])
def test_the_governor_and_an_official_land_on_the_latest_report(visit, demo, language, reader):
    governor = signed_in(visit, language, reader, demo)
    expect(governor.page.locator("#workspace")).to_have_attribute("data-role", "reader")
    report = ReportSnapshot.objects.done().filter(region__code="KZ-31").latest("as_of")
    with translation.override(language):
        total = number_format(report.services_total, force_grouping=True)
    expect(governor.page.locator("#headline")).to_contain_text(total)
    expect(governor.page.locator("#laggards li")).to_have_count(3)
    governor.assert_no_english()
    assert_nothing_scrolls_sideways(governor.page, "the governor's workspace")
    governor.shot("governor")
    governor.page.locator("#headline a").click()
    governor.page.locator("#report").wait_for()  # the report page itself


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_head_moves_a_service_in_one_step_from_the_list(visit, demo, language):
    paper = Service.objects.filter(
        department__code="EDU", department__region__code="KZ-31", status=Status.PAPER
    ).order_by("pk")
    service = paper.first()
    head = signed_in(visit, language, "head.edu", demo)
    page = head.page
    page.goto("/admin/services/service/")
    assert_nothing_scrolls_sideways(page, "the service list")
    head.assert_no_english()
    head.shot("list")
    listed_at = page.url

    row = page.locator("#result_list tbody tr", has_text=head.name_of(service))
    row.locator("a[data-status-move]").click()
    dialog = page.locator("dialog.status-move-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("select[name=status]").select_option(Status.PARTIAL)
    why = {"kk": "Өтініш ХҚКО ақпараттық жүйесі арқылы", "ru": "Заявления через ИС ЦОН"}
    dialog.locator("textarea[name=comment]").fill(why[language])
    head.assert_no_english()
    head.shot("move-form")
    dialog.locator("button[type=submit]").click()

    expect(dialog).to_be_hidden()
    expect(row.locator(".status-badge")).to_have_text(
        head.say("partially automated"), ignore_case=True
    )
    expect(page.locator("[data-status-move-message]")).to_contain_text(head.name_of(service))
    assert page.url == listed_at  # answered in place: the list, its filters, where it was
    service.refresh_from_db()
    assert service.status == Status.PARTIAL
    latest = StatusChange.objects.filter(service=service).latest()
    assert (latest.new_status, latest.comment, latest.changed_by.username) == (
        Status.PARTIAL,
        why[language],
        "head.edu",
    )
    head.assert_no_english()
    head.shot("moved")

    # a move to electronic without proof is refused in the same dialog, saying why
    bare = paper.exclude(pk=service.pk).first()
    Service.objects.filter(pk=bare.pk).update(evidence_url="")
    page.reload()
    row = page.locator("#result_list tbody tr", has_text=head.name_of(bare))
    row.locator("a[data-status-move]").click()
    dialog.locator("select[name=status]").select_option(Status.ELECTRONIC)
    dialog.locator("textarea[name=comment]").fill(why[language])
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator("[role=alert]")).to_contain_text(
        head.say(
            "A move to electronic needs an evidence link (the service's eGov page, an order), "
            "which the digital office checks."
        )
    )
    bare.refresh_from_db()
    assert bare.status == Status.PAPER
    head.assert_no_english()
    dialog.locator("[data-status-move-cancel]").click()
    expect(dialog).to_be_hidden()

    row.get_by_role("link", name=head.name_of(bare)).click()
    page.locator("#service-history").wait_for()
    assert_nothing_scrolls_sideways(page, "a service's page")
    head.assert_no_english()
    head.shot("service-page")
