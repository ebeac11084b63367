"""SQLite's LIKE ignores case only for ASCII; Kazakh and Russian searches need all letters.

On every SQLite connection, LIKE is replaced by a Python version that folds case for
every script. (PostgreSQL's ILIKE already does; this only matters for development.)
"""

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _pattern(like: str, escape: str | None) -> re.Pattern:
    parts, index = [], 0
    while index < len(like):
        char = like[index]
        if escape and char == escape and index + 1 < len(like):
            parts.append(re.escape(like[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def unicode_like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _pattern(pattern.casefold(), escape).fullmatch(str(value).casefold()) is not None


def install(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, unicode_like, deterministic=True)
        connection.connection.create_function("like", 3, unicode_like, deterministic=True)
