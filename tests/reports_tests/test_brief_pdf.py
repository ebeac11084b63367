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


# --- no internal code reaches a reader ---------------------------------------------------------


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text, not its tags, links or scripts."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.hidden = [], 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    reader = Reader()
    reader.feed(html)
    return " ".join(reader.parts)


@pytest.fixture(scope="module")
def codes_and_files(demo, django_db_blocker):
    """The demo's department codes, and every page and file the governor reads (in
    Kazakh), as text: the report, a department's part, the comparison, the report's XLSX
    and PDF, the services' CSV and XLSX exports."""
    import re

    import openpyxl
    from django.test import Client
    from pypdf import PdfReader

    from regions.models import Department

    with django_db_blocker.unblock():
        codes = set(Department.objects.filter(region__code="KZ-31").values_list("code", flat=True))
        reports = list(ReportSnapshot.objects.done().filter(region__code="KZ-31").order_by("as_of"))
        latest = reports[-1]
        department = latest.content["departments"][0]["id"]
        client = Client(headers={"accept-language": "kk"})
        client.force_login(User.objects.get(username="akim"))

        def get(name, *args, **query):
            response = client.get(reverse(name, args=args), query)
            assert response.status_code == 200, name
            return b"".join(response.streaming_content) if response.streaming else response.content

        texts = {
            "report": visible_text(get("reports:snapshot", latest.pk).decode()),
            "department": visible_text(get("reports:department", latest.pk, department).decode()),
            "comparison": visible_text(
                get("reports:compare", "KZ-31", **{"from": reports[0].pk, "to": latest.pk}).decode()
            ),
            "pdf": "".join(
                page.extract_text()
                for page in PdfReader(io.BytesIO(get("reports:pdf", latest.pk))).pages
            ),
            "services csv": get("exports:services_csv").decode("utf-8-sig"),
        }
        for name, path in (("report xlsx", "reports:xlsx"), ("services xlsx", None)):
            data = get(path, latest.pk) if path else get("exports:services_xlsx")
            workbook = openpyxl.load_workbook(io.BytesIO(data))
            texts[name] = " ".join(
                str(cell)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if cell is not None
            )
    pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted(codes)) + r")(?![\w-])")
    return pattern, texts


@pytest.mark.parametrize(
    "name",
    ["report", "department", "comparison", "pdf", "report xlsx", "services csv", "services xlsx"],
)
def test_no_department_code_reaches_a_reader(codes_and_files, name):
    pattern, texts = codes_and_files
    found = pattern.findall(texts[name])
    assert not found, f"{name} shows internal codes: {sorted(set(found))}"
