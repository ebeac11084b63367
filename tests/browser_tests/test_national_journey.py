"""The national analyst's journey, in Kazakh and in Russian, in Chromium: every region side
by side, sorted, one region opened, every region's education departments compared, the
national ranking downloaded as PDF."""

import re

import pytest
from playwright.sync_api import expect

from regions.models import Region

from .conftest import LANGUAGES


def shares(page, column: int) -> list[float]:
    """One column of the national table, top to bottom, as numbers ("—" left out)."""
    cells = page.locator(f"#national-regions tbody tr td:nth-child({column})").all_inner_texts()
    return [
        float(re.sub(r"[^\d,.]", "", cell).replace(",", "."))
        for cell in cells
        if re.search(r"\d", cell)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_national_analyst_compares_regions_and_downloads_the_ranking(visit, demo_country, language):
    analyst = visit(language)
    page = analyst.page
    analyst.log_in("ministry", demo_country)

    page.goto("/reports/")
    page.get_by_role("link", name=analyst.say("Every region side by side")).click()
    expect(page.locator("#national-regions")).to_be_visible()
    rows = page.locator("#national-regions tbody tr")
    expect(rows).to_have_count(Region.objects.count())
    # Laggards first: the verified share (the 7th column) grows down the table.
    verified = shares(page, 7)
    assert len(verified) == 20 and verified == sorted(verified)
    analyst.assert_no_english()
    analyst.shot("national")

    # Sorted by the same column the other way: the leader on top.
    page.locator(
        "#national-regions thead a", has_text=analyst.say("Share electronic, verified")
    ).click()
    expect(page).to_have_url(re.compile(r"sort=share_verified&order=desc"))
    descending = shares(page, 7)
    assert descending == sorted(verified, reverse=True)
    analyst.shot("sorted")

    leader = page.locator("#national-regions tbody tr").first.locator("td:nth-child(2) a")
    name = leader.inner_text()
    leader.click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("table.departments")).to_be_visible()
    analyst.assert_no_english()
    analyst.shot("region")

    page.go_back()
    page.get_by_role(
        "link", name=analyst.say("One kind of department, or one sphere, in every region")
    ).click()
    expect(page.locator("#across-regions tbody tr")).to_have_count(20)
    expect(page.locator("#shared-services tbody tr")).to_have_count(25)  # education's
    analyst.assert_no_english()
    analyst.shot("education-in-every-region")

    page.goto("/reports/national/")
    page.get_by_role("link", name=analyst.say("National ranking")).click()
    expect(page.locator("#ranking-regions tbody tr")).to_have_count(20)
    analyst.assert_no_english()
    analyst.shot("ranking")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{language}.pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
