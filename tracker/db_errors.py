"""A database's refusal told in the reader's words, never as SQL.

PostgreSQL says 'new row for relation "services_service" violates check constraint
"service_has_a_name" DETAIL: Failing row contains (…)'; SQLite says 'CHECK constraint
failed: service_has_a_name'. Both name the constraint (SQLite names a unique one by its
columns), and the model that declares it says what it means: its
``violation_error_message``, in the reader's language. A constraint without one, and any
other refusal, get a sentence of their kind, without the statement or the row's values.
"""

import re
from typing import NamedTuple

from django.apps import apps
from django.db import DatabaseError, IntegrityError
from django.db.models import BaseConstraint, UniqueConstraint
from django.utils.translation import gettext as _

# PostgreSQL's SQLSTATE classes of integrity violations.
UNIQUE, CHECK, NOT_NULL, FOREIGN_KEY = "23505", "23514", "23502", "23503"
SQLITE_KINDS = {"UNIQUE": UNIQUE, "CHECK": CHECK, "NOT NULL": NOT_NULL, "FOREIGN KEY": FOREIGN_KEY}
SQLITE_MESSAGE = re.compile(
    r"^(?P<kind>UNIQUE|CHECK|NOT NULL|FOREIGN KEY) constraint failed(?::\s*(?P<what>.+))?$"
)


class Diagnosis(NamedTuple):
    """What an error says of itself: its kind (a SQLSTATE above, or blank), the constraint
    it names, or (SQLite, unique) the table and columns instead."""

    kind: str = ""
    constraint: str = ""
    table: str = ""
    columns: tuple[str, ...] = ()


def readable(error: Exception) -> str:
    """What the database's refusal means, as a sentence for the person who asked."""
    constraint = violated_constraint(error)
    if constraint is not None:
        return constraint_message(constraint)
    if said := _of_kind(diagnose(error).kind):
        return said
    if reason := _first_line(error):
        return _("The database refused this change: %(reason)s") % {"reason": reason}
    return _(
        "The database could not finish this change. Try again; if it keeps happening, tell "
        "the digital office."
    )


def constraint_message(constraint: BaseConstraint) -> str:
    """The constraint's own message; Django's default ("Constraint “name” is violated.")
    would show an internal name, so one of its kind instead."""
    if str(constraint.violation_error_message) != str(constraint.default_violation_error_message):
        return constraint.get_violation_error_message()
    return _of_kind(UNIQUE if isinstance(constraint, UniqueConstraint) else CHECK)


def _of_kind(kind: str) -> str:
    if kind == UNIQUE:
        return _("The database refused this change: the same values are there already.")
    if kind == CHECK:
        return _("The database refused this change: a value is not one it allows.")
    if kind == NOT_NULL:
        return _("The database refused this change: a value it needs is missing.")
    if kind == FOREIGN_KEY:
        return _(
            "The database refused this change: it names a record that does not exist, or "
            "removes one that others still name."
        )
    return ""


def violated_constraint(error: Exception) -> BaseConstraint | None:
    """The model constraint the error names, looked up across every model; None if it
    names none, or one no model declares (a plain unique column)."""
    found = diagnose(error)
    if not (found.constraint or found.columns):
        return None
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if found.constraint and constraint.name == found.constraint:
                return constraint
            if found.columns and _on_columns(model, constraint, found.table, found.columns):
                return constraint
    return None


def diagnose(error: Exception) -> Diagnosis:
    if not isinstance(error, DatabaseError):
        return Diagnosis()
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # psycopg: the server says it all
        return Diagnosis(getattr(cause, "sqlstate", None) or "", diag.constraint_name or "")
    match = SQLITE_MESSAGE.match(str(error).strip())
    if match is None or not isinstance(error, IntegrityError):
        return Diagnosis()
    kind, what = SQLITE_KINDS[match["kind"]], (match["what"] or "").strip()
    if kind == CHECK:
        return Diagnosis(kind, what)
    if kind == UNIQUE:
        named = [part.strip().split(".", 1) for part in what.split(",")]
        if all(len(part) == 2 for part in named):
            return Diagnosis(kind, table=named[0][0], columns=tuple(c for _t, c in named))
    return Diagnosis(kind)


def _on_columns(model, constraint: BaseConstraint, table: str, columns: tuple) -> bool:
    """A unique constraint of ``model`` on exactly the table and columns SQLite named."""
    if not isinstance(constraint, UniqueConstraint) or not constraint.fields:
        return False
    if model._meta.db_table != table:
        return False
    return tuple(model._meta.get_field(f).column for f in constraint.fields) == columns


def _first_line(error: Exception) -> str:
    """The database's own one-line reason (a trigger's "disk is full"), without what
    follows it: the statement, the failing row's values, the context."""
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else ""
