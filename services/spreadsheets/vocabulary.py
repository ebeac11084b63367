"""The words offices use in their service lists: headers, statuses, yes and no.

Everything is compared after :func:`normalise` (lower case, ё→е, punctuation and extra
spaces removed), so "Наименование  госуслуги:" and "наименование госуслуги" are one.
A word not listed here is not guessed at: the importer reports it.
"""

import re
import unicodedata
from functools import cache

from django.conf import settings
from django.utils import translation

from services.models import Service, Status

# Canonical columns of the import, each with the headers that mean it.
HEADERS = {
    "register_code": [
        "код",
        "код услуги",
        "код госуслуги",
        "код государственной услуги",
        "код по реестру",
        "реестровый код",
        "код в реестре",
        "коды",
        "қызмет коды",
        "тізілім коды",
        "тізілім бойынша коды",
        "code",
        "register code",
        "service code",
    ],
    "name_ru": [
        "наименование услуги",
        "наименование госуслуги",
        "наименование государственной услуги",
        "наименование",
        "название услуги",
        "услуга",
        "госуслуга",
        "государственная услуга",
        "наименование на русском языке",
        "наименование рус",
        "наименование на русском",
        "атауы орыс тілінде",
        "name ru",
        "name russian",
    ],
    "name_kk": [
        "қызмет атауы",
        "мемлекеттік қызмет атауы",
        "мемлекеттік қызметтің атауы",
        "қызметтің атауы",
        "атауы",
        "атауы қазақ тілінде",
        "наименование на казахском языке",
        "наименование каз",
        "наименование на казахском",
        "name kk",
        "name kazakh",
    ],
    "name_en": ["service name", "name", "service", "name en", "name english"],
    "status": [
        "статус",
        "статус услуги",
        "форма оказания",
        "форма оказания услуги",
        "форма",
        "вид оказания",
        "мәртебе",
        "мәртебесі",
        "көрсету нысаны",
        "көрсету түрі",
        "қызмет көрсету нысаны",
        "status",
        "form",
    ],
    "socially_significant": [
        "социально значимая",
        "социально значимая услуга",
        "социальная значимость",
        "әлеуметтік маңызы бар",
        "әлеуметтік маңызды",
        "socially significant",
    ],
    "blocker": [
        "причина",
        "причины",
        "причина отставания",
        "почему не в электронном виде",
        "причина почему не в электронном виде",
        "проблемные вопросы",
        "себебі",
        "себептері",
        "неге әлі электрондық емес",
        "blocker",
        "why not electronic",
        "reason",
    ],
    "documents_required": [
        "количество документов",
        "кол во документов",
        "число документов",
        "құжаттар саны",
        "documents",
        "documents required",
    ],
    "term_days": [
        "срок оказания",
        "срок оказания дней",
        "срок оказания в днях",
        "срок",
        "көрсету мерзімі",
        "мерзімі",
        "term",
        "term days",
        "term in days",
    ],
    "department": [
        "управление",
        "басқарма",
        "услугодатель",
        "көрсетілетін қызметті беруші",
        "department",
    ],
    "evidence_url": ["ссылка", "ссылка на подтверждение", "сілтеме", "link", "evidence"],
    # usage tables: one row per service and month, a column of deliveries per channel
    "month": [
        "месяц",
        "период",
        "отчетный период",
        "ай",
        "кезең",
        "есепті кезең",
        "month",
        "period",
    ],
    "usage_egov": [
        "egov",
        "портал egov",
        "портал электронного правительства",
        "эп",
        "электрондық үкімет порталы",
        "egov portal",
        "egov kz",
    ],
    "usage_mgov": [
        "mgov",
        "мобильное приложение",
        "приложение egov mobile",
        "egov mobile",
        "мобильді қосымша",
        "mgov app",
    ],
    "usage_psc": [
        "цон",
        "хқко",
        "через цон",
        "центр обслуживания населения",
        "госкорпорация",
        "халыққа қызмет көрсету орталығы",
        "psc",
    ],
    "usage_office": [
        "канцелярия",
        "канцелярия услугодателя",
        "у услугодателя",
        "кеңсе",
        "office",
        "provider office",
    ],
    "usage_video": [
        "видеозвонок",
        "видеосвязь",
        "по видеосвязи",
        "бейнеқоңырау",
        "video",
        "video call",
    ],
}

# A header that names the service without saying in which language: decided by its cells.
NAME_WITHOUT_LANGUAGE = {
    "наименование",
    "наименование услуги",
    "наименование госуслуги",
    "наименование государственной услуги",
    "название услуги",
    "услуга",
}
LANGUAGE_HINTS = {
    "kk": ("каз", "қаз", "kaz", "kk"),
    "ru": ("рус", "орыс", "rus", "ru"),
    "en": ("англ", "ағыл", "eng", "en"),
}

STATUSES = {
    Status.PAPER: [
        "бумажная",
        "бумажный",
        "бумажная форма",
        "в бумажной форме",
        "бумага",
        "на бумаге",
        "бум",
        "бумаж",
        "қағаз",
        "қағаз түрінде",
        "қағаз жүзінде",
        "қағаздық",
        "paper",
    ],
    Status.PARTIAL: [
        "частично автоматизированная",
        "частично автоматизированный",
        "частично",
        "частично электронная",
        "частично автомат",
        "ч а",
        "ішінара автоматтандырылған",
        "ішінара",
        "partial",
        "partially automated",
    ],
    Status.ELECTRONIC: [
        "электронная",
        "электронный",
        "электронная форма",
        "в электронной форме",
        "эл",
        "электр",
        "электрон",
        "электронды",
        "электрондық",
        "электрондық түрде",
        "electronic",
        "e service",
    ],
    Status.PROACTIVE: ["проактивная", "проактивный", "проактивно", "проактивті", "proactive"],
}

YES = {"да", "иә", "ия", "yes", "y", "1", "true", "+", "v", "✓", "✔", "x", "х"}
NO = {"нет", "жоқ", "no", "n", "0", "false", "-", "—"}

# First cells that end the table or sum it up rather than name a service.
TOTAL_WORDS = ("итого", "всего", "барлығы", "барлыгы", "жиыны", "total")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ").casefold()
    text = text.replace("ё", "е")
    text = re.sub(r"(?<=\w)-(?=\w)", " ", text)  # "кол-во", "социально-значимая"
    text = re.sub(r"[^\w\s+✓✔—-]", " ", text)  # keep letters, digits, + and marks of yes/no
    return re.sub(r"\s+", " ", text).strip()


def _index(words_by_key: dict) -> dict:
    return {normalise(word): key for key, words in words_by_key.items() for word in words}


def _in_every_language(text_of) -> list[str]:
    texts = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts.append(str(text_of()))
    return texts


@cache
def header_index() -> dict[str, str]:
    """HEADERS, plus each field's own name in kk, ru and en: what our exports write."""
    index = _index(HEADERS)
    service_fields = {field.name for field in Service._meta.get_fields()}
    for column in HEADERS.keys() & service_fields:
        field = Service._meta.get_field(column)
        for label in _in_every_language(lambda field=field: field.verbose_name):
            index.setdefault(normalise(label), column)
    return index


@cache
def status_index() -> dict[str, str]:
    index = _index(STATUSES)
    for status in Status:
        for label in _in_every_language(lambda status=status: status.label):
            index.setdefault(normalise(label), status.value)
    return index


def language_of_header(header: str) -> str | None:
    """ "Наименование (каз.)" → kk; None when the header does not say."""
    words = normalise(header).split()
    for language, hints in LANGUAGE_HINTS.items():
        if any(word.startswith(hint) for word in words[1:] for hint in hints):
            return language
    return None


def status_for(text: str) -> str | None:
    return status_index().get(normalise(text))


def yes_no(text: str) -> bool | None:
    word = normalise(text) or str(text).strip()
    if word in YES:
        return True
    if word in NO:
        return False
    return None


MONTHS = {
    1: ["январь", "января", "янв", "қаңтар", "january", "jan"],
    2: ["февраль", "февраля", "фев", "ақпан", "february", "feb"],
    3: ["март", "марта", "мар", "наурыз", "march", "mar"],
    4: ["апрель", "апреля", "апр", "сәуір", "april", "apr"],
    5: ["май", "мая", "мамыр", "may"],
    6: ["июнь", "июня", "июн", "маусым", "june", "jun"],
    7: ["июль", "июля", "июл", "шілде", "july", "jul"],
    8: ["август", "августа", "авг", "тамыз", "august", "aug"],
    9: ["сентябрь", "сентября", "сен", "қыркүйек", "september", "sep"],
    10: ["октябрь", "октября", "окт", "қазан", "october", "oct"],
    11: ["ноябрь", "ноября", "ноя", "қараша", "november", "nov"],
    12: ["декабрь", "декабря", "дек", "желтоқсан", "december", "dec"],
}
MONTH_INDEX = {normalise(word): number for number, words in MONTHS.items() for word in words}


def month_of(text: str):
    """ "01.2026", "2026-01", "15.01.2026", "январь 2026", "қаңтар 2026 ж." → 1 January 2026."""
    from datetime import date

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


KAZAKH_LETTERS = set("әғқңөұүһі")


def language_of_text(text: str) -> str:
    """Which name column a service name in an unlabelled column belongs to."""
    letters = set(text.casefold())
    if letters & KAZAKH_LETTERS:
        return "kk"
    if any("а" <= ch <= "я" for ch in letters):
        return "ru"
    return "en"
