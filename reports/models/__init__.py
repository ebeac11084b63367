"""The reports' tables: each region's frozen reports and share targets (report.py), and
the national ranking — its method and its frozen snapshots (national.py) — and each
report's departments as rows of figures (departments.py), and the notes that explain a
report's jumps, with their history (notes.py)."""

from reports.models.departments import DepartmentFigures
from reports.models.national import NationalSnapshot, RankingIndicator
from reports.models.notes import ReportNote, ReportNoteVersion
from reports.models.report import ProgressTarget, ReportSnapshot, ReportSnapshotQuerySet

__all__ = [
    "DepartmentFigures",
    "NationalSnapshot",
    "ProgressTarget",
    "RankingIndicator",
    "ReportNote",
    "ReportNoteVersion",
    "ReportSnapshot",
    "ReportSnapshotQuerySet",
]
