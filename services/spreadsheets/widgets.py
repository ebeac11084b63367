"""Cell readers for imports: each turns an office's spelling into a value, or says why not.

A ValueError's message is shown to the person next to the row, so it names what was
found and what would have been understood.
"""

import re
from datetime import datetime

from django.utils.translation import gettext as _
from import_export import widgets

from services.models import Status
from services.spreadsheets import vocabulary


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value).strip() or None if value is not None else None


class NameWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and len(text) > 500:
            raise ValueError(_("The name is longer than 500 characters."))
        return text


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


class TermWidget(widgets.Widget):
    """ "15", "до 15 рабочих дней", "15 раб. дней", "2 часа", "в день обращения"."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        term = vocabulary.term_of(value)
        if term is None:
            raise ValueError(
                _(
                    "“%(value)s” is not a term we know. Write the number of days (15, "
                    "15 рабочих дней, 15 жұмыс күні), hours (2 часа) or “в день обращения”."
                )
                % {"value": value}
            )
        if term.days > 365:
            raise ValueError(_("“%(value)s” is longer than a year.") % {"value": value})
        return term

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChannelsWidget(widgets.Widget):
    """Where people apply, one channel or several in a cell: the channel values."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        found, unknown = vocabulary.channels_of(value)
        if not found:
            raise ValueError(
                _(
                    "“%(value)s” is not a channel we know. Name them as eGov, mGov, "
                    "Госкорпорация / ЦОН, услугодатель / канцелярия, e-license, аким "
                    "сельского округа, видеозвонок, one per line or separated by commas."
                )
                % {"value": "; ".join(unknown) or value}
            )
        if unknown and row is not None:
            # Known channels with words around them we cannot place ("почтой"): the
            # channels land; the rest is shown in the preview for a second look.
            row.setdefault("_unplaced", []).extend(unknown)
        return frozenset(found)


class PaidWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        answer = vocabulary.paid_of(value)
        if answer is None:
            raise ValueError(
                _("“%(value)s” says neither paid nor free (платно/бесплатно, ақылы/тегін).")
                % {"value": value}
            )
        return answer

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else (_("yes") if value else _("no"))


class ChoiceWidget(widgets.Widget):
    """A choice written as its label in any of the three languages, or as its code."""

    def __init__(self, choices, problem):
        self.choices = choices
        self.problem = problem

    def labels(self) -> dict[str, str]:
        """Every label in every language, worked out once per widget."""
        if not hasattr(self, "_labels"):
            index = {}
            for value, label in self.choices.choices:
                index[vocabulary.normalise(value)] = value
                for text in vocabulary._in_every_language(lambda label=label: label):
                    index[vocabulary.normalise(text)] = value
            self._labels = index
        return self._labels

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        found = self.labels().get(vocabulary.normalise(value))
        if found is None:
            raise ValueError(self.problem % {"value": value})
        return found

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class DayWidget(widgets.Widget):
    """A date as Excel or a person writes it here: 31.12.2026, 2026-12-31."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = str(value).strip()
        for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date (write 31.12.2026).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""
