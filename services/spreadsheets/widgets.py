"""Cell readers for imports: each turns an office's spelling into a value, or says why not.

A ValueError's message is shown to the person next to the row, so it names what was
found and what would have been understood.
"""

import re

from django.utils.translation import gettext as _
from import_export import widgets

from services.models import Status
from services.spreadsheets import vocabulary


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value).strip() or None if value is not None else None


class StatusWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        status = vocabulary.status_for(value)
        if status is None:
            raise ValueError(
                _(
                    "“%(value)s” is not a status we know. Write paper, partially automated, "
                    "electronic or proactive (бумажная, частично автоматизированная, "
                    "электронная, проактивная; қағаз, ішінара, электрондық, проактивті)."
                )
                % {"value": value}
            )
        return status

    def render(self, value, obj=None, **kwargs):
        return str(Status(value).label) if value else ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        answer = vocabulary.yes_no(value)
        if answer is None:
            raise ValueError(
                _("“%(value)s” is neither yes nor no (да/нет, иә/жоқ, yes/no).") % {"value": value}
            )
        return answer

    def render(self, value, obj=None, **kwargs):
        return _("yes") if value else _("no")


class CountWidget(widgets.Widget):
    """A whole number of documents or days; "15 дней" and "15.0" are read as 15."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        match = re.fullmatch(r"\s*(\d{1,4})(?:[.,]0+)?\s*\D*", str(value))
        if not match:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(match.group(1))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class RegisterCodeWidget(widgets.Widget):
    """An 8-digit code. Excel drops leading zeros from codes typed as numbers: put back."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        digits = re.sub(r"[\s.-]", "", str(value))
        if digits.isdigit() and len(digits) < 8:
            digits = digits.zfill(8)
        if not re.fullmatch(r"\d{8}", digits):
            raise ValueError(
                _("“%(value)s” is not a register code: it has 8 digits.") % {"value": value}
            )
        return digits

    def render(self, value, obj=None, **kwargs):
        return value or ""
