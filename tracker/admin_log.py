"""The admin's log of changes, read in the reader's language whatever the actor's.

Django keeps a change as data ("changed": the fields' labels in English) and translates
it when shown; but a label is the field's name with a capital ("Term in days") while the
catalog knows the field's own name ("term in days"), so the label stayed English on a
Kazakh or Russian page, and so did the form's hidden bookkeeping ("Expected version"),
which is no change a person made. So:

- ``construct_change_message`` leaves hidden fields out of what is kept;
- an import's record is kept as data too ({"imported": "update"}), not
  django-import-export's English sentence;
- ``ReadableEntry`` shows a kept change with each label translated the way the catalog
  knows it (the label, else the field's own name), and with the object's name as it reads
  now in the reader's language where the object still exists (the kept name is the one it
  had in the actor's language).
"""

import json

from django.contrib.admin.utils import construct_change_message as django_change_message
from django.forms import HiddenInput
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

# How an import changed a row (services.import_admin keeps {"imported": <kind>}).
IMPORTED = {
    "new": gettext_lazy("Added from a spreadsheet."),
    "update": gettext_lazy("Changed from a spreadsheet."),
    "delete": gettext_lazy("Deleted from a spreadsheet."),
}


def construct_change_message(form, formsets, add) -> list:
    """Django's record of a change, without the form's hidden fields."""
    hidden = {name for name, field in form.fields.items() if isinstance(field.widget, HiddenInput)}
    if hidden & set(form.changed_data):
        form.changed_data[:] = [name for name in form.changed_data if name not in hidden]
    return django_change_message(form, formsets, add)


def translated_label(label: str) -> str:
    """A kept field label in the reader's language: as the catalog knows it, or as the
    field's own (lower-case) name; an old entry kept in some language shows as it is."""
    for msgid in (label, label[:1].lower() + label[1:]):
        translated = gettext(msgid)
        if translated != msgid:
            return capfirst(translated)
    return label


class ReadableEntry:
    """A LogEntry as the history pages show it (every other attribute is the entry's)."""

    def __init__(self, entry, current_name: str | None = None):
        self._entry = entry
        self._current_name = current_name

    def __getattr__(self, name):
        return getattr(self._entry, name)

    @property
    def object_repr(self) -> str:
        return self._current_name or self._entry.object_repr

    def get_change_message(self) -> str:
        message = self._entry.change_message
        if not message or message[0] != "[":
            return self._entry.get_change_message()
        try:
            parts = json.loads(message)
        except json.JSONDecodeError:
            return message
        imported = [IMPORTED.get(part["imported"]) for part in parts if "imported" in part]
        if imported:
            return " ".join(str(text) for text in imported if text)
        for part in parts:
            changed = part.get("changed")
            if changed and isinstance(changed.get("fields"), list):
                changed["fields"] = [translated_label(label) for label in changed["fields"]]
        # Django's own wording for the rest, in the reader's language; the labels it
        # translates again are translated already (gettext leaves them as they are).
        self._entry.change_message = json.dumps(parts)
        try:
            return self._entry.get_change_message()
        finally:
            self._entry.change_message = message


def readable(entries) -> list[ReadableEntry]:
    """Log entries with their objects' names as they read now, one query per kind."""
    entries = list(entries)
    names = {}
    by_type = {}
    for entry in entries:
        if entry.content_type_id and entry.object_id:
            by_type.setdefault(entry.content_type, set()).add(entry.object_id)
    for content_type, ids in by_type.items():
        model = content_type.model_class()
        if model is None:
            continue
        valid = [i for i in ids if _is_key(model, i)]
        for obj in model._default_manager.filter(pk__in=valid):
            names[(content_type.pk, str(obj.pk))] = str(obj)
    return [ReadableEntry(e, names.get((e.content_type_id, str(e.object_id)))) for e in entries]


def _is_key(model, value: str) -> bool:
    try:
        model._meta.pk.to_python(value)
    except Exception:  # an id of another shape (a deleted model's, an old entry's)
        return False
    return True


class ReadableLogAdmin:
    """A ModelAdmin mixin: changes kept without hidden fields, histories read in the
    reader's language."""

    def construct_change_message(self, request, form, formsets, add=False):
        return construct_change_message(form, formsets, add)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        page = getattr(response, "context_data", {}).get("action_list")
        if page is not None and hasattr(page, "object_list"):
            page.object_list = readable(page.object_list)
        return response
