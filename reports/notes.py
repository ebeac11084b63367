"""Notes that explain a region's jumps: every write, with its version row in the same
transaction, and the reading the report pages and the brief use.

The admin calls save_note and remove_note; the history does not depend on it.
"""

from datetime import date

from django.db import transaction

from regions.translated import pick
from reports.models import ReportNote, ReportNoteVersion
from reports.models.notes import NOTE_STATE_FIELDS, TEXT_FIELDS

LANGUAGES = ("kk", "ru", "en")


@transaction.atomic
def save_note(note: ReportNote, *, by) -> ReportNoteVersion | None:
    """Add or change ``note``, recording the note as it now stands. Refused with a
    ValidationError (no text, a department or target of another region).

    A change that changes nothing is not saved and writes no version: None.
    """
    for name in TEXT_FIELDS:
        setattr(note, name, getattr(note, name).strip())
    note.full_clean()
    adding = note._state.adding or note.pk is None
    if adding:
        note.created_by = by
        note.save()
    else:
        stored = ReportNote.objects.select_for_update().filter(pk=note.pk).first()
        if stored is not None and _state(stored) == _state(note):
            return None
        note.save(force_update=True)  # a note removed meanwhile is not brought back
    action = ReportNoteVersion.Action.ADDED if adding else ReportNoteVersion.Action.CHANGED
    return _record(note, action=action, by=by)


@transaction.atomic
def remove_note(note: ReportNote, *, by) -> ReportNoteVersion:
    """Remove ``note``; its history stays, ending with the note as it was removed."""
    version = _record(note, action=ReportNoteVersion.Action.REMOVED, by=by)
    note.delete()
    return version


def _state(note: ReportNote) -> dict:
    return {name: getattr(note, name) for name in ("region_id", *NOTE_STATE_FIELDS)}


def _record(note: ReportNote, *, action: str, by) -> ReportNoteVersion:
    return ReportNoteVersion.objects.create(note_id=note.pk, action=action, who=by, **_state(note))


def notes_for(region, *, until: date, since: date | None = None) -> list[dict]:
    """The region's notes from ``since`` (the first) to ``until``, by date, as plain dicts
    (a frozen report, JSON), numbered 1, 2, 3… in that order: the markers on the charts.

    ``department_id`` and its short names are the note's department, else its target's;
    empty for a note on the whole region. One query.
    """
    region_id = getattr(region, "pk", region)
    notes = ReportNote.objects.filter(region_id=region_id, on__lte=until)
    if since is not None:
        notes = notes.filter(on__gte=since)
    notes = notes.select_related("department", "target__department").order_by("on", "pk")
    return [_as_dict(note, number) for number, note in enumerate(notes, start=1)]


def _as_dict(note: ReportNote, number: int) -> dict:
    department = note.department or (note.target.department if note.target else None)
    return {
        "id": note.pk,
        "number": number,
        "on": note.on.isoformat(),
        **{name: getattr(note, name) for name in TEXT_FIELDS},
        "department_id": department.pk if department else None,
        **{
            f"short_name_{code}": (
                getattr(department, f"short_name_{code}") or getattr(department, f"name_{code}")
                if department
                else ""
            )
            for code in LANGUAGES
        },
        "target_id": note.target_id,
    }


def note_text(note: dict) -> str:
    """The note in the reader's language, else in any language it was written in."""
    return pick(note, "text")  # pick tries every language, the reader's first
