"""Filters for reading a frozen report (plain JSON) in the reader's language."""

from datetime import date, datetime

from django import template
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from regions.models import Readiness
from regions.translated import pick
from services.models import Status

register = template.Library()


@register.filter
def tr(row: dict, base: str = "name") -> str:
    """``{{ row|tr }}``: the row's name in the reader's language, with fallbacks."""
    return pick(row, base)


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
