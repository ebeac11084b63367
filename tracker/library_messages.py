"""Kazakh and Russian for the libraries' words that show on our pages.

Django's Kazakh catalogs are about half translated; the admin theme (unfold) ships no
catalogs at all; django-import-export files its Kazakh under "kz", a code Django never
asks for, and django-filter has none. Every message of those libraries that their own
catalog leaves untranslated is gathered into catalogs of ours under
`tracker/library_locale/`, which `LOCALE_PATHS` puts ahead of the libraries' own.

Where a library's own catalog translates a message wrongly, the reviewed list in
tracker/library_corrections.py says what we show instead; each of those is written into
our catalog too, with a translator's comment naming the library and the reason.

`make messages` refreshes them (new messages arrive untranslated, dropped ones go, the
corrections are written again from the list); the test suite fails while one is missing,
untranslated or fuzzy.
"""

import gettext
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings
from django.utils.translation.template import templatize

from tracker import library_corrections

LIBRARY_LOCALE = Path(settings.BASE_DIR) / "tracker" / "library_locale"
LANGUAGES = ["kk", "ru"]
DOMAINS = ["django", "djangojs"]

# The keywords Django's makemessages gives xgettext for Python code and templates.
XGETTEXT_KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


@dataclass(frozen=True)
class Library:
    """A source of messages: an installed library app, or Django's core."""

    name: str
    path: Path
    excluded: tuple[Path, ...] = ()

    @property
    def locale(self) -> Path:
        return self.path / "locale"

    def messages(self, domain: str) -> list[polib.POEntry]:
        """Every message the library asks to translate: its English catalog when it ships
        one (complete by construction), else what xgettext finds in its code and templates."""
        english = self.locale / "en" / "LC_MESSAGES" / f"{domain}.po"
        if english.exists():
            return [entry for entry in polib.pofile(str(english)) if not entry.obsolete]
        if domain != "django":
            return []  # only Django's admin has JavaScript messages on our pages
        return extract(self.source_files())

    def source_files(self) -> list[Path]:
        files = []
        for pattern in ("*.py", "*.html", "*.txt"):
            for file in sorted(self.path.rglob(pattern)):
                if "migrations" in file.parts or any(file.is_relative_to(e) for e in self.excluded):
                    continue
                files.append(file)
        return files

    def translates(self, language: str, domain: str) -> set[str]:
        """Catalog keys ("context\\x04msgid" or msgid) the library itself translates."""
        catalog = gettext.translation(
            domain, localedir=self.locale, languages=[language], fallback=True
        )
        known = getattr(catalog, "_catalog", {})
        return {
            key if isinstance(key, str) else key[0]
            for key, text in known.items()
            if key and text and (isinstance(key, str) or key[1] == 0)
        }


def libraries() -> list[Library]:
    """Django's core, then every installed app that is not part of this project."""
    project = Path(settings.BASE_DIR).resolve()
    found = [Library("django", Path(django.__file__).parent / "conf")]
    for app in apps.get_app_configs():
        path = Path(app.path)
        if path.resolve().parent == project:
            continue  # one of ours: tracker, regions, services, reports
        # A package holding other apps (unfold holds unfold.contrib.*) gives only its own
        # files; the installed ones among those are libraries of their own.
        nested_apps = tuple(f.parent for f in path.rglob("apps.py") if f.parent != path)
        found.append(Library(app.name, path, excluded=nested_apps))
    return found


def extract(files: list[Path]) -> list[polib.POEntry]:
    """The messages xgettext finds in Python files and (templatized) Django templates."""
    with tempfile.TemporaryDirectory() as scratch:
        sources = []
        for index, file in enumerate(files):
            if file.suffix == ".py":
                sources.append(str(file))
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
            if "trans" not in text:
                continue
            python = Path(scratch) / f"{index}.py"
            python.write_text(templatize(text, origin=str(file)), encoding="utf-8")
            sources.append(str(python))
        result = subprocess.run(
            [
                "xgettext",
                "--language=Python",
                "--from-code=UTF-8",
                # No --omit-header: without a header xgettext writes ASCII only, and drops
                # every other character from the messages ("user’s" became "users").
                "--output=-",
                *XGETTEXT_KEYWORDS,
                *sources,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    return list(polib.pofile(result.stdout)) if result.stdout.strip() else []


def catalog_key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def all_messages(domain: str) -> dict[str, polib.POEntry]:
    """Every message of every library, by catalog key, once each."""
    wanted: dict[str, polib.POEntry] = {}
    for library in libraries():
        for entry in library.messages(domain):
            if entry.msgid:
                wanted.setdefault(catalog_key(entry), entry)
    return wanted


def translated_keys(language: str, domain: str) -> set[str]:
    """The messages some library's own catalog translates into `language`."""
    translated: set[str] = set()
    for library in libraries():
        translated |= library.translates(language, domain)
    return translated


def missing_messages(language: str, domain: str) -> list[polib.POEntry]:
    """The libraries' messages no library catalog translates into `language`, once each."""
    translated = translated_keys(language, domain)
    return [e for key, e in all_messages(domain).items() if key not in translated]


def catalog_path(language: str, domain: str) -> Path:
    return LIBRARY_LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def plural_forms(language: str) -> str:
    ours = Path(settings.BASE_DIR) / "tracker" / "locale" / language / "LC_MESSAGES"
    return polib.pofile(str(ours / "django.po")).metadata["Plural-Forms"]


def refreshed_catalog(language: str, domain: str) -> polib.POFile:
    """The catalog as it should be: today's missing messages, keeping existing translations,
    then every correction of a library's translation."""
    path = catalog_path(language, domain)
    existing = polib.pofile(str(path)) if path.exists() else None
    kept = {catalog_key(e): e for e in existing or [] if not e.obsolete}
    catalog = polib.POFile(wrapwidth=79)
    catalog.metadata = {
        "Project-Id-Version": "akimat-eservice-tracker (library messages)",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(language),
    }
    plurals = int(catalog.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    messages = all_messages(domain)
    translated = translated_keys(language, domain)
    corrections = library_corrections.corrections(language, domain)
    corrected = {c.key for c in corrections}
    for key, message in messages.items():
        if key in translated or key in corrected:
            continue  # the library's own catalog has it (a correction is written below)
        previous = kept.get(key)
        entry = polib.POEntry(msgctxt=message.msgctxt, msgid=message.msgid)
        if message.msgid_plural:
            entry.msgid_plural = message.msgid_plural
            entry.msgstr_plural = dict.fromkeys(range(plurals), "")
            if previous and previous.msgstr_plural:
                entry.msgstr_plural |= previous.msgstr_plural
        else:
            entry.msgstr = previous.msgstr if previous else ""
        if previous:
            entry.flags = list(previous.flags)
        if "python-format" in message.flags and "python-format" not in entry.flags:
            entry.flags.append("python-format")
        catalog.append(entry)
    for correction in corrections:
        catalog.append(correction_entry(correction, messages.get(correction.key), plurals))
    return catalog


def correction_entry(
    correction: library_corrections.Correction, message: polib.POEntry | None, plurals: int
) -> polib.POEntry:
    """Our catalog's entry for a corrected library translation, written from the list
    (the list, not the file, is where a correction is edited)."""
    entry = polib.POEntry(
        msgctxt=correction.context,
        msgid=correction.msgid,
        tcomment=f"correction of {correction.library}'s translation: {correction.reason}",
    )
    if correction.plural:
        forms = correction.corrected
        if isinstance(forms, str) or len(forms) != plurals:
            raise ValueError(f"{correction.msgid!r}: give {plurals} plural forms")
        entry.msgid_plural = correction.plural
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = correction.corrected
    # msgfmt --check-format (compilemessages) then checks our placeholders against the
    # English ones, as it does for the library's own catalog.
    if message is not None:
        entry.flags = [flag for flag in message.flags if flag.endswith("-format")]
    return entry


def refresh() -> dict[Path, list[str]]:
    """Rewrite every library catalog; answer each file's messages still untranslated."""
    untranslated = {}
    for language in LANGUAGES:
        for domain in DOMAINS:
            catalog = refreshed_catalog(language, domain)
            path = catalog_path(language, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog.save(str(path))
            untranslated[path] = [e.msgid for e in catalog.untranslated_entries()]
    return untranslated
