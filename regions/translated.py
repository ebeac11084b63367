"""Names kept in Kazakh, Russian and English, read in the reader's language.

Each translated attribute is three plain columns (``name_kk``, ``name_ru``, ``name_en``);
:class:`Translated` reads the one for the active language and falls back to the others,
so a service registered only in Russian still shows a name to a Kazakh reader.
"""

from django.conf import settings
from django.utils.translation import get_language

# Russian is the common language of official documents, so it is the first fallback for
# Kazakh and English readers; Kazakh is the first fallback for Russian readers.
FALLBACKS = {"kk": ["kk", "ru", "en"], "ru": ["ru", "kk", "en"], "en": ["en", "ru", "kk"]}


def reading_order(language: str | None = None) -> list[str]:
    """The languages to try, best first, for a reader of ``language`` (default: active)."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return FALLBACKS.get(language, FALLBACKS["ru"])


class Translated:
    """A read-only attribute giving the best translation of ``<name>_<lang>`` columns."""

    def __set_name__(self, owner, attribute):
        self.base = attribute

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return translation_of(instance, self.base)


def translation_of(instance, base: str, language: str | None = None) -> str:
    for code in reading_order(language):
        value = getattr(instance, f"{base}_{code}", "")
        if value:
            return value
    return ""


def pick(mapping: dict, base: str = "name", language: str | None = None) -> str:
    """The best translation among ``<base>_<lang>`` keys of a dict (a frozen report row)."""
    for code in reading_order(language):
        value = mapping.get(f"{base}_{code}")
        if value:
            return value
    return ""


def pick_with_language(mapping: dict, base: str = "name", language: str | None = None):
    """The best translation among ``<base>_<lang>`` keys and the language it is in (None
    when there is none): a reader can be told a text is not in their language."""
    for code in reading_order(language):
        value = mapping.get(f"{base}_{code}")
        if value:
            return value, code
    return "", None
