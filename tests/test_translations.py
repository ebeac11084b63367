"""The Kazakh and Russian catalogs are complete, and the compiled files match them."""

import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "tracker" / "locale"
COMPLETE_LANGUAGES = ["kk", "ru"]


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries, entry, key, flags = [], {}, None, set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        elif line and not line.startswith("#"):
            key, _, value = line.partition(" ")
            starts_entry = key == "msgctxt" or (key == "msgid" and ("msgid" in entry or not entry))
            if starts_entry and entry:
                entries.append(entry)
                entry = {}
            if starts_entry:
                entry["flags"], flags = flags, set()
            entry[key] = ast.literal_eval(value)
    if entry:
        entries.append(entry)
    return entries


def translations(entry) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    messages = [e for e in entries if e["msgid"]]
    assert messages, "the catalog is empty"
    untranslated = [e["msgid"] for e in messages if not all(translations(e))]
    fuzzy = [e["msgid"] or "(header)" for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], f"{language}: untranslated"
    assert fuzzy == [], f"{language}: fuzzy"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_compiled_catalog_matches_the_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for entry in read_po(folder / "django.po"):
        if not entry["msgid"] or not all(translations(entry)) or "fuzzy" in entry["flags"]:
            continue
        context = f"{entry['msgctxt']}\x04" if "msgctxt" in entry else ""
        if "msgid_plural" in entry:
            compiled_forms = catalog._catalog.get((context + entry["msgid"], 0))
            assert compiled_forms == entry["msgstr[0]"], "run `make messages`"
        else:
            compiled_text = catalog._catalog.get(context + entry["msgid"])
            assert compiled_text == entry["msgstr"], f"run `make messages`: {entry['msgid']}"
