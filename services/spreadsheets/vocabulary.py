"""The words offices use in their service lists, and what each cell of theirs means.

The words themselves are data, in ``vocabulary.toml`` beside this module (headers,
statuses and their statutory wordings, blanks, terms, channels, paid or free, provider
labels, months). Everything is compared after :func:`normalise` (lower case, ё→е,
punctuation and extra spaces removed), so "Наименование  госуслуги:" and
"наименование госуслуги" are one. A word not listed is not guessed at: the readers here
answer None and the importer reports the row and the value.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import translation

from services.models import AWAITING_YES, Answer, Channel, Criterion, LifeEvent, Service, Status

WORDS = tomllib.loads((Path(__file__).with_name("vocabulary.toml")).read_text("utf-8"))

HEADERS: dict[str, list[str]] = WORDS["headers"]
NAME_WITHOUT_LANGUAGE = set(WORDS["names"]["without_language"])
LANGUAGE_HINTS = {code: tuple(hints) for code, hints in WORDS["names"]["language_hints"].items()}
TOTAL_WORDS = tuple(WORDS["totals"]["words"])


# Statuses, terms and providers repeat down a list; a list's names are read twice (blank
# cells, then matching): room for a 10,000-row file's three names, or the second reading
# finds none of the first's kept.
@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ").casefold()
    text = text.replace("ё", "е")
    text = re.sub(r"(?<=\w)-(?=\w)", " ", text)  # "кол-во", "социально-значимая"
    text = re.sub(r"[^\w\s+✓✔—–-]", " ", text)  # keep letters, digits, + and marks of yes/no
    return re.sub(r"\s+", " ", text).strip()


def _index(words_by_key: dict) -> dict:
    return {normalise(word): key for key, words in words_by_key.items() for word in words}


def _in_every_language(text_of) -> list[str]:
    texts = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts.append(str(text_of()))
    return texts


def _starts(word: str, beginning: str) -> bool:
    """Short beginnings ("эл", "ч") match whole words only; longer ones any word they start."""
    return word == beginning if len(beginning) <= 3 else word.startswith(beginning)


# --- headers -----------------------------------------------------------------------------


@cache
def header_index() -> dict[str, str]:
    """The listed headers, plus what our own exports write (each column's name in kk, ru
    and en), so an exported file is read back column for column."""
    from services.exports import COLUMNS

    index = _index(HEADERS)
    for column in COLUMNS:
        for label in _in_every_language(lambda column=column: column.label):
            index.setdefault(normalise(label), column.field)
    service_fields = {
        field.name for field in Service._meta.get_fields() if hasattr(field, "verbose_name")
    }
    for column in HEADERS.keys() & service_fields:
        field = Service._meta.get_field(column)
        for label in _in_every_language(lambda field=field: field.verbose_name):
            index.setdefault(normalise(label), column)
    for label in _in_every_language(lambda: LifeEvent._meta.verbose_name_plural):
        index.setdefault(normalise(label), "life_events")
    return index


CRITERION_COLUMN = "criterion:"  # + the criterion's code: one column per criterion


def service_headers() -> dict[str, str]:
    """header_index() and each criterion, named in any language or by its code.

    Read from the database at each import, not cached: the national level edits the
    criteria. A listed header keeps its column: a criterion never takes "Срок". A retired
    criterion is still known, so that its column in an older file is left alone (no
    field reads it) rather than taken for the term by its word "срок"."""
    index = dict(header_index())
    for criterion in Criterion.objects.all():
        column = CRITERION_COLUMN + criterion.code
        for name in (criterion.name_kk, criterion.name_ru, criterion.name_en, criterion.code):
            if normalise(name):
                index.setdefault(normalise(name), column)
    return index


HEADER_KEYWORDS = [
    (column, [[normalise(part) for part in entry.split("&")] for entry in entries])
    for column, entries in WORDS["header_keywords"].items()
]


def column_by_keywords(header: str) -> str | None:
    """The column a header names by the words it holds, when no listed header begins it;
    "name" for a service name (its language still to be told)."""
    words = normalise(header).split()
    for column, entries in HEADER_KEYWORDS:
        for parts in entries:
            if all(any(_starts(word, part) for word in words) for part in parts):
                return column
    return None


def language_of_header(header: str) -> str | None:
    """ "Наименование (каз.)", "на казахском языке" → kk; None when the header does not say."""
    words = normalise(header).split()
    for language, hints in LANGUAGE_HINTS.items():
        if any(word.startswith(hint) for word in words for hint in hints if len(hint) > 2):
            return language
        if any(word in hints for word in words[1:]):
            return language
    return None


KAZAKH_LETTERS = set("әғқңөұүһі")


def language_of_text(text: str) -> str:
    """Which name column a service name in an unlabelled column belongs to."""
    letters = set(text.casefold())
    if letters & KAZAKH_LETTERS:
        return "kk"
    if any("а" <= ch <= "я" for ch in letters):
        return "ru"
    return "en"


# --- blanks ------------------------------------------------------------------------------

BLANKS = {normalise(word) or word for word in WORDS["blanks"]["words"]} | set(
    WORDS["blanks"]["words"]
)


POINTS_ELSEWHERE = tuple(WORDS["blanks"]["points_elsewhere"])
LONGEST_BLANK = max(len(word) for word in WORDS["blanks"]["words"]) + 4
PUNCTUATION = re.compile(r"[^\w ]")
DIGIT = re.compile(r"\d")


def is_blank(text: str, *, value: bool = True) -> bool:
    """ "-", "н/д", "уточнить", "см. стандарт": a cell that gives no value. A value cell
    (not a name) that only points to the standard or the law gives none either."""
    text = str(text).strip()
    if not text or text in BLANKS:
        return True
    if len(text) <= LONGEST_BLANK and (  # names are longer than any placeholder
        text.casefold() in BLANKS or (PUNCTUATION.search(text) and normalise(text) in BLANKS)
    ):
        return True
    if value and not DIGIT.search(text):
        return any(word.startswith(POINTS_ELSEWHERE) for word in normalise(text).split())
    return False


# --- damaged text ------------------------------------------------------------------------

# A "?" standing for a letter: the mark Excel leaves where a Windows-1251 file could not
# hold a Kazakh one ("?ор?аншылы? аны?тама", "Баланы? тууы"). In a name no "?" touching a
# letter is a question; in free text, one before a letter still is not.
DAMAGED_NAME = re.compile(r"\w\?|\?\w")
DAMAGED_TEXT = re.compile(r"\?\w")


def is_damaged(text: str, *, name: bool = True) -> bool:
    pattern = DAMAGED_NAME if name else DAMAGED_TEXT
    return bool(text) and ("\ufffd" in text or bool(pattern.search(text)))


# --- statuses ----------------------------------------------------------------------------


@cache
def status_index() -> dict[str, str]:
    index = _index(WORDS["statuses"])
    for status in Status:
        for label in _in_every_language(lambda status=status: status.label):
            index.setdefault(normalise(label), status.value)
    return index


# The most telling word of a form decides: "электронная (частично автоматизированная)"
# is partially automated, not electronic.
STATUS_WORD_PRIORITY = [Status.PARTIAL, Status.PROACTIVE, Status.ELECTRONIC, Status.PAPER]
JOINERS = {
    word for phrase in WORDS["status_words"]["joiners"] for word in normalise(phrase).split()
}


@lru_cache(maxsize=4096)  # a list repeats a few wordings in thousands of rows
def status_for(text: str) -> str | None:
    """A status cell, as the statutory wordings and their abbreviations write it.

    Several forms in one cell ("электронная (частично автоматизированная) и (или)
    бумажная", "эл./бум.") give the most electronic of them."""
    whole = status_index().get(normalise(text))
    if whole:
        return whole
    statuses = []
    for piece in re.split(r"[/,;+\n]", str(text)):
        words = normalise(piece).split()
        for part in _split_on(words, JOINERS):
            status = status_index().get(" ".join(part)) or _status_by_words(part)
            if status is None:
                return None
            statuses.append(status)
    return max(statuses, key=Status.rank) if statuses else None


def _split_on(words: list[str], joiners: set[str]) -> list[list[str]]:
    parts, current = [], []
    for word in words:
        if word in joiners:
            if current:
                parts.append(current)
            current = []
        else:
            current.append(word)
    return [*parts, current] if current else parts


def _status_by_words(words: list[str]) -> str | None:
    beginnings = WORDS["status_words"]
    found = set()
    for word in words:
        if any(_starts(word, b) for b in beginnings["neutral"]):
            continue
        matches = [s for s in Status if any(_starts(word, b) for b in beginnings[s.value])]
        if not matches:
            return None  # a word we do not know: not guessed at
        found.update(matches)
    return next((status for status in STATUS_WORD_PRIORITY if status in found), None)


# --- yes / no, paid / free ---------------------------------------------------------------

YES = set(WORDS["yes_no"]["yes"])
NO = set(WORDS["yes_no"]["no"])


def yes_no(text: str) -> bool | None:
    word = normalise(text) or str(text).strip()
    if word in YES:
        return True
    if word in NO:
        return False
    return None


# --- criteria answers ----------------------------------------------------------------------


@cache
def _answer_index() -> dict[str, str]:
    words = WORDS["criteria_answers"]
    index = {normalise(w) or w: key for key in Answer.values for w in words.get(key, [])}
    for answer in Answer:
        for label in _in_every_language(lambda answer=answer: answer.label):
            index[normalise(label)] = answer.value
    for label in _in_every_language(lambda: AWAITING_YES):  # as exports write a claim
        index[normalise(label)] = Answer.YES.value
    return index


def answer_of(text: str) -> str | None:
    """A criterion's cell: yes, no or unknown; None when it is none of them."""
    word = normalise(text) or str(text).strip()
    if word in _answer_index():
        return _answer_index()[word]
    answer = yes_no(text)
    if answer is None:
        return None
    return Answer.YES.value if answer else Answer.NO.value


@lru_cache(maxsize=4096)
def paid_of(text: str) -> bool | None:
    """True for a paid service ("платно", "0,5 МРП", "государственная пошлина"), False for
    a free one, None when the cell says neither."""
    words = WORDS["paid"]
    phrase = normalise(text)
    if phrase in {normalise(w) for w in words["free"]}:
        return False
    if phrase in {normalise(w) for w in words["paid"]}:
        return True
    answer = yes_no(text)
    if answer is not None:
        return answer
    tokens = phrase.split()
    if any(_starts(t, b) for t in tokens for b in words["free_words"]):
        return False
    if any(_starts(t, b) for t in tokens for b in words["paid_words"]):
        return True
    return None


# --- terms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    days: int
    working_days: bool | None = None  # None: the cell does not say
    hours: int | None = None


def _unit_words(key: str) -> set[str]:
    return {word for phrase in WORDS["terms"][key] for word in normalise(phrase).split()}


@cache
def _units() -> dict[str, set[str]]:
    keys = ("working_days", "calendar_days", "days", "hours", "minutes", "weeks", "months")
    return {key: _unit_words(key) for key in keys}


@lru_cache(maxsize=4096)
def term_of(text: str) -> Term | None:
    """ "15", "15 дней", "до 15 рабочих дней", "15 раб. дней", "от 3 до 10 календарных
    дней", "2 часа", "в день обращения" → a Term; None for a cell that is not a term."""
    phrase = normalise(text)
    if not phrase:
        return None
    same_day = [normalise(w) for w in WORDS["terms"]["same_day"]]
    if any(phrase == w or phrase.startswith(w + " ") for w in same_day):
        return Term(days=0)
    words = phrase.split()
    numbers = [i for i, word in enumerate(words) if re.fullmatch(r"\d{1,4}", word)]
    # The first number a unit follows: "1) с момента сдачи … – 5 (пять) рабочих дней" is
    # five working days, not one. "от 3 до 10 дней": the longest the term allows.
    for at in numbers:
        if words[at + 1 : at + 2] == ["до"] and at + 2 in numbers:
            continue  # "от 3 до 10": the unit belongs to the second number
        term = _term_at(words, at)
        if term is not None:
            return term
    if len(words) == 1 and numbers:
        return Term(days=int(words[0]))  # a bare number: days
    return None


def unit_of_header(header: str) -> str | None:
    """ "Срок оказания (рабочих дней)" → "рабочих дней": how its bare numbers count."""
    words = normalise(header).split()
    units = _units()
    if any(word in units["working_days"] and len(word) > 2 for word in words):
        return "рабочих дней"
    if any(word in units["calendar_days"] and len(word) > 2 for word in words):
        return "календарных дней"
    if any(word in units["hours"] and len(word) > 2 for word in words):
        return "часов"
    return None


def _term_at(words: list[str], at: int) -> Term | None:
    number, after = int(words[at]), words[at + 1 : at + 4]
    units = _units()
    if not after:
        return None
    kind = next(
        (
            key
            for word in after
            for key in ("hours", "minutes", "weeks", "months")
            if word in units[key]
        ),
        None,
    )
    working = any(word in units["working_days"] for word in after)
    calendar = any(word in units["calendar_days"] for word in after)
    if kind == "hours" and not working:
        return Term(days=0, hours=number)
    if kind == "minutes":
        return Term(days=0)
    if kind in ("weeks", "months"):
        return Term(days=number * (7 if kind == "weeks" else 30), working_days=False)
    if working or calendar or any(word in units["days"] for word in after):
        return Term(days=number, working_days=True if working else (False if calendar else None))
    return None


# --- channels ----------------------------------------------------------------------------


def _channel_rules() -> list[tuple[str, list[list[str]]]]:
    return [
        (channel, [[normalise(part) for part in entry.split("&")] for entry in entries])
        for channel, entries in WORDS["channels"].items()
    ]


CHANNEL_RULES = _channel_rules()
CHANNEL_FILLER = set(WORDS["channel_filler"]["words"])


@cache
def _channel_labels() -> dict[str, str]:
    """Our own channel names in every language, as exports write them."""
    index = {}
    for channel in Channel:
        for label in _in_every_language(lambda channel=channel: channel.label):
            index[normalise(label)] = channel.value
        for label in _in_every_language(lambda channel=channel: channel.short_label):
            index[normalise(label)] = channel.value
    return index


def _mentions(text: str, beginning: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(beginning), text) is not None


def _names_egov(phrase: str) -> bool:
    return any(_mentions(phrase, word) for word in ("egov", "e gov", "электронного прав"))


def channels_of(text: str) -> tuple[set[str], list[str]]:
    """The channels a "how to apply" cell names, one or several (on separate lines, or
    separated by commas or semicolons), and the parts of it that name none."""
    found, unknown = _channels_of(str(text))
    return set(found), list(unknown)


@lru_cache(maxsize=4096)
def _channels_of(text: str) -> tuple[frozenset, tuple]:
    found, unknown = set(), []
    for segment in re.split(r"[\n;,]|\d+\)", str(text)):
        phrase = normalise(segment)
        if not phrase:
            continue
        if phrase in _channel_labels():
            found.add(_channel_labels()[phrase])
            continue
        named = {
            channel
            for channel, entries in CHANNEL_RULES
            if any(all(_mentions(phrase, part) for part in entry) for entry in entries)
        }
        if Channel.AKIM in named:
            named.discard(Channel.OFFICE)  # "аппарат акима сельского округа" is the akim
        if Channel.ELICENSE in named and not _names_egov(phrase):
            named.discard(Channel.EGOV)  # "портал «Е-лицензирование»" is not eGov
        if named:
            found |= named
        elif any(word not in CHANNEL_FILLER and not word.isdigit() for word in phrase.split()):
            unknown.append(segment.strip())
    return frozenset(found), tuple(unknown)


# --- months ------------------------------------------------------------------------------

MONTHS = {int(number): words for number, words in WORDS["months"].items()}
MONTH_INDEX = {normalise(word): number for number, words in MONTHS.items() for word in words}


def month_of(text: str):
    """ "01.2026", "2026-01", "15.01.2026", "январь 2026", "қаңтар 2026 ж." → 1 January 2026."""
    words = normalise(str(text).replace(".", " ").replace("/", " ").replace("-", " ")).split()
    numbers = [int(w) for w in words if w.isdigit()]
    years = [n for n in numbers if 1990 <= n <= 2100]
    named = [MONTH_INDEX[w] for w in words if w in MONTH_INDEX]
    if len(years) != 1:
        return None
    others = [n for n in numbers if n != years[0]]
    if named:
        month = named[0]
    elif len(others) == 1:  # 01.2026 / 2026-01
        month = others[0]
    elif len(others) == 2:  # 15.01.2026: day first, as dates are written here
        month = others[1]
    else:
        return None
    return date(years[0], month, 1) if 1 <= month <= 12 else None
