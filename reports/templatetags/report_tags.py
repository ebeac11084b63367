"""Filters for reading a frozen report (plain JSON) in the reader's language."""

from datetime import date, datetime

from django import template
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions.models import Readiness
from regions.translated import pick
from services.models import ServiceChange, Status

register = template.Library()


@register.filter
def tr(row: dict, base: str = "name") -> str:
    """``{{ row|tr }}``: the row's name in the reader's language, with fallbacks."""
    return pick(row, base)


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
def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else "—"


@register.filter
def isodate(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@register.filter
def isodatetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


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
    if key == "share_digital_change":
        return signed_points(value)
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
