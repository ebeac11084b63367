"""Every page each role can reach, read in Kazakh and in Russian: no English on any.

For each demo role (tracker/demo.py) and each language the crawler signs in, starts from
the admin's index and the report pages and follows the links of every page it gets,
breadth first and on this site only: the admin's lists and their filters, add, change,
history and delete pages (asked for, never sent), the report pages and their downloads,
the national ones with the demo's one oblast.
Then the pages no link leads to, with DEBUG off: 400, 403, 404 and 500, a form sent
without its CSRF token, the sign-in page and a wrong password, and the import preview of
bad files.

What a reader sees or hears on each page (its text, titles, placeholders, labels, the
values of its buttons; not scripts, nor the theme's icon names) fails the test on:

- an English word: ASCII letters only, three or more, found in the English dictionary
  below (every word of every message Django, the libraries and we ask to translate:
  exactly the words a missing translation leaks), unless on the short ALLOWED list;
- a string known to be broken in a library's catalog of that language (known_broken());
- ``<html lang>`` other than the language asked for.

A link that answers 500 or a refusal is reported by a test of its own, so that a crawl
that went wrong is not mistaken for leaks, nor hidden behind them. Each test reports all
it found at once, grouped by language, then phrase, with the first pages (and roles) it
was seen on.

To stay within seconds, links are grouped by shape (digits replaced, parameter names): a
role asks PER_SHAPE of a shape, and the pages whose words do not depend on the reader (a
download, a list with a filter, a history) are asked once a language, by the first role.
"""

import io
import logging
import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import django
import openpyxl
import polib
import pypdf
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path as route
from django.utils import timezone, translation
from django.utils.text import capfirst

import tracker.urls
from regions.models import Department, User
from reports.national_build import build_national_snapshot
from tests.conftest import demo_loaded_for_a_module
from tests.services_tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru"]
# The demo's logins, one of each role (tracker/demo.py); head.edu stands for the heads.
ROLES = ["admin", "digital", "akim", "official", "head.edu", "ministry"]
PER_SHAPE = 1  # links of one shape asked, per role and language
FILTERS_PER_LIST = 1  # a list with a filter, per language (and one with its counts shown)
MAX_PAGES = 120  # per role and language: a guard against a crawl that runs away
START = ["/admin/", "/reports/"]

# --- What is not followed ----------------------------------------------------------------
SKIPPED = re.compile(
    r"/logout/|/i18n/|/jsi18n/|/autocomplete/|^/static/|^/media/"
    r"|/r/\d+/"  # the admin's "view on site": a redirect to a report page reached anyway
)
# Popups belong to another form's field; a list sorted or at its next page says what the
# list says.
SKIPPED_PARAMETERS = {"_popup", "_to_field", "o", "p"}
# Only keeps the list's filters for the change page's way back: the same page without it.
DROPPED_PARAMETERS = {"_changelist_filters"}
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv)$|/download/$")
# Pages whose words do not depend on who reads them: an object's history, an app's list
# of models, the password and second-factor pages.
SHARED = re.compile(r"/history/$|^/admin/\w+/$|^/admin/(password_change|two-step)/$")


# --- The English dictionary --------------------------------------------------------------
def catalogs_of_messages() -> list[Path]:
    """One catalog of every library app and of Django (the English one where shipped: the
    messages, not their translations, are what is read), and our own English catalog and
    our catalogs of the libraries' untranslated messages (the theme ships none)."""
    found = []
    roots = [Path(django.__file__).parent / "conf", *(Path(a.path) for a in apps.get_app_configs())]
    for root in roots:
        locale = root / "locale"
        languages = sorted(p.name for p in locale.iterdir()) if locale.is_dir() else []
        chosen = [x for x in ("en", "ru") if x in languages] or languages
        if chosen:
            found += sorted((locale / chosen[0] / "LC_MESSAGES").glob("*.po"))
    ours = Path(settings.BASE_DIR) / "tracker"
    found += [ours / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    found += sorted((ours / "library_locale").glob("*/LC_MESSAGES/*.po"))
    return found


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>|&\w+;")


def english_dictionary() -> frozenset[str]:
    words = set()
    for path in catalogs_of_messages():
        for entry in polib.pofile(str(path)):
            for message in (entry.msgid, entry.msgid_plural):
                words |= set(re.findall(r"[a-z]+", PLACEHOLDER.sub(" ", message).lower()))
    return frozenset(w for w in words if len(w) >= 3)


# Latin-script words a Kazakh or Russian page may show. Each is in the dictionary (or it
# would never be flagged) and has earned its place here.
ALLOWED = {
    "egov",  # the state portals' names (eGov.kz, mGov), as Kazakh and Russian write them
    "mgov",
    "english",  # the language switcher names each language in that language
    "pdf",  # file formats, on download links and import forms
    "xlsx",
    "csv",
    "excel",  # the program offices use: "Excel файлы", "файл Excel"
    "api",  # "API-ключ", "API кілті": the term both languages use for open-data keys
    "iso",  # "ISO 3166-2": the standard the region codes follow
    "ldap",  # a protocol's name, kept in Django's own Russian ("… или LDAP")
}
# Names of more than one word, taken out of the text before it is read.
NAMES = [
    "Single Sign-On",  # kept as the term in Django's Russian and our Kazakh ("(Single Sign-On)")
    "Google Authenticator",  # the apps the second-factor page suggests
    "Microsoft Authenticator",
    "FreeOTP",
    "User Agent",  # HTTP headers, by their names in the sign-in log ("Браузер (User Agent)")
    "HTTP Accept",
    "GET",  # HTTP methods, by their names in the sign-in log ("GET Data")
    "POST",
    "«Service name»",  # the English column header an import accepts, quoted as such
]
# Two-letter words are too short to tell from codes (KZ, ID), except the admin's own.
SHORT_ENGLISH = {"No", "Go"}

URL_OR_EMAIL = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:kz|ru|com|org|net|gov)\b"  # a bare domain: elicense.kz
)
LETTER = r"[^\W\d_]"
# A run of Latin words inside one text: "Save and continue editing", "file_row".
LATIN_RUN = re.compile(rf"(?<!{LETTER})[A-Za-z]+(?:[ \t\xa0,.:;!?&/()'_-]+[A-Za-z]+)*(?!{LETTER})")


def data_in_latin_script() -> list[str]:
    """What people typed or systems recorded, shown as it is, not words of the interface:
    login names, department codes, every record's English name and text (edited next to
    its Kazakh and Russian), and what the sign-in log keeps of a request (its browser,
    method, path and form). Longest first, as they are taken out of a text."""
    values = {*User.objects.values_list("username", flat=True)}
    values |= {*Department.objects.values_list("code", flat=True)}
    for model in apps.get_models():
        english = [
            f.name
            for f in model._meta.concrete_fields
            if f.name.endswith("_en") and isinstance(f, models.CharField | models.TextField)
        ]
        if english:
            values |= {v for row in model._default_manager.values_list(*english) for v in row}
    recorded = ["user_agent", "http_accept", "path_info", "get_data", "post_data"]
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = [f for f in recorded if any(f == x.name for x in model._meta.concrete_fields)]
        for row in model.objects.values_list(*fields):
            values |= {line.strip() for value in row for line in (value or "").splitlines()}
    return sorted((v for v in values if v and re.search("[A-Za-z]{3}", v)), key=len, reverse=True)


# --- Strings known to be broken in the libraries' catalogs --------------------------------
def russian_model_names_in_the_nominative() -> list[str]:
    """The admin's model names whose accusative is not the nominative: "Добавить услуга"
    is Django's "Добавить %s" given a name that had to change ("услугу")."""
    with translation.override("ru"):
        names = {str(model._meta.verbose_name) for model in admin.site._registry}
    # Feminine nouns (and their adjectives) in -а/-я change; so do animate masculines.
    animate = {"пользователь"}
    return sorted(
        n for n in names if n.split()[0].lower().endswith(("а", "я")) or n.lower() in animate
    )


def known_broken() -> dict[str, list[re.Pattern]]:
    kazakh = [
        "Өшіру/Уақыт",  # Django's kk "Date/time": "delete/time"
        "үщін таңда",  # "Select %s to change": "үшін" misspelt
        "өзгету",  # "Change %s": "өзгерту" misspelt
        "Өзгерес тарихы",  # "Change history: %s": "Өзгерістер тарихы"
        "Тағы басқа",  # "Add another %(verbose_name)s": "... кос"
        "0 of ",  # "0 of %(cnt)s selected", half English in Django's kk
        "-ден 0 таңдалды",  # ditto, the other half
        "one:",  # plural forms written into one message ("one: …\n\nother: …")
        "other:",
    ]
    russian = [
        f"{verb} {name}"
        for name in russian_model_names_in_the_nominative()
        for verb in ("Выберите", "Добавить", "Изменить", "Просмотреть", "Удалить")
    ]
    return {
        "kk": [re.compile(re.escape(s)) for s in kazakh],
        "ru": [re.compile(rf"{re.escape(s)}(?!\w)", re.IGNORECASE) for s in russian],
    }


# --- Reading a page ------------------------------------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
UNSEEN = {"script", "style", "template"}
ICONS = "material-symbols-outlined"  # the theme's icons: ligatures such as "filter_list"
SPOKEN = ["title", "placeholder", "aria-label", "alt"]


class Reading(HTMLParser):
    """What a reader of one page sees or hears (``texts``), its links and <html lang>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.links, self.lang = [], [], None
        self.open = []  # (tag, unseen) of each element open here

    def unseen(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = attrs.get("lang", "")  # None: a fragment, not a page
        if tag in ("a", "area") and attrs.get("href"):
            self.links.append(attrs["href"])
        unseen = self.unseen() or tag in UNSEEN or ICONS in attrs.get("class", "").split()
        if not unseen:
            self.texts += [attrs[name] for name in SPOKEN if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                self.texts.append(attrs.get("value", ""))
        if tag not in VOID:
            self.open.append((tag, unseen))

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _ in self.open):
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self.unseen() and data.strip():
            self.texts.append(data)


def read_html(content: str) -> Reading:
    reading = Reading()
    reading.feed(content)
    reading.close()
    return reading


def html_instead_of_the_pdf(html: str) -> bytes:
    """Stands in for the report's PDF drawing: WeasyPrint takes seconds a language to draw
    the brief (tests/reports_tests/test_brief_pdf.py reads the drawn one); its words are
    those of the HTML it is drawn from, read here as a page's."""
    return html.encode()


def texts_of_download(response) -> list[str]:
    content = response.getvalue()
    kind = response.get("Content-Type", "")
    if "pdf" in kind and not content.startswith(b"%PDF"):
        return read_html(content.decode()).texts  # html_instead_of_the_pdf
    if "pdf" in kind:
        return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]
    if "spreadsheet" in kind:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        ]
    if "csv" in kind:
        return content.decode("utf-8-sig").splitlines()
    return []


# --- The crawl -----------------------------------------------------------------------------
@dataclass
class Crawl:
    dictionary: frozenset[str]
    broken: dict[str, list[re.Pattern]]
    data: list[str] = field(default_factory=list)  # data_in_latin_script(), kept fresh
    data_words: set[str] = field(default_factory=set)  # the words of those, for review
    # language → (kind, phrase) → the text it was first seen in, then where ("url [role]")
    findings: dict = field(default_factory=lambda: defaultdict(dict))
    # "GET shape → status" → (the roles, the first examples) of links answering 500 or a
    # refusal, and of pages asked directly answering other than they should
    problems: dict = field(default_factory=lambda: defaultdict(lambda: (set(), {})))
    linked_from: dict = field(default_factory=dict)  # (role, url) → the page that links it
    visited: Counter = field(default_factory=Counter)  # (role, language) → pages read
    shapes: set = field(default_factory=set)  # the shapes of the pages read, by anyone
    read_once: set = field(default_factory=set)  # (language, once_a_language(url))
    unknown: dict = field(default_factory=lambda: defaultdict(Counter))  # for review only
    verdicts: dict = field(default_factory=dict)  # (language, text) → its findings

    def problem(self, what: str, who: str, where: str, origin: str = ""):
        """Notes a problem once for all who met it, with an example for each shape of page
        that links to it (three at most)."""
        roles, examples = self.problems[what]
        roles.add(who)
        if len(examples) < 3:
            examples.setdefault(shape(origin), f"{where} linked from {origin}" if origin else where)

    def read_data(self):
        self.verdicts = {}  # given with the data as it was
        self.data = data_in_latin_script()
        self.data_words = {w.lower() for v in self.data for w in re.findall("[A-Za-z]+", v)}

    def note(self, language, kind, phrase, text, where):
        _, seen = self.findings[language].setdefault((kind, phrase), (text[:160], []))
        if len(seen) < 3 and where not in seen:
            seen.append(where)

    def check_texts(self, texts, language, where):
        for text in texts:
            if (language, text) not in self.verdicts:  # the header and menus of every page
                self.verdicts[language, text] = self.verdict(" ".join(text.split()), language)
            for kind, phrase, context in self.verdicts[language, text]:
                self.note(language, kind, phrase, context, where)

    def verdict(self, text: str, language: str) -> list[tuple[str, str, str]]:
        """(kind, phrase, the text) of each finding in one text."""
        found, rest = [], text
        for pattern in self.broken[language]:
            found += [("known broken", phrase, text) for phrase in pattern.findall(rest)]
            rest = pattern.sub(" ", rest)  # read once, not again as English
        return found + [("English", phrase, text) for phrase in self.english_in(rest, language)]

    def english_in(self, text: str, language: str) -> list[str]:
        text = URL_OR_EMAIL.sub(" ", text)
        if not LATIN_RUN.search(text):
            return []
        text = without(NAMES, text)
        runs = [run for run in LATIN_RUN.findall(text) if self.is_english_run(run)]
        if runs:  # data shown as it is, or capitalised ("Admin"): not the page's words
            shown = [v for v in self.data if v in text or capfirst(v) in text]
            text = without([form for v in shown for form in (v, capfirst(v))], text)
            runs = [run for run in LATIN_RUN.findall(text) if self.is_english_run(run)]
        self.unknown[language].update(
            word
            for run in LATIN_RUN.findall(text)
            for word in re.findall("[A-Za-z]{3,}", run)
            if word.lower() not in self.dictionary and word.lower() not in self.data_words
        )
        return [run[:80] for run in runs]

    def is_english_run(self, run: str) -> bool:
        if run in SHORT_ENGLISH:
            return True
        return any(
            len(word) >= 3 and word.lower() in self.dictionary and word.lower() not in ALLOWED
            for word in re.findall("[A-Za-z]+", run)
        )

    def check_response(self, response, language, where) -> Reading | None:
        """Reads a page or a download for the language checks; returns a page's reading."""
        kind = response.get("Content-Type", "")
        if any(download in kind for download in ("pdf", "spreadsheet", "csv")):
            self.check_texts(texts_of_download(response), language, where)
            return None
        if "html" not in kind:
            return None  # JSON of a progress bar, and the like
        reading = read_html(response.content.decode())
        if reading.lang is not None and reading.lang != language:
            self.note(language, "html lang", f'<html lang="{reading.lang}">', "", where)
        self.check_texts(reading.texts, language, where)
        return reading


def without(names: list[str], text: str) -> str:
    """The text with each of the names, as a whole word, taken out."""
    for name in names:
        if name in text:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    return text


def shape(url: str) -> str:
    """A link's shape: its path with digits as N, and its parameters' names."""
    parts = urlsplit(url)
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(names) if names else "")


def normalised(href: str, base: str) -> str | None:
    """The link as a path with its query on this site, or None if it is not followed."""
    if href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver" or SKIPPED.search(parts.path):
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name in SKIPPED_PARAMETERS for name, _ in query):
        return None
    query = [(name, value) for name, value in query if name not in DROPPED_PARAMETERS]
    if len(query) > 1:
        return None  # one filter at a time: combinations read the same words again
    return parts.path + ("?" + urlencode(query) if query else "")


def raised(response) -> str:
    """What a 500 raised, as the test client keeps it."""
    error = response.status_code >= 500 and getattr(response, "exc_info", None)
    return f" ({error[1]!r})" if error else ""


def once_a_language(url: str) -> str | None:
    """What a page is known by if it is read once a language, by whoever comes first
    (the superuser, who reaches them all); None for a page each role reads itself."""
    path = urlsplit(url).path
    if DOWNLOAD.search(path):
        return shape(path)  # whatever its filter: the same columns
    if "_facets=" in url:
        return "_facets"  # "Show counts", "Hide counts": the same on every list
    if "?" in url or SHARED.search(path):
        return shape(url)
    return None


def crawl_as(crawl: Crawl, username: str, language: str):
    """Breadth first from START, as one role in one language: every page of a new shape
    first, then lists with a filter (FILTERS_PER_LIST of a list, by whoever comes first)."""
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    client.force_login(User.objects.get(username=username))
    crawl.read_data()  # the sign-in log has grown
    pages, filtered, queued = list(START), [], set(START)
    per_shape, per_list = Counter(), Counter()
    while (pages or filtered) and crawl.visited[username, language] < MAX_PAGES:
        url = pages.pop(0) if pages else filtered.pop(0)
        if once := once_a_language(url):
            if (language, once) in crawl.read_once:
                continue
            crawl.read_once.add((language, once))
        response = client.get(url)
        crawl.visited[username, language] += 1
        where = f"{url} [{username}]"
        if response.status_code in (301, 302, 303):
            target = normalised(response["Location"], url)
            if target and target not in queued:
                queued.add(target)
                crawl.linked_from[username, target] = f"{url} (a redirect)"
                pages.append(target)
            continue
        if response.status_code != 200:
            origin = crawl.linked_from.get((username, url), START[0])
            what = f"GET {shape(url)} → {response.status_code}{raised(response)}"
            crawl.problem(what, username, where, origin)
            continue
        crawl.shapes.add(shape(url))
        reading = crawl.check_response(response, language, where)
        for href in reading.links if reading else []:
            link = normalised(href, url)
            if link is None or link in queued or per_shape[shape(link)] >= PER_SHAPE:
                continue
            path = urlsplit(link).path
            a_filter = "?" in link and "_facets=" not in link
            if a_filter and per_list[path] >= FILTERS_PER_LIST:
                continue
            queued.add(link)
            crawl.linked_from[username, link] = url
            per_shape[shape(link)] += 1
            per_list[path] += a_filter
            if "?" in link:
                filtered.append(link)
            else:
                pages.append(link)


def a_view_that_fails(request):
    raise RuntimeError("the crawl asks for a server error")


# The site's own addresses and one that fails, for the server error's page (500.html).
urlpatterns = [*tracker.urls.urlpatterns, route("server-error/", a_view_that_fails)]
handler400 = tracker.urls.handler400


@dataclass
class Special:
    """A page no link leads to, asked as ``who`` (None: nobody signed in)."""

    who: str | None
    path: str
    status: int
    data: dict | None = None  # sent by POST when given
    csrf_checked: bool = False


def bad_spreadsheet() -> bytes:
    return xlsx([["Наименование услуги", "Статус"], ["Новая услуга", "готово"], ["", "???"]])


def special_pages() -> list[Special]:
    education = Department.objects.get(region__code="KZ-31", code="EDU")
    return [
        Special(None, "/admin/login/", 200),
        Special(None, "/admin/login/", 200, {"username": "official", "password": "wrong"}),
        Special(None, "/admin/login/", 403, {"username": "official"}, csrf_checked=True),
        Special("admin", "/no-such-page/", 404),
        Special("admin", "/admin/no-such-page/", 404),
        Special("head.edu", "/admin/regions/user/", 403),
        Special("head.edu", "/reports/KZ-19/", 404),
        Special("digital", "/exports/services.csv?status=digital", 400),
        Special("digital", "/reports/?q=%00", 400),
        Special("head.edu", "/server-error/", 500),
        *(
            Special(
                "head.edu",
                "/admin/services/service/import/",
                200,
                {
                    "resource": "0",
                    "format": "0",
                    "department": education.pk,
                    "import_file": SimpleUploadedFile(name, content),
                },
            )
            for name, content in [
                ("список.xlsx", bad_spreadsheet()),
                ("не-таблица.xlsx", b"not a spreadsheet"),
            ]
        ),
        Special(
            "digital",
            "/admin/regions/department/import/",
            200,
            {
                "resource": "0",
                "format": "0",
                "region": education.region.pk,
                "import_file": SimpleUploadedFile("басқармалар.xlsx", bad_spreadsheet()),
            },
        ),
    ]


def ask_special(crawl: Crawl, page: Special, language: str):
    client = Client(
        raise_request_exception=False,
        enforce_csrf_checks=page.csrf_checked,
        headers={"accept-language": language},
    )
    if page.who:
        client.force_login(User.objects.get(username=page.who))
    method = "get" if page.data is None else "post"
    response = getattr(client, method)(page.path, page.data)
    who = page.who or "nobody signed in"
    where = f"{method.upper()} {page.path} [{who}]"
    crawl.visited[who, language] += 1
    if response.status_code != page.status:
        crawl.problem(
            f"{method.upper()} {page.path} → {response.status_code}{raised(response)}, "
            f"not {page.status}",
            who,
            where,
        )
    crawl.check_response(response, language, where)


@contextmanager
def quiet_logs():
    """The crawl asks for refusals on purpose: their log lines (Django's traceback of each
    403, WeasyPrint's notes on the stylesheet) would bury the findings."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_loaded_for_a_module(django_db_blocker, country=False) as logins:
        # A national ranking of the one region, so the analyst's ranking pages have one
        # to show (the made-up rest of the country costs seconds this test has not got).
        build_national_snapshot(as_of=timezone.localdate())
        yield logins


@pytest.fixture(scope="module")
def crawl(demo, django_db_blocker, tmp_path_factory):
    uploads = tmp_path_factory.mktemp("import-uploads")
    result = Crawl(dictionary=english_dictionary(), broken=known_broken())
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=False, IMPORT_UPLOAD_DIR=uploads, ROOT_URLCONF=__name__),
        quiet_logs(),
        # The report's PDF is read from its HTML; the national ranking's, drawn in a
        # second, is drawn for real and read back with pypdf.
        mock.patch("reports.downloads.html_to_pdf", html_instead_of_the_pdf),
    ):
        # Their saved choice would win over the language asked for.
        assert not User.objects.filter(username__in=ROLES).exclude(language="").exists()
        for language in LANGUAGES:
            # First, so the wrong password is in the sign-in log the superuser reads.
            result.read_data()
            for page in special_pages():
                ask_special(result, page, language)
            for username in ROLES:
                crawl_as(result, username, language)
    return result


def where_seen(findings: dict) -> str:
    lines = []
    for (kind, phrase), (context, seen) in sorted(findings.items()):
        lines.append(f"  {kind}: {phrase!r} on {', '.join(seen)}\n      in «{context}»")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_shows_english_or_a_known_broken_string_in(crawl, language):
    if findings := crawl.findings[language]:
        unknown = ", ".join(w for w, _ in crawl.unknown[language].most_common(40))
        pytest.fail(
            f"{len(findings)} findings on {language} pages:\n{where_seen(findings)}\n"
            f"(Latin words outside the dictionary, not counted, for review: {unknown})",
            pytrace=False,
        )


def test_every_link_a_role_is_shown_opens_for_it(crawl):
    """A link that answers 500, or refuses the role it was shown to; and a page asked
    directly that answers other than it should (a 404 page that is a 500)."""
    if problems := crawl.problems:
        pytest.fail(
            "\n".join(
                f"{what} for {', '.join(sorted(roles))}, e.g.\n    "
                + "\n    ".join(examples.values())
                for what, (roles, examples) in sorted(problems.items())
            ),
            pytrace=False,
        )


def test_the_crawl_reaches_every_kind_of_page(crawl):
    """A crawl that lost its way (signed out, a changed admin path) would find nothing."""
    wanted = [
        "/admin/services/service/",
        "/admin/services/service/?status",
        "/admin/services/service/add/",
        "/admin/services/service/N/change/",
        "/admin/services/service/N/history/",
        "/admin/services/usage/N/delete/",
        "/admin/services/service/import/",
        "/reports/KZ-N/",
        "/reports/snapshots/N/",
        "/reports/snapshots/N.pdf",
        "/reports/snapshots/N.xlsx",
        "/reports/national/",
    ]
    assert [s for s in wanted if s not in crawl.shapes] == []
    pages = [crawl.visited[role, language] for role in ROLES for language in LANGUAGES]
    assert min(pages) >= 10  # each role signed in and found its way
    assert max(pages) < MAX_PAGES  # and none was cut short


def test_the_reader_tells_english_and_broken_strings_from_names_and_data():
    """The detector itself, on a page made up for it: what it must find, what it must not."""
    crawl = Crawl(dictionary=english_dictionary(), broken=known_broken())
    crawl.data = ["head.edu", "Zhambyl Region"]
    page = """<html lang="kk"><head><title>Өзгерес тарихы: қызмет</title>
        <script>const label = "Save";</script><style>.hidden { }</style></head><body>
        <span class="material-symbols-outlined">filter_list</span>
        <a href="/x/" title="Show counts">Сандарын көрсету</a>
        <p>Save and continue editing</p> <input type="submit" value="Delete">
        <p>eGov.kz порталы, PDF, https://egov.kz/cms/ru, head.edu@akimat.kz</p>
        <p>Zhambyl Region · Head.edu · file_row</p>
        </body></html>"""
    crawl.check_response(HttpResponse(page), "kk", "/x/ [admin]")
    crawl.check_response(HttpResponse('<html lang="en"><p>Дайын</p></html>'), "kk", "/y/")
    assert sorted(phrase for _, phrase in crawl.findings["kk"]) == [
        '<html lang="en">',
        "Delete",
        "Save and continue editing",
        "Show counts",
        "file_row",
        "Өзгерес тарихы",
    ]
