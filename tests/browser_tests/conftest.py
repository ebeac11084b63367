"""The three user journeys in a real browser: Debian's Chromium driven by Playwright
against Django's live test server, with a real Celery worker for the report builds.

Playwright's own browser download is never used: the tests drive the system's Chromium
(`.ci/run` installs Debian's `chromium`). Each journey saves a screenshot per step under
test-artifacts/screenshots/ (SCREENSHOTS_DIR elsewhere).
"""

import functools
import os
import re
import shutil
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tracker.demo import DEMO_PASSWORD, load_demo

# Playwright's synchronous API runs an event loop in the test's thread; the test still
# reads the database between browser steps, which Django refuses in a thread with a loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", PROJECT / "test-artifacts" / "screenshots"))
LANGUAGES = ["kk", "ru"]
BROWSER_LOCALES = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-US"}

# What Django's admin, its theme and the import screens say in English where a catalog
# falls short. None may reach a Kazakh or Russian reader of the pages the journeys visit.
ENGLISH_ADMIN_PHRASES = [
    "Log in",
    "Log out",
    "Username",
    "Password",
    "Forgotten your password",
    "Welcome",
    "Home",
    "Dashboard",
    "Filters",
    "Filter",
    "Apply Filters",
    "Reset filters",
    "Show counts",
    "Hide counts",
    "Type to search",
    "Search",
    "Search apps and models",
    "All",
    "Yes",
    "No",
    "Unknown",
    "Action",
    "Run",
    "Go",
    "Select all",
    "Clear selection",
    "selected",
    "results",
    "total",
    "Add",
    "Change",
    "Delete",
    "History",
    "View",
    "Save",
    "Save and continue editing",
    "Save and add another",
    "Save and view",
    "Close",
    "Cancel",
    "Submit",
    "Return to site",
    "View site",
    "Recent actions",
    "My actions",
    "Import",
    "Export",
    "Confirm import",
    "Preview",
    "Errors",
    "Line number",
    "This importer will import the following fields",
    "File to import",
    "Format",
    "Resource",
    "New",
    "Update",
    "Skip",
    "Page not found",
    "Not Found",
    "The requested resource was not found on this server",
    "Today",
    "Now",
    "Calendar",
    "Choose a date",
    "Previous",
    "Next",
    "Light",
    "Dark",
    "System",
    "Theme",
    "Toggle navigation",
    "Collapse sidebar",
    "Expand sidebar",
    "Please correct the error below",
    "This field is required",
    "was changed successfully",
    "Navigation",
    "Object history",
    "Date/time",
    "User",
    "Changed",
    "Language",
]


@functools.cache
def own_messages(language: str) -> list[str]:
    """This project's messages of a few words, in English, that its catalog for the
    language says otherwise: one on a page means a message the catalog was not asked for
    (an untranslated string reaches the reader as it is). Placeholders and one-word
    messages are left out: "eGov" or "%(count)s" say nothing about a page's language."""
    catalog = translation.trans_real.translation(language)._catalog
    return sorted(
        {
            message
            for message, translated in catalog.items()
            if isinstance(message, str)
            and " " in message.strip()
            and "%" not in message
            and "{" not in message
            and translated != message
            and not PROJECT_NAMES.search(message)
        }
    )


# Names that stay as they are in every language (a message made of them is no sign).
PROJECT_NAMES = re.compile(r"eGov|mGov|ЦОН|XLSX|CSV|PDF|API")

# A field's name in the code (file_row, register_code) where a word should be.
CODE_NAME = re.compile(r"(?<![\w/.@-])[a-z]+(?:_[a-z0-9]+)+(?![\w/.@-])")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at the system's Chromium."""
    path = chromium_path()
    if path is None:
        message = (
            "No Chromium found for the browser tests: install Debian's chromium "
            "(apt install chromium) or set CHROMIUM_PATH."
        )
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it; a missing browser there is a broken run
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": path}


@pytest.fixture
def demo(transactional_db, celery_worker, settings):
    """The demo oblast, committed so the live server and the worker see it."""
    settings.DEBUG = True  # the loader refuses without it (it creates known passwords)
    load_demo(country=False)
    settings.DEBUG = False
    return DEMO_PASSWORD


@pytest.fixture
def demo_country(transactional_db, celery_worker, settings):
    """The demo oblast and the made-up rest of the country, for the national journey."""
    settings.DEBUG = True
    load_demo(country=True)
    settings.DEBUG = False
    return DEMO_PASSWORD


class Visit:
    """One person's browser session in one language: steps, screenshots, language checks."""

    def __init__(self, browser, live_server, language, journey):
        self.language = language
        self.context = browser.new_context(
            locale=BROWSER_LOCALES[language],
            base_url=live_server.url,
            accept_downloads=True,
            viewport={"width": 1360, "height": 900},
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.folder = SCREENSHOTS / f"{journey}-{language}"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.steps = 0

    def say(self, message: str, *, context: str | None = None) -> str:
        """A message of ours in this visit's language (what the page should show)."""
        with translation.override(self.language):
            return translation.pgettext(context, message) if context else gettext(message)

    def name_of(self, thing) -> str:
        """A region's, department's or service's name as this visit's reader sees it."""
        with translation.override(self.language):
            return str(thing)

    def shot(self, name: str) -> Path:
        self.steps += 1
        path = self.folder / f"{self.steps:02d}-{name}.png"
        self.page.screenshot(path=path)  # what the reader has on screen
        return path

    def log_in(self, username: str, password: str):
        self.page.goto("/admin/login/")
        self.assert_no_english()
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.shot("login")
        with self.page.expect_navigation():
            self.page.locator("form button[type=submit], form input[type=submit]").first.click()

    def readable_text(self) -> str:
        """What a reader sees or hears: the visible text, plus placeholders, titles and
        labels of controls."""
        # The page's text without icon names (the theme draws icons from ligatures such as
        # "filter_list"), including panels not open yet.
        visible = self.page.evaluate(
            """() => {
                const copy = document.body.cloneNode(true);
                copy.querySelectorAll(".material-symbols-outlined, script, style, template")
                    .forEach(element => element.remove());
                return copy.textContent;
            }"""
        )
        attributes = self.page.eval_on_selector_all(
            "[placeholder], [title], [aria-label], input[type=submit][value]",
            """elements => elements.flatMap(e => [e.getAttribute("placeholder"),
                e.getAttribute("title"), e.getAttribute("aria-label"),
                e.type === "submit" ? e.value : null]).filter(Boolean)""",
        )
        return "\n".join([visible, *attributes])

    def english_phrases(self) -> list[str]:
        """Known English admin phrases, our own messages left in English, and code names
        (register_code) shown as words."""
        text = self.readable_text()
        phrases = [
            phrase
            for phrase in [*ENGLISH_ADMIN_PHRASES, *own_messages(self.language)]
            if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)
        ]
        return phrases + sorted(set(CODE_NAME.findall(text)))

    def assert_no_english(self):
        assert self.english_phrases() == [], f"English on {self.page.url}"

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, live_server, request):
    """Open visits with `visit(language)`; each is closed after the test."""
    opened = []
    journey = request.node.originalname.removeprefix("test_")

    def open_visit(language):
        opened.append(Visit(browser, live_server, language, journey))
        return opened[-1]

    yield open_visit
    for each in opened:
        each.close()
