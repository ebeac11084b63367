"""Writing many rows fast: PostgreSQL's COPY where available, bulk_create elsewhere.

For append-only rows nobody reads back at once (history, generated data): COPY takes
plain tuples, without a model instance per row or Django's per-value preparation, and is
several times faster than INSERT. Column values are Python values; ``json_columns`` are
dicts or lists, written as JSON.
"""

import enum
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.utils.functional import Promise


def insert_rows(
    model, columns: list[str], rows: Iterable[tuple], *, json_columns=(), batch: int = 5000
) -> int:
    """Insert ``rows`` (tuples in ``columns``' order) into ``model``'s table; the count.

    ``rows`` may be a generator, but one that queries the database must have read what
    it needs first: during a COPY the connection answers nothing else.
    """
    if connection.vendor == "postgresql":
        return _copy(model._meta.db_table, columns, rows, json_columns)
    written, chunk = 0, []
    for row in rows:
        chunk.append(model(**dict(zip(columns, row, strict=True))))
        if len(chunk) == batch:
            model.objects.bulk_create(chunk)
            written, chunk = written + len(chunk), []
    model.objects.bulk_create(chunk)
    return written + len(chunk)


def _copy(table: str, columns: list[str], rows: Iterable[tuple], json_columns) -> int:
    as_json = [index for index, column in enumerate(columns) if column in json_columns]
    written = 0
    # The raw cursor's COPY bypasses Django's error translation: a refused row must still
    # raise django.db.IntegrityError, which callers catch, not psycopg's own.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                if as_json:
                    row = list(row)
                    for index in as_json:
                        row[index] = json.dumps(row[index], ensure_ascii=False)
                copy.write_row(row)
                written += 1
    return written


def insert_new(model, objects: list) -> list:
    """Insert new, unsaved ``objects`` of ``model`` and give each its id, as bulk_create
    does; ``objects``.

    On PostgreSQL the ids are drawn from the table's own sequence first, then the rows go
    in by one COPY: for an import's thousands of services, bulk_create's per-value
    preparation and its statements of tens of thousands of parameters cost more than the
    checks of every row. The constraints hold as for any insert.
    """
    if connection.vendor != "postgresql" or not objects:
        return model.objects.bulk_create(objects, batch_size=1000)
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    # Each value as the instance holds it; pre_save() only where a field sets its own
    # (auto_now and auto_now_add), as save() would.
    stamped = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for obj in objects:
        for field in stamped:
            field.pre_save(obj, add=True)
    names = [field.attname for field in fields]
    _copy(
        meta.db_table,
        [meta.pk.column, *(field.column for field in fields)],
        (
            [pk, *(_plain(value) for value in map(obj.__dict__.__getitem__, names))]
            for pk, obj in zip(ids, objects, strict=True)
        ),
        json_columns=[field.column for field in fields if field.get_internal_type() == "JSONField"],
    )
    # Only once written: objects a refused COPY leaves behind stay new, as bulk_create's.
    for pk, obj in zip(ids, objects, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    return objects


# What psycopg writes as it is; anything else is looked at (a few in an import's rows).
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None), date, datetime, Decimal})


def _plain(value):
    """A value as COPY takes it: a lazy translation as its text, a choice as its value."""
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value
