"""Counting an admin list without reading every row of a very large table.

Django counts a list twice (its rows, then "of how many in all") and exactly: a COUNT of
every row, which at half a million services is most of the list's time and grows with
the country. ``counted_once`` counts an unfiltered list once; ``EstimatingPaginator``
takes PostgreSQL's own estimate of the table's rows (``pg_class.reltuples``, kept by
ANALYZE and autovacuum) when a list is the whole of a table that large — a national
analyst's or a superuser's unfiltered list. Every filtered list, and every table below
``ESTIMATE_FROM`` rows, is counted exactly.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

ESTIMATE_FROM = 100_000  # rows; below this a COUNT takes a few milliseconds


def count_rows(queryset) -> int:
    if _whole_table(queryset):
        estimate = _estimated_rows(queryset)
        if estimate >= ESTIMATE_FROM:
            return estimate
    return queryset.count()


def _whole_table(queryset) -> bool:
    query = queryset.query
    return (
        connections[queryset.db].vendor == "postgresql"
        and not query.where
        and not query.distinct
        and query.combinator is None
        and not query.is_sliced
    )


def _estimated_rows(queryset) -> int:
    """-1 (never analysed) or the planner's figure, whichever PostgreSQL has."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row else -1


class EstimatingPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return count_rows(self.object_list)


def counted_once(changelist_class):
    """``changelist_class`` showing "of how many in all" (the admin's
    show_full_result_count, which must be off for this) without a second count when
    nothing narrows the list: then the total is the list's own count."""

    class CountedOnce(changelist_class):
        def get_results(self, request):
            super().get_results(request)
            narrowed = self.has_active_filters or bool(self.query)
            self.full_result_count = (
                count_rows(self.root_queryset) if narrowed else self.result_count
            )
            self.show_full_result_count = True
            self.show_admin_actions = bool(self.full_result_count)

    return CountedOnce
