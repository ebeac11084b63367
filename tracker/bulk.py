"""Writing many rows fast: PostgreSQL's COPY where available, bulk_create elsewhere.

For append-only rows nobody reads back at once (history, generated data): COPY takes
plain tuples, without a model instance per row or Django's per-value preparation, and is
several times faster than INSERT. Column values are Python values; ``json_columns`` are
dicts or lists, written as JSON.
"""

import json
from collections.abc import Iterable

from django.db import connection


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
    with connection.cursor() as cursor:
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
