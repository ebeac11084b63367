"""Rows that are only ever added: the status moves, the claims' reviews, the history of
every change of a service and of a department. Editing or deleting one, one by one or in
bulk, raises instead of rewriting what reports and audits rely on — for the superuser too.
"""

from django.db import models


class HistoryIsImmutable(Exception):
    def __init__(self):
        super().__init__("History is immutable: rows are only ever added.")


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused outright."""

    def update(self, **kwargs):
        raise HistoryIsImmutable

    def delete(self):
        raise HistoryIsImmutable


class AppendOnlyModel(models.Model):
    """A row is saved once, when it is added, and never again."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsImmutable
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsImmutable
