"""The governor's report on a laptop's screen and on a phone: nothing scrolls sideways."""

import pytest

from tests.browser_tests.conftest import LANGUAGES

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"laptop": (1366, 768), "phone": (390, 844)}

# The widest element of the page and how far it reaches, for a readable failure.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    let widest = null, right = 0;
    for (const element of document.querySelectorAll("body *")) {
        const box = element.getBoundingClientRect();
        if (box.width && box.right > right) { right = box.right; widest = element; }
    }
    return {
        scroll: document.documentElement.scrollWidth, width: width, right: Math.round(right),
        widest: widest ? widest.tagName + "." + widest.className : null,
    };
}"""


def assert_fits(page, where: str):
    measured = page.evaluate(OVERFLOW)
    assert measured["scroll"] <= measured["width"], f"{where} scrolls sideways: {measured}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_governor_reads_the_report_on_a_laptop_and_a_phone(visit, demo, language):
    person = visit(language)
    person.log_in("akim", demo)
    for screen, (width, height) in SCREENS.items():
        person.page.set_viewport_size({"width": width, "height": height})
        person.page.goto("/reports/KZ-31/")
        person.page.locator("#report").wait_for()
        assert_fits(person.page, f"the report, {screen}")
        person.assert_no_english()
        person.shot(f"report-{screen}")
        # a department's row opens its part of the report
        person.page.locator("table.departments td.name a").first.click()
        person.page.locator(".department-figures").wait_for()
        assert_fits(person.page, f"a department's part, {screen}")
        person.assert_no_english()
        person.shot(f"department-{screen}")
