"""Service lists as CSV and XLSX: the rows a person may see, safe to open in Excel.

Headers are the fields' own names in the reader's language — the importer reads them
back, so an exported file can be edited and imported again. Memory stays flat whatever
the size: CSV is streamed row by row; XLSX is written by xlsxwriter in constant-memory
mode to a temporary file, then streamed.
"""

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import batched
from typing import IO

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.models import ProviderLevel
from regions.translated import reading_order
from services.models import (
    AWAITING_YES,
    Answer,
    Channel,
    Criterion,
    LifeEvent,
    Service,
    ServiceCriterion,
    Sphere,
    Status,
)
from tracker.xlsx_cells import LimitedWorkbook

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


@dataclass(frozen=True)
class Written:
    """What an export wrote: its rows, and how many cells Excel's limit cut (XLSX)."""

    rows: int
    cut_cells: int = 0


@dataclass(frozen=True)
class Column:
    """One exported column: a model field read straight from the database row, or
    several (the channels) made into one cell."""

    field: str
    source: str | tuple[str, ...] = ""  # the values_list() path(s), when not the field
    choices: type | None = None  # shown as the choice's label in the reader's language
    yes_no: bool = False
    label_text: object = None  # for a column that is no single model field

    @property
    def label(self) -> str:
        if self.label_text is not None:
            return capfirst(str(self.label_text))
        return capfirst(str(Service._meta.get_field(self.field).verbose_name))

    @property
    def sources(self) -> tuple[str, ...]:
        if isinstance(self.source, tuple):
            return self.source
        return (self.source or self.field,)

    def renderer(self) -> Callable[..., object]:
        """Turns raw values into the cell; labels are looked up once per export."""
        if self.field == "channels":
            labels = [str(channel.label) for channel in Channel]
            return lambda *flags: "; ".join(
                label for label, on in zip(labels, flags, strict=True) if on
            )
        if self.field == "department":
            order = reading_order()
            return lambda *names: next(
                (names[LANGUAGES.index(code)] for code in order if names[LANGUAGES.index(code)]),
                "",
            )
        if self.choices is not None:
            labels = {value: str(label) for value, label in self.choices.choices}
            return lambda value: labels.get(value, "")
        if self.yes_no:
            yes, no = _("yes"), _("no")
            return lambda value: "" if value is None else (yes if value else no)
        return lambda value: value


LANGUAGES = ["kk", "ru", "en"]

# Every column here is read back by the import (services.resources): a file exported,
# edited in Excel and imported again changes exactly what was edited.
COLUMNS = [
    Column("register_code"),
    Column(
        "department",
        source=tuple(f"department__name_{code}" for code in LANGUAGES),
    ),
    Column("name_kk"),
    Column("name_ru"),
    Column("name_en"),
    Column("sphere", choices=Sphere),
    Column("socially_significant", yes_no=True),
    Column("status", choices=Status),
    Column("provider_level", choices=ProviderLevel),
    Column(
        "channels",
        source=tuple(channel.field_name for channel in Channel),
        label_text=gettext_lazy("channels"),
    ),
    Column("paid", yes_no=True),
    Column("documents_required"),
    Column("term_days"),
    Column("term_working_days", yes_no=True),
    Column("term_hours"),
    Column("blocker"),
    Column("evidence_url"),
    Column("target_status", choices=Status),
    Column("target_date"),
    # The levels follow from the criteria' answers: shown, and left alone by the import.
    Column("level", label_text=gettext_lazy("level, claimed")),
    Column("level_verified"),
]


class CriteriaColumns:
    """After the columns above, a column per criterion in use (its answer) and one of
    life events. They are data the national level edits, so read at each export, and
    read for each chunk of services in two queries, not a query per service."""

    def __init__(self):
        self.criteria = list(Criterion.objects.filter(active=True))
        self.events = list(LifeEvent.objects.all())
        self.answer_labels = {answer.value: str(answer.label) for answer in Answer}
        self.awaiting = str(AWAITING_YES)
        # Looked up once an export, not once a chunk; names in the reader's language.
        self.position = {criterion.pk: index for index, criterion in enumerate(self.criteria)}
        self.event_names = {event.pk: event.name for event in self.events}
        self.event_order = {event.pk: index for index, event in enumerate(self.events)}

    @property
    def labels(self) -> list[str]:
        names = [capfirst(criterion.name) for criterion in self.criteria]
        return [*names, capfirst(str(LifeEvent._meta.verbose_name_plural))]

    def cells_of(self, service_ids: list[int]) -> dict[int, list[str]]:
        at = self.position
        unknown = self.answer_labels[Answer.UNKNOWN]
        cells = {pk: [unknown] * len(self.criteria) for pk in service_ids}
        answers = ServiceCriterion.objects.filter(
            service_id__in=service_ids, criterion_id__in=at
        ).values_list("service_id", "criterion_id", "answer", "awaiting")
        for service_id, criterion_id, answer, awaiting in answers:
            shown = self.awaiting if awaiting else self.answer_labels[answer]
            cells[service_id][at[criterion_id]] = shown
        names, order = self.event_names, self.event_order
        in_events: dict[int, list[int]] = {}
        links = LifeEvent.services.through.objects.filter(service_id__in=service_ids)
        for service_id, event_id in links.values_list("service_id", "lifeevent_id"):
            in_events.setdefault(service_id, []).append(event_id)
        for pk, row in cells.items():
            row.append("; ".join(names[e] for e in sorted(in_events.get(pk, []), key=order.get)))
        return cells


def export_queryset(queryset):
    return queryset.order_by("department__region__code", "department__code", "name_ru", "pk")


def headers(criteria: CriteriaColumns) -> list[str]:
    return [column.label for column in COLUMNS] + criteria.labels


def rows(queryset, criteria: CriteriaColumns) -> Iterator[list]:
    """Each service as a list of cells. Plain values, no model objects: exports of
    hundreds of thousands of rows stay fast and small."""
    renderers = [column.renderer() for column in COLUMNS]
    fields = [source for column in COLUMNS for source in column.sources]
    widths = [len(column.sources) for column in COLUMNS]
    found = export_queryset(queryset).values_list(*fields, "pk").iterator(chunk_size=CHUNK)
    for chunk in batched(found, CHUNK):
        more = criteria.cells_of([values[-1] for values in chunk])
        for values in chunk:
            cells, at = [], 0
            for render, width in zip(renderers, widths, strict=True):
                cells.append(render(*values[at : at + width]))
                at += width
            yield cells + more[values[-1]]


def csv_text(value) -> str:
    """A cell for CSV: dates as dd.mm.yyyy, and never something Excel would execute."""
    if value is None:
        return ""
    text = value.strftime("%d.%m.%Y") if hasattr(value, "strftime") else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer writes into this and hands back each line, for streaming."""

    def write(self, text):
        return text


def csv_lines(queryset) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    criteria = CriteriaColumns()
    # A BOM and ";" are what Excel on a Russian or Kazakh Windows opens without asking.
    yield "\ufeff" + writer.writerow(headers(criteria))
    for row in rows(queryset, criteria):
        yield writer.writerow([csv_text(value) for value in row])


def write_csv(queryset, path: str, *, on_row: Callable[[int], None] | None = None) -> Written:
    """The CSV export written to a file (for background jobs)."""
    count = -1  # the header is not a row
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for count, line in enumerate(csv_lines(queryset)):
            handle.write(line)
            if on_row and count and count % 1000 == 0:
                on_row(count)
    return Written(max(count, 0))


def write_xlsx(queryset, path: str, *, on_row: Callable[[int], None] | None = None) -> Written:
    """Write the rows to ``path``. ``on_row`` sees every 1000th count."""
    workbook = LimitedWorkbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,  # a cell starting with "=" stays text
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(_("Services")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EDE9FE"})
    day = workbook.add_format({"num_format": "dd.mm.yyyy"})
    criteria = CriteriaColumns()
    for index, label in enumerate(headers(criteria)):
        sheet.write_string(0, index, label, bold)
    count = 0
    for count, row in enumerate(rows(queryset, criteria), start=1):
        for index, value in enumerate(row):
            _write_cell(sheet, count, index, value, day)
        if on_row and count % 1000 == 0:
            on_row(count)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return Written(count, len(workbook.cut_cells))


def _write_cell(sheet, row: int, column: int, value, day_format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, int):
        sheet.write_number(row, column, value)
    elif hasattr(value, "strftime"):
        sheet.write_datetime(row, column, value, day_format)
    else:
        sheet.write_string(row, column, str(value))


def xlsx_file(queryset) -> tuple[IO[bytes], Written]:
    """The workbook as an open temporary file, deleted once read and closed."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    written = write_xlsx(queryset, handle.name)
    handle.seek(0)
    return handle, written
