"""The demo oblast's PDF, read back from its own layout: every character's position on
every page, in Kazakh and Russian (the longest words and labels)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer

from regions.models import User
from reports.models import ReportSnapshot
from tests.conftest import demo_loaded_for_a_module

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points in a millimetre
RIGHT_MARGIN = 11 * MM  # the PDF's page margin (reports/pdf.html)
MAX_BRIEF_PAGES = 3


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_loaded_for_a_module(django_db_blocker, country=False) as logins:
        yield logins


@pytest.fixture(scope="module", params=["kk", "ru"])
def pdf_pages(request, demo, django_db_blocker):
    """(language, pages) of the governor's latest report as PDF: each page its width and
    its characters (text, x0, x1)."""
    from django.test import Client

    language = request.param
    with django_db_blocker.unblock():
        snapshot = ReportSnapshot.objects.done().filter(region__code="KZ-31").latest("as_of")
        client = Client()
        client.force_login(User.objects.get(username="akim"))
        response = client.get(
            reverse("reports:pdf", args=[snapshot.pk]), headers={"accept-language": language}
        )
    assert response.status_code == 200
    pages = []
    for page in extract_pages(io.BytesIO(response.content)):
        characters = [
            (character.get_text(), character.x0, character.x1)
            for container in page
            if isinstance(container, LTTextContainer)
            for line in container
            for character in getattr(line, "_objs", [])
            if isinstance(character, LTChar)
        ]
        text = "".join(c.get_text() for c in page if isinstance(c, LTTextContainer))
        pages.append({"width": page.width, "characters": characters, "text": text})
    return language, pages


def said(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def test_no_text_runs_past_the_right_edge_of_any_page(pdf_pages):
    language, pages = pdf_pages
    for number, page in enumerate(pages, start=1):
        edge = page["width"] - RIGHT_MARGIN / 2  # into the margin at most halfway
        beyond = [text for text, _x0, x1 in page["characters"] if x1 > edge]
        assert not beyond, f"{language}, page {number}: {''.join(beyond)[:80]!r} runs off"


def test_page_one_holds_the_headline_figures_the_laggards_and_readiness(pdf_pages):
    language, pages = pdf_pages
    first = " ".join(pages[0]["text"].split())
    for message in (
        "Electronic, verified",
        "Still on paper",
        "Departments, laggards first",
    ):
        assert " ".join(said(language, message).split()) in first, message
    readiness = said(language, "Regional readiness, as measured on %(day)s").split("%(day)s")[0]
    assert " ".join(readiness.split()) in first
    assert said(language, "Annex") not in first


def test_the_brief_is_at_most_three_pages_before_the_annex(pdf_pages):
    language, pages = pdf_pages
    annex = said(language, "Annex")
    starts = [number for number, page in enumerate(pages, start=1) if annex in page["text"]]
    assert starts, "the annex is missing"
    assert starts[0] - 1 <= MAX_BRIEF_PAGES
    assert len(pages) > starts[0]  # the annex holds the departments' parts
