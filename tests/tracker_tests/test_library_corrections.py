"""Our corrections of the libraries' wrong Kazakh and Russian (tracker/library_corrections):
still needed after an upgrade, really shown, and the known-broken texts gone from pages."""

import gettext
import json
import re
from pathlib import Path

import polib
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.utils import translation
from django.utils.translation import trans_real
from django.views.i18n import JavaScriptCatalog

from regions.models import Department
from services.models import Service
from tracker import library_messages
from tracker.library_corrections import CORRECTIONS, Correction

LIBRARIES = {library.name: library for library in library_messages.libraries()}
OUR_OWN_CATALOGS = [Path(settings.BASE_DIR) / "tracker" / "locale"]  # without library_locale
ALL_CORRECTIONS = [(language, c) for language, listed in CORRECTIONS.items() for c in listed]
# The JavaScript catalog the admin's pages load (AdminSite.i18n_javascript).
ADMIN_JS_PACKAGES = ["django.contrib.admin"]
# What readers saw before the corrections; none of it may come back.
KNOWN_BROKEN_KAZAKH = [
    "Өшіру/Уақыт",
    "үщін",
    "өзгету",
    "Өзгетру",
    "Өзгерес",
    "one:",
    "other:",
    "0 of",
    "әрәкет",
    "Даңғо",
    "(fields)",
    "-ы(і)",
    "-ді(ы)",
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


IDS = [f"{language}-{c.domain}-{c.msgid[:50]}" for language, c in ALL_CORRECTIONS]


def forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else text


class ActiveLanguage:
    """Django's catalog of the active language, asked as pages ask it."""

    gettext = staticmethod(translation.gettext)
    ngettext = staticmethod(translation.ngettext)
    pgettext = staticmethod(translation.pgettext)
    npgettext = staticmethod(translation.npgettext)


def catalog_of(language: str, domain: str):
    """What a page reads from: Django's catalog (call within translation.override), or the
    admin's JavaScript one."""
    if domain == "djangojs":
        paths = JavaScriptCatalog().get_paths(ADMIN_JS_PACKAGES)
        return trans_real.DjangoTranslation(language, domain=domain, localedirs=paths)
    return ActiveLanguage()


def read(catalog, correction: Correction, n: int | None = None) -> str:
    if correction.plural:
        if correction.context:
            return catalog.npgettext(correction.context, correction.msgid, correction.plural, n)
        return catalog.ngettext(correction.msgid, correction.plural, n)
    if correction.context:
        return catalog.pgettext(correction.context, correction.msgid)
    return catalog.gettext(correction.msgid)


def sample_numbers(language: str) -> dict[int, int]:
    """A count for each plural form of our catalog that a whole number selects."""
    header = library_messages.plural_forms(language)
    choose = gettext.c2py(header.split("plural=")[1].rstrip(";"))
    samples: dict[int, int] = {}
    for n in range(200):
        samples.setdefault(choose(n), n)
    return samples


def library_text(library: library_messages.Library, language: str, correction: Correction):
    """The library's own translation of the message: a text, a tuple of forms, or None."""
    shipped = gettext.translation(
        correction.domain, localedir=library.locale, languages=[language], fallback=True
    )
    catalog = getattr(shipped, "_catalog", {})
    if not correction.plural:
        return catalog.get(correction.key)
    found = sorted(
        (key[1], text)
        for key, text in catalog.items()
        if isinstance(key, tuple) and key[0] == correction.key
    )
    return tuple(text for _, text in found) or None


# --- The list itself -------------------------------------------------------------------


@pytest.mark.parametrize(("language", "correction"), ALL_CORRECTIONS, ids=IDS)
def test_the_library_still_ships_the_translation_we_correct(language, correction):
    """Fails after an upgrade that changes one: review that correction (see the module)."""
    library = LIBRARIES[correction.library]
    asked = {library_messages.catalog_key(e) for e in library.messages(correction.domain)}
    assert correction.key in asked, (
        f"{correction.library} no longer has the message {correction.msgid!r}: drop its "
        "correction from tracker/library_corrections.py"
    )
    shipped = library_text(library, language, correction)
    assert shipped == correction.current, (
        f"{correction.library} now translates {correction.msgid!r} into {language} as "
        f"{shipped!r}: review this correction in tracker/library_corrections.py (delete it if "
        "the new text is right, else copy the new text into `current`)"
    )


@pytest.mark.parametrize(("language", "correction"), ALL_CORRECTIONS, ids=IDS)
def test_the_correction_keeps_the_placeholders_and_the_number_of_plural_forms(language, correction):
    english = correction.plural or correction.msgid
    for text in forms(correction.corrected):
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(english)), text
    if correction.plural:
        plurals = re.search(r"nplurals=(\d+)", library_messages.plural_forms(language))
        assert len(correction.corrected) == int(plurals.group(1))


def test_no_message_is_corrected_twice():
    for language, listed in CORRECTIONS.items():
        keys = [(c.domain, c.key) for c in listed]
        assert len(keys) == len(set(keys)), language


# --- What readers see ------------------------------------------------------------------


@pytest.mark.parametrize(("language", "correction"), ALL_CORRECTIONS, ids=IDS)
def test_without_our_catalog_readers_would_see_the_librarys_text(language, correction):
    """The library named is the one that wins today, and our own catalog (tracker/locale)
    does not already replace the text: else the correction would change nothing."""
    library = LIBRARIES[correction.library]
    shipped = gettext.translation(
        correction.domain, localedir=library.locale, languages=[language], fallback=True
    )
    with override_settings(LOCALE_PATHS=OUR_OWN_CATALOGS), translation.override(language):
        catalog = catalog_of(language, correction.domain)
        if correction.plural:
            for n in sample_numbers(language).values():
                assert read(catalog, correction, n) == correction.current[shipped.plural(n)]
        else:
            assert read(catalog, correction) == correction.current


@pytest.mark.parametrize(("language", "correction"), ALL_CORRECTIONS, ids=IDS)
def test_readers_see_our_correction(language, correction):
    with translation.override(language):
        catalog = catalog_of(language, correction.domain)
        if correction.plural:
            for form, n in sample_numbers(language).items():
                assert read(catalog, correction, n) == correction.corrected[form]
        else:
            assert read(catalog, correction) == correction.corrected


def test_gettext_answers_the_correction_in_the_readers_language():
    with translation.override("kk"):
        assert translation.gettext("Date/time") == "Күні/уақыты"
        assert translation.gettext("Select %s to change") == "Өзгерту үшін %s таңдаңыз"
        assert translation.ngettext(
            "%(total_count)s selected", "All %(total_count)s selected", 190
        ) == ("Барлық %(total_count)s нысан таңдалды")
    with translation.override("ru"):
        assert translation.gettext("The {name} “{obj}” was changed successfully.") == (
            "Успешно изменено: {name} «{obj}»."
        )


@pytest.mark.parametrize("domain", library_messages.DOMAINS)
def test_no_admin_message_reads_a_known_broken_kazakh_text(domain):
    english = LIBRARIES["django.contrib.admin"].locale / "en" / "LC_MESSAGES" / f"{domain}.po"
    broken = []
    with translation.override("kk"):
        catalog = catalog_of("kk", domain)
        for entry in polib.pofile(str(english)):
            if entry.msgid_plural and entry.msgctxt:
                answers = [
                    catalog.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    for n in (1, 190)
                ]
            elif entry.msgid_plural:
                answers = [catalog.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 190)]
            elif entry.msgctxt:
                answers = [catalog.pgettext(entry.msgctxt, entry.msgid)]
            else:
                answers = [catalog.gettext(entry.msgid)]
            broken += [
                (entry.msgid, answer)
                for answer in answers
                if any(fragment in answer for fragment in KNOWN_BROKEN_KAZAKH)
            ]
    assert broken == []


SUCCESS_MESSAGES = [
    "The {name} “{obj}” was added successfully.",
    "The {name} “{obj}” was added successfully. You may add another {name} below.",
    "The {name} “{obj}” was changed successfully. You may edit it again below.",
    "The {name} “{obj}” was changed successfully. You may add another {name} below.",
    "The {name} “{obj}” was changed successfully.",
]


@pytest.mark.parametrize(("language", "model_name"), [("kk", "қызмет"), ("ru", "услуга")])
def test_a_message_after_saving_starts_with_a_capital_whatever_the_models_name(
    language, model_name
):
    with translation.override(language):
        written = [
            translation.gettext(m).format(name=model_name, obj="Х") for m in SUCCESS_MESSAGES
        ]
        written.append(
            translation.gettext("The %(name)s “%(obj)s” was deleted successfully.")
            % {"name": model_name, "obj": "Х"}
        )
    assert [text for text in written if not text[0].isupper()] == []


# --- Pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_kazakh_list_page_reads_the_corrected_action_bar(world, client, monkeypatch):
    # Two a page, so the bar offers to select all four services across pages.
    monkeypatch.setattr(admin.site._registry[Service], "list_per_page", 2)
    client.force_login(world.superuser)
    response = client.get("/admin/services/service/", HTTP_ACCEPT_LANGUAGE="kk")
    page = response.content.decode()
    assert response.headers["Content-Language"] == "kk"
    assert "2 ішінен 0 таңдалды" in page
    assert "Барлық 4 нысан таңдалды" in page
    assert "Барлығын таңдау: қызметтер (4)" in page
    assert "Таңдалған әрекетті орындау" in page
    assert "Барлық беттердегі нысандарды таңдау үшін осы жерді басыңыз" in page
    assert [fragment for fragment in KNOWN_BROKEN_KAZAKH if fragment in page] == []


@pytest.mark.django_db
def test_a_kazakh_list_of_sign_in_attempts_is_titled_and_named_in_kazakh(world, client):
    # django-axes' records, shown through our proxies (tracker.signin_records): our title
    # instead of Django's "Select %s to change", and each row named by who and when
    # instead of django-axes' English "Attempted Access: …".
    attempt = AccessAttempt.objects.create(
        username="head.edu",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    client.force_login(world.superuser)
    page = client.get("/admin/tracker/signinattempt/", HTTP_ACCEPT_LANGUAGE="kk")
    text = page.content.decode()
    assert "Қарау үшін кіру әрекетін таңдаңыз" in text  # read only: a record of what happened
    assert "3 әрекет қалды" in text  # the status column: 5 allowed, 2 made
    url = f"/admin/tracker/signinattempt/{attempt.pk}/change/"
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "head.edu — " in text
    assert "Attempted Access" not in text


@pytest.mark.django_db
def test_a_kazakh_history_page_reads_the_corrected_title(world, client):
    client.force_login(world.superuser)
    url = f"/admin/services/service/{world.kindergarten.pk}/history/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Өзгерістер тарихы: Постановка на очередь в детский сад" in page
    assert "Өзгерес" not in page


@pytest.mark.django_db
def test_a_kazakh_history_page_heads_the_date_column_with_the_date(world, client):
    # A service's history shows its own changes (services.readable_history); Django's
    # change log, with its "Date/time" column, is what other models' history pages show.
    LogEntry.objects.create(
        user=world.superuser,
        content_type=ContentType.objects.get_for_model(Department),
        object_id=str(world.education.pk),
        object_repr=str(world.education),
        action_flag=CHANGE,
        change_message="[]",
    )
    client.force_login(world.superuser)
    url = f"/admin/regions/department/{world.education.pk}/history/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Күні/уақыты" in page
    assert "Пайдаланушы" in page
    assert "Өшіру/Уақыт" not in page


@pytest.mark.django_db
def test_the_admins_javascript_catalog_carries_the_corrected_counter(world, client):
    client.force_login(world.superuser)
    script = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalog["%(sel)s of %(cnt)s selected"] == ["%(cnt)s ішінен %(sel)s таңдалды"] * 2
