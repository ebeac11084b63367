"""Kazakh and Russian everywhere: complete catalogs, compiled as written, every template
word marked, and the libraries' untranslated messages covered by our own catalogs."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

from tracker import library_corrections, library_messages

PROJECT = Path(__file__).resolve().parent.parent
LOCALE = PROJECT / "tracker" / "locale"
COMPLETE_LANGUAGES = ["kk", "ru"]
# Our messages, then our translations of the libraries' messages.
COMPLETE_CATALOGS = [
    LOCALE / language / "LC_MESSAGES" / "django.po" for language in COMPLETE_LANGUAGES
] + [
    library_messages.catalog_path(language, domain)
    for language in library_messages.LANGUAGES
    for domain in library_messages.DOMAINS
]
ALL_CATALOGS = [*COMPLETE_CATALOGS, LOCALE / "en" / "LC_MESSAGES" / "django.po"]


def name(path: Path) -> str:
    return str(path.relative_to(PROJECT))


def catalog_key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


@pytest.mark.parametrize("catalog", COMPLETE_CATALOGS, ids=name)
def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    entries = polib.pofile(str(catalog))
    assert [e.msgid for e in entries.untranslated_entries()] == [], "untranslated"
    assert [e.msgid for e in entries.fuzzy_entries()] == [], "fuzzy"
    assert "fuzzy" not in entries.metadata_as_entry().flags


def test_our_catalogs_are_not_empty():
    for language in COMPLETE_LANGUAGES:
        assert len(polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))) > 300


@pytest.mark.parametrize("catalog", ALL_CATALOGS, ids=name)
def test_the_compiled_catalog_matches_the_po_file(catalog):
    with open(catalog.with_suffix(".mo"), "rb") as compiled:
        texts = gettext.GNUTranslations(compiled)._catalog
    for entry in polib.pofile(str(catalog)).translated_entries():
        if entry.msgid_plural:
            compiled_forms = [texts.get((catalog_key(entry), n)) for n in entry.msgstr_plural]
            assert compiled_forms == list(entry.msgstr_plural.values()), "run `make messages`"
        else:
            assert texts.get(catalog_key(entry)) == entry.msgstr, (
                f"run `make messages`: {entry.msgid}"
            )


@pytest.mark.parametrize("language", library_messages.LANGUAGES)
@pytest.mark.parametrize("domain", library_messages.DOMAINS)
def test_the_library_catalogs_cover_every_message_the_libraries_leave_untranslated(
    language, domain
):
    """Fails after a library upgrade brings new messages: run `make messages`, translate.
    (Our corrections of the libraries' wrong translations are wanted too.)"""
    wanted = {catalog_key(e) for e in library_messages.missing_messages(language, domain)}
    wanted |= {c.key for c in library_corrections.corrections(language, domain)}
    have = {
        catalog_key(e) for e in polib.pofile(str(library_messages.catalog_path(language, domain)))
    }
    if language == "kk":  # Django's Kazakh is half done: an empty answer is a broken check
        assert wanted
    assert sorted(wanted - have) == [], "missing: run `make messages` and translate"
    assert sorted(have - wanted) == [], "no longer needed: run `make messages`"


# --- Template strings -------------------------------------------------------------------

TEMPLATE_FOLDERS = [
    PROJECT / app / "templates" for app in ("tracker", "regions", "services", "reports")
]
# Attributes a person reads (or hears, with a screen reader).
READABLE_ATTRIBUTES = re.compile(
    r"""\b(?:title|alt|placeholder|aria-label|label)\s*=\s*(["'])(.*?)\1""", re.S
)
# Words that are the same in every language: file formats and units of the page.
NOT_WORDS = {"PDF", "XLSX", "CSV", "SVG", "ISO", "KZ"}


def unmarked_text(source: str) -> list[str]:
    """Words of a template a reader sees that are not inside a translate tag.

    Template tags and variables become a marker, so HTML split by them still parses; the
    contents of blocktranslate, comment and CSS class blocks are dropped."""
    pieces, skipping = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skipping:
                skipping = None if name == f"end{skipping}" else skipping
            elif name in ("blocktranslate", "blocktrans", "comment"):
                skipping = name
            elif name == "block" and token.contents.endswith("_class"):
                skipping = name  # a block filling in CSS class names, not words
            pieces.append("§")
        elif token.token_type == TokenType.TEXT and not skipping:
            pieces.append(token.contents)
        elif token.token_type == TokenType.VAR:
            pieces.append("§")
    html = "".join(pieces)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    # the admin theme draws icons from ligatures ("add", "inbox"): names, not words
    html = re.sub(r"<span[^>]*material-symbols[^>]*>[^<]*</span>", " ", html)
    readable = [value for _, value in READABLE_ATTRIBUTES.findall(html)]
    text = re.sub(r"<[^>]*>", " ", html)
    text = re.sub(r"&#?\w+;", " ", text)
    words = []
    for chunk in [text, *readable]:
        words += [w for w in re.findall(r"[^\W\d_§]+", chunk) if w not in NOT_WORDS]
    return words


def project_templates() -> list[Path]:
    return sorted(f for folder in TEMPLATE_FOLDERS for f in folder.rglob("*.html"))


def test_the_template_check_finds_unmarked_words():
    assert unmarked_text('<p title="Open it">{% translate "Marked" %} Plain words</p>') == [
        "Plain",
        "words",
        "Open",
        "it",
    ]
    assert unmarked_text("{% blocktranslate %}Inside {{ x }}{% endblocktranslate %}") == []
    assert unmarked_text('<option value="{{ c }}"{% if c %} selected{% endif %}>') == []
    assert unmarked_text('<span class="material-symbols-outlined text-white">add</span>') == []


@pytest.mark.parametrize("template", project_templates(), ids=lambda p: str(p.relative_to(PROJECT)))
def test_every_word_a_template_shows_is_marked_for_translation(template):
    assert unmarked_text(template.read_text(encoding="utf-8")) == []
