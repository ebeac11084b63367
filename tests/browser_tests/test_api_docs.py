"""The open-data API's Swagger UI renders in Chromium under the site's own CSP, with no
file from outside this server."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regions.models import Region

from .conftest import SCREENSHOTS


@pytest.fixture
def published(transactional_db):
    Region.objects.create(
        code="KZ-31",
        kind=Region.Kind.OBLAST,
        name_kk="Жамбыл облысы",
        name_ru="Жамбылская область",
        name_en="Zhambyl Region",
        centre_kk="Тараз",
        centre_ru="Тараз",
        centre_en="Taraz",
        published_on=timezone.localdate(),
    )


def test_the_api_docs_render_from_this_server_alone(browser, live_server, published):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    page = context.new_page()
    problems, asked = [], []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: asked.append(request.url))

    response = page.goto("/api/v1/docs/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI drew every endpoint from the schema, in the reader's language.
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = set(operations.all_inner_texts())
    assert {"/api/v1/services/", "/api/v1/figures/regions/", "/api/v1/meta/"} <= {
        p.replace("\u200b", "") for p in paths
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "api-docs.png")
    # Try an endpoint out, as a reader would: the answer comes from this server.
    page.locator(".opblock-summary-path", has_text="/api/v1/regions/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table")
    expect(answer.locator("tr.response .response-col_status")).to_contain_text("200")
    expect(answer.locator(".microlight").first).to_contain_text("KZ-31")

    own = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in asked if not url.startswith("data:")} == {own}
    assert problems == []  # no CSP refusal, no script error
    context.close()
