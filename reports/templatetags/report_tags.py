"""Filters for reading a frozen report (plain JSON) in the reader's language."""

from datetime import date, datetime

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from regions.models import READINESS_INDICATORS, Readiness
from regions.translated import pick, pick_with_language
from services.models import ServiceChange, Status
from services.targets import TargetState

register = template.Library()
READINESS_DIRECTION = dict(READINESS_INDICATORS)  # key → whether more is better


@register.filter
def tr(row: dict, base: str = "name") -> str:
    """``{{ row|tr }}``: the row's name in the reader's language, with fallbacks."""
    return pick(row, base)


WRITTEN_IN = {
    "kk": gettext_lazy("written in Kazakh"),
    "ru": gettext_lazy("written in Russian"),
    "en": gettext_lazy("written in English"),
}


@register.simple_tag
def tr_marked(row: dict, base: str) -> str:
    """A text kept in the languages someone wrote it in (a note, a readiness source), in
    the reader's; where it has none in theirs, another one marked as such: "… (written
    in Russian)"."""
    text, code = pick_with_language(row, base)
    if not text or code == get_language().split("-")[0]:
        return text
    return format_html(
        '{} <span class="muted small translation-missing">({})</span>', text, WRITTEN_IN[code]
    )


# Changes listed by what happened to the service, not by a move of its status.
NOT_A_MOVE = {
    ServiceChange.Kind.WITHDRAWN,
    ServiceChange.Kind.RESTORED,
    ServiceChange.Kind.MOVED,
}


def change_columns(change: dict) -> tuple[str, str]:
    """One listed change as two readable halves: ("paper", "electronic"), ("added",
    "paper"), ("withdrawn from the register", "paper")."""
    kind = change.get("kind", ServiceChange.Kind.STATUS)
    new = str(Status(change["new_status"]).label)
    if kind in NOT_A_MOVE and change["old_status"] == change["new_status"]:
        label = str(ServiceChange.Kind(kind).label)
        if kind == ServiceChange.Kind.WITHDRAWN and change.get("withdrawn_on"):
            day = date_format(date.fromisoformat(change["withdrawn_on"]), "SHORT_DATE_FORMAT")
            label = _("%(change)s from %(day)s") % {"change": label, "day": day}
        return label, new
    old = str(Status(change["old_status"]).label) if change["old_status"] else _("added")
    return old, new


@register.filter
def restructure_text(note: dict) -> str:
    """Why a department's figures jumped: "Agriculture merged into it on 01.12.2026: 17
    services joined". The change since the last report compares the same services."""
    count = note["services"]
    values = {
        "other": pick(note, "other_short_name"),
        "day": date_format(date.fromisoformat(note["on"]), "SHORT_DATE_FORMAT"),
        "count": count,
    }
    if note["kind"] == "merged":
        text = ngettext(
            "%(other)s merged into it on %(day)s: %(count)d service joined",
            "%(other)s merged into it on %(day)s: %(count)d services joined",
            count,
        )
    elif note["kind"] == "split":
        text = ngettext(
            "%(count)d service moved to %(other)s on %(day)s",
            "%(count)d services moved to %(other)s on %(day)s",
            count,
        )
    elif note["kind"] == "split_from":
        text = ngettext(
            "%(count)d service came from %(other)s on %(day)s",
            "%(count)d services came from %(other)s on %(day)s",
            count,
        )
    else:
        text = _("merged into %(other)s on %(day)s")
    return text % values


@register.filter
def change_text(change: dict) -> str:
    """``{{ change|change_text }}``: "paper → electronic", "withdrawn from the register:
    paper"."""
    old, new = change_columns(change)
    if change.get("kind") in NOT_A_MOVE and change["old_status"] == change["new_status"]:
        return f"{old}: {new}"
    return f"{old} → {new}"


@register.filter
def short(row: dict) -> str:
    return pick(row, "short_name") or pick(row)


@register.filter
def percent(fraction) -> str:
    if not _is_number(fraction):
        return "—"
    return f"{_one_decimal(fraction * 100)}%"


@register.filter
def grouped(number) -> str:
    """A large count with the reader's digit grouping: 468 438 (kk, ru), 468,438 (en)."""
    if not _is_number(number):
        return "—"
    return number_format(number, force_grouping=True)


@register.filter
def signed(number) -> str:
    """A count difference: +3, −2, 0; nothing to compare with: empty."""
    if not _is_number(number):  # a first report has no deltas: the template passes ""
        return ""
    if number > 0:
        return f"+{number_format(number)}"
    if number < 0:
        return f"−{number_format(-number)}"
    return "0"


@register.filter
def signed_points(fraction) -> str:
    """A difference of two shares, in percentage points."""
    if not _is_number(fraction):
        return ""
    points = fraction * 100
    sign = "+" if points > 0 else "−" if points < 0 else ""
    return _("%(value)s pp") % {"value": sign + _one_decimal(abs(points))}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _one_decimal(number: float) -> str:
    # Django's number_format cuts extra decimals off (66.67 -> "66.6"); round them instead.
    return number_format(round(number, 1), decimal_pos=1)


@register.filter
def indicator_label(key: str) -> str:
    """A readiness indicator's name in the reader's language (the field's own name)."""
    return capfirst(str(Readiness._meta.get_field(key).verbose_name))


@register.filter
def target_state_label(value: str) -> str:
    return TargetState(value).label if value in TargetState.values else "—"


@register.filter
def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else "—"


@register.filter
def isodate(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@register.filter
def isodatetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# What a change means, not only its sign: for each figure whether more is better ("up"),
# less is better ("down") or neither (the size of the register: more services is news,
# not progress). Colours, arrows and words follow the meaning.
MEANING = {
    "total": "",
    "verified": "up",
    "digital": "up",
    "share_verified": "up",
    "share_digital": "up",
    "partial": "",
    "paper": "down",
    "overdue": "down",
    "stale": "down",
    "take_up": "up",
    "awaiting_verification": "",
    # regional readiness (regions.models.READINESS_INDICATORS)
    **{key: "up" if more_is_better else "down" for key, more_is_better in READINESS_INDICATORS},
}


@register.simple_tag
def change(value, figure: str, *, points: bool = False, quiet: bool = False) -> str:
    """A change since the last report, e.g. ``▲ +3 better``: the arrow follows the sign,
    the colour and the word what it means for ``figure`` (see MEANING). Empty where
    there is nothing to compare with; ``quiet``: no change is a plain "0" (a table's
    column says what it is) and a share's "0.0 pp" nothing at all."""
    if not _is_number(value):
        return ""
    shown = signed_points(value) if points else signed(value)
    if not value or (points and round(value * 100, 1) == 0):
        if quiet:
            return "" if points else mark_safe('<span class="change flat">0</span>')
        return format_html(
            '<span class="change flat">{} <span class="word">{}</span></span>',
            shown,
            _("no change"),
        )
    arrow = "▲" if value > 0 else "▼"
    good = MEANING.get(figure, "")
    if not good:
        return format_html('<span class="change neutral">{} {}</span>', arrow, shown)
    better = (value > 0) == (good == "up")
    return format_html(
        '<span class="change {}">{} {} <span class="word">{}</span></span>',
        "better" if better else "worse",
        arrow,
        shown,
        _("better") if better else _("worse"),
    )


@register.simple_tag
def readiness_state(indicator: dict) -> str:
    """How a readiness figure stands against its target, read the right way round:
    "26 over the target — fewer is better" for villages without internet."""
    value, target, met = indicator.get("value"), indicator.get("target"), indicator.get("met")
    if met is None:
        return ""
    if met:
        return _("target met")
    gap = _plain_number(abs(value - target))
    if READINESS_DIRECTION.get(indicator["key"], True):
        return _("%(gap)s short of the target") % {"gap": gap}
    return _("%(gap)s over the target — lower is better") % {"gap": gap}


def _plain_number(number) -> str:
    if isinstance(number, float) and not number.is_integer():
        return _one_decimal(number)
    return number_format(int(number))


@register.simple_tag
def outlook(forecast: dict | None) -> str:
    """A forecast in words (reports.forecast): "at this pace on 14.03.2027 (01.03.2027 –
    30.03.2027), 73 days after the deadline; the deadline needs +9.5 pp a month"."""
    if not forecast:
        return _("not enough reports yet for a forecast")
    if forecast["already_met"]:
        return ""
    if forecast["reaches_on"] is None:
        text = _("not reached at this pace")
    else:
        text = _("at this pace on %(day)s") % {"day": _short_day(forecast["reaches_on"])}
        earliest, latest = forecast["earliest"], forecast["latest"]
        if earliest and latest and earliest != latest:
            text += f" ({_short_day(earliest)} – {_short_day(latest)})"
        elif earliest and not latest:
            text += " " + _("(at the slowest pace: not at all)")
    late = forecast.get("days_late")
    if late is not None and late > 0:
        text += ", " + ngettext(
            "%(days)d day after the deadline", "%(days)d days after the deadline", late
        ) % {"days": late}
    if forecast.get("overdue"):
        text += "; " + _("the deadline has passed")
    elif forecast.get("needed_pace_per_30_days") is not None and (late is None or late > 0):
        text += "; " + _("the deadline needs %(pace)s a month") % {
            "pace": signed_points(forecast["needed_pace_per_30_days"])
        }
    return text


@register.simple_tag
def pace(forecast: dict | None) -> str:
    """A forecast's pace per month, e.g. "+1.2 pp a month (+0.9 to +1.5)"."""
    if not forecast:
        return ""
    return _("%(pace)s a month (%(slow)s to %(fast)s)") % {
        "pace": signed_points(forecast["pace_per_30_days"]),
        "slow": signed_points(forecast["slow_pace_per_30_days"]),
        "fast": signed_points(forecast["fast_pace_per_30_days"]),
    }


def _short_day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "SHORT_DATE_FORMAT")


@register.filter
def trend_class(number) -> str:
    if not _is_number(number) or not number:
        return "flat"
    return "up" if number > 0 else "down"


@register.simple_tag
def national_figure(row, key: str) -> str:
    """One cell of the national page: shares as percentages, the change in points,
    readiness as "met of known", counts grouped; "—" where the region has no figure."""
    value = getattr(row, key)
    if value is None:
        return "—"
    if key == "share_digital_change":  # the verified share's, coloured by its meaning
        return change(value, "share_verified", points=True, quiet=True) or signed_points(value)
    if key.startswith("share") or key == "take_up":
        return percent(value)
    if key == "readiness_met":
        return _("%(met)s of %(known)s") % {"met": value, "known": row.readiness_known}
    return grouped(value)


@register.filter
def one_decimal(number) -> str:
    """A score or points, with one decimal in the reader's notation: 55,5 (kk, ru)."""
    if not _is_number(number):
        return "—"
    return number_format(number, decimal_pos=1)


@register.filter
def level_name(level) -> str:
    """``{{ 2|level_name }}``: "2 · applied for online" (services.levels)."""
    from services.levels import LEVEL_NAMES

    return f"{level} · {LEVEL_NAMES.get(level, '')}"


@register.filter
def level_columns(levels: list | None) -> list[tuple[int, int]]:
    """A levels list ([count at 0, at 1, …]) as (level, count) pairs for a table's cells."""
    return list(enumerate(levels or []))


@register.filter
def at_or_above(levels: list | None, level: int) -> int:
    """How many services of a levels list are at ``level`` or above."""
    return sum((levels or [])[level:])
