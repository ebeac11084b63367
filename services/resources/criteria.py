"""The criteria and life-events columns of a service list.

One column per criterion in use, named by the criterion (services.spreadsheets.vocabulary
.service_headers) and answered yes, no or unknown in any of the three languages; one
column of life events, named in any language and separated by ";" or line breaks. A
blank cell keeps what the service has, as in every other column. What a row says is kept
on the row ("_answers", "_events") until the row is written through
services.criteria_writes, with its claim rule: a head's "yes" needs an evidence link.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from services.models import AWAITING_YES, Answer, Criterion, LifeEvent, ServiceCriterion
from services.spreadsheets import vocabulary

CRITERION_COLUMN = vocabulary.CRITERION_COLUMN
LIFE_EVENTS = "life_events"


def criterion_column(criterion: Criterion) -> str:
    return CRITERION_COLUMN + criterion.code


@dataclass
class StoredCriteria:
    """The answers in force and the life events of the services an import may touch,
    read in two queries before its first row."""

    answers: dict[int, dict[str, tuple[str, bool]]] = field(default_factory=dict)
    events: dict[int, frozenset[str]] = field(default_factory=dict)

    def load(self, services) -> None:
        rows = ServiceCriterion.objects.filter(service__in=services).values_list(
            "service_id", "criterion__code", "answer", "awaiting"
        )
        for service_id, code, answer, awaiting in rows:
            self.answers.setdefault(service_id, {})[code] = (answer, awaiting)
        links = LifeEvent.services.through.objects.filter(service__in=services).values_list(
            "service_id", "lifeevent__code"
        )
        found: dict[int, set] = {}
        for service_id, code in links:
            found.setdefault(service_id, set()).add(code)
        self.events = {service_id: frozenset(codes) for service_id, codes in found.items()}

    def answer(self, service_id, code: str) -> str:
        return self.answers.get(service_id, {}).get(code, (Answer.UNKNOWN, False))[0]

    def shown_answer(self, service_id, code: str) -> str:
        answer, awaiting = self.answers.get(service_id, {}).get(code, (Answer.UNKNOWN, False))
        return str(AWAITING_YES) if awaiting else str(Answer(answer).label)

    def events_of(self, service_id) -> frozenset[str]:
        return self.events.get(service_id, frozenset())


class AnswerWidget(widgets.Widget):
    def __init__(self, criterion: Criterion):
        super().__init__()
        self.criterion = criterion

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        answer = vocabulary.answer_of(value)
        if answer is None:  # named, since a list has a column for each criterion
            raise ValueError(
                _(
                    "“%(value)s” is not an answer to “%(criterion)s”: yes, no or unknown "
                    "(да/нет/неизвестно, иә/жоқ/белгісіз)."
                )
                % {"value": value, "criterion": self.criterion.name}
            )
        return answer


class LifeEventsWidget(widgets.Widget):
    """A cell of life events, named in any language or by code. Names may hold commas
    ("Культура, спорт и досуг"), so a comma separates two only where neither part is a
    name on its own with it. "No" ("нет", "жоқ") puts the service in none."""

    def __init__(self, events: list[LifeEvent]):
        super().__init__()
        self.events = events
        self.by_name = {}
        for event in events:
            for name in (event.code, event.name_kk, event.name_ru, event.name_en):
                if vocabulary.normalise(name):
                    self.by_name.setdefault(vocabulary.normalise(name), event.code)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if vocabulary.yes_no(value) is False:
            return frozenset()
        codes, unknown = set(), []
        for piece in re.split(r"[;\n]", str(value)):
            found, left = self._names_in(piece)
            codes |= found
            unknown += left
        if unknown:
            raise ValueError(
                _("“%(names)s”: no life event has this name. The life events are: %(known)s.")
                % {
                    "names": "; ".join(unknown),
                    "known": "; ".join(event.name for event in self.events),
                }
            )
        return frozenset(codes)

    def _names_in(self, piece: str) -> tuple[set[str], list[str]]:
        """The events a piece names, joining comma-separated parts into the longest name
        each run of them makes."""
        parts = [part.strip() for part in piece.split(",")]
        codes, unknown, at = set(), [], 0
        while at < len(parts):
            for end in range(len(parts), at, -1):
                code = self.by_name.get(vocabulary.normalise(", ".join(parts[at:end])))
                if code:
                    codes.add(code)
                    at = end
                    break
            else:
                if parts[at]:
                    unknown.append(parts[at])
                at += 1
        return codes, unknown


class CriterionField(Field):
    """A criterion's answer, kept on the row for the write (services.resources)."""

    def __init__(self, criterion: Criterion, stored: StoredCriteria):
        column = criterion_column(criterion)
        super().__init__(attribute=column, column_name=column, widget=AnswerWidget(criterion))
        self.code, self.stored = criterion.code, stored

    def save(self, instance, row, is_m2m=False, **kwargs):
        answer = self.clean(row, **kwargs)
        if answer is not None:
            row.setdefault("_answers", {})[self.code] = answer

    def get_value(self, instance):
        return self.stored.answer(instance.pk, self.code)


class LifeEventsField(Field):
    def __init__(self, events: list[LifeEvent], stored: StoredCriteria):
        super().__init__(
            attribute=LIFE_EVENTS, column_name=LIFE_EVENTS, widget=LifeEventsWidget(events)
        )
        self.stored = stored

    def save(self, instance, row, is_m2m=False, **kwargs):
        events = self.clean(row, **kwargs)
        if events is not None:
            row["_events"] = events

    def get_value(self, instance):
        return self.stored.events_of(instance.pk)


@dataclass
class RowCriteria:
    """What one row changes in its service's criteria and life events."""

    answers: dict[str, str]  # code -> the new answer, only those that differ
    events: frozenset[str] | None  # the new set, None when unchanged

    def __bool__(self) -> bool:
        return bool(self.answers) or self.events is not None


def changes_of(row, service_id, stored: StoredCriteria) -> RowCriteria:
    answers = {
        code: answer
        for code, answer in row.get("_answers", {}).items()
        if answer != stored.answer(service_id, code)
    }
    events = row.get("_events")
    if events is not None and events == stored.events_of(service_id):
        events = None
    return RowCriteria(answers, events)
