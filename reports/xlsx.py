"""A finished report as an Excel workbook: summary, departments (with a native chart),
services not yet electronic, the changes since the previous report, and how electronic
the services are (reports.xlsx_maturity)."""

import io

from django.utils import translation
from django.utils.translation import gettext as _

from regions.translated import pick
from reports.models import ReportSnapshot
from reports.schema import readable
from reports.templatetags.report_tags import change_columns, indicator_label
from reports.xlsx_maturity import maturity_sheets
from reports.xlsx_parts import as_datetime, department_name, new_sheet, write_header, write_number
from services.models import Status
from services.targets import TargetState
from tracker.xlsx_cells import LimitedWorkbook

# Cell text is never read as a formula or link: names and comments come from people.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def report_workbook(snapshot: ReportSnapshot, *, language: str) -> bytes:
    buffer = io.BytesIO()
    with translation.override(language):
        workbook = LimitedWorkbook(buffer, WORKBOOK_OPTIONS)
        styles = _styles(workbook)
        content = readable(snapshot.content)
        _summary_sheet(workbook, styles, snapshot, content)
        _departments_sheet(workbook, styles, content["departments"])
        _lagging_sheet(workbook, styles, content["departments"])
        _changes_sheet(workbook, styles, content["changes"])
        if content.get("targets"):
            _targets_sheet(workbook, styles, content["targets"])
        if content.get("take_up_by_service"):
            _take_up_sheet(workbook, styles, content["take_up_by_service"])
        maturity_sheets(workbook, styles, content)
        workbook.close()
    return buffer.getvalue()


def _styles(workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "bold": workbook.add_format({"bold": True}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#EDE9FE", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "date": workbook.add_format({"num_format": "dd.mm.yyyy"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }


def _summary_sheet(workbook, styles, snapshot, content) -> None:
    sheet = new_sheet(workbook, _("Summary"))
    summary, delta = content["summary"], content["summary"]["delta"] or {}
    sheet.write_string(0, 0, pick(content["region"]), styles["title"])
    sheet.write_string(1, 0, _("As of"))
    sheet.write_datetime(1, 1, as_datetime(content["as_of"]), styles["date"])
    if content["previous"]:
        sheet.write_string(2, 0, _("Compared with the report of"))
        sheet.write_datetime(2, 1, as_datetime(content["previous"]["as_of"]), styles["date"])
    write_header(
        sheet, styles, [_("Figure"), _("Value"), _("Since the last report")], [40, 14, 22], row=4
    )
    figures = [
        (_("Services"), summary["total"], delta.get("total"), None),
        # verified first; the claims awaiting verification beside, never in the share
        (_("Electronic, verified"), summary["verified"], delta.get("verified"), None),
        (
            _("Share electronic, verified"),
            summary["share_verified"],
            delta.get("share_verified"),
            "percent",
        ),
        (_("Partially automated"), summary["partial"], delta.get("partial"), None),
        (_("Still on paper"), summary["paper"], delta.get("paper"), None),
        (_("Socially significant"), summary["socially_significant"], None, None),
        (
            _("Socially significant, electronic (verified)"),
            summary.get("socially_significant_verified"),
            None,
            None,
        ),
        (_("Overdue targets"), summary["overdue"], delta.get("overdue"), None),
        (
            _("Electronic, awaiting verification"),
            summary.get("awaiting_verification"),
            delta.get("awaiting_verification"),
            None,
        ),
        (_("Used online (last 12 months)"), summary.get("take_up"), None, "percent"),
    ]
    for offset, (label, value, change, style) in enumerate(figures, start=5):
        number_format = styles[style] if style else None
        sheet.write_string(offset, 0, label)
        write_number(sheet, offset, 1, value, number_format)
        write_number(sheet, offset, 2, change, number_format)
    burden = summary.get("burden") or {}
    row = 5 + len(figures) + 1
    for key, label in (
        ("documents", _("Documents required, before → now")),
        ("term_days", _("Term in days, before → now")),
    ):
        if burden.get(key, {}).get("services"):
            sheet.write_string(row, 0, label)
            sheet.write_number(row, 1, burden[key]["before"])
            sheet.write_number(row, 2, burden[key]["now"])
            row += 1
    if content.get("readiness"):
        _readiness(sheet, styles, content["readiness"], row=row + 1)


def _readiness(sheet, styles, readiness: dict, *, row: int) -> None:
    write_header(
        sheet, styles, [_("Regional readiness"), _("Value"), _("Target")], [40, 14, 22], row=row
    )
    for offset, indicator in enumerate(readiness["indicators"], start=row + 1):
        sheet.write_string(offset, 0, indicator_label(indicator["key"]))
        write_number(sheet, offset, 1, indicator["value"])
        write_number(sheet, offset, 2, indicator["target"])


def _departments_sheet(workbook, styles, rows: list[dict]) -> None:
    sheet = new_sheet(workbook, _("Departments"))
    write_header(
        sheet,
        styles,
        [
            _("Rank"),
            _("Department"),
            _("Services"),
            _("Electronic, verified"),
            _("Partially automated"),
            _("Paper"),
            _("Share electronic, verified"),
            _("Electronic since the last report"),
            _("Overdue targets"),
            _("Days since data confirmed"),
            _("Full name"),
            _("Data"),
            _("Used online"),
            _("Electronic, awaiting verification"),
        ],
        [6, 32, 10, 11, 13, 10, 12, 16, 11, 14, 60, 10, 12, 14],
    )
    for index, row in enumerate(rows, start=1):
        delta = row["delta"] or {}
        sheet.write_number(index, 0, row["rank"])
        sheet.write_string(index, 1, pick(row, "short_name") or pick(row))
        for column, key in enumerate(["total", "verified", "partial", "paper"], start=2):
            sheet.write_number(index, column, row[key])
        write_number(sheet, index, 6, row["share_verified"], styles["percent"])
        write_number(sheet, index, 7, delta.get("verified"))
        sheet.write_number(index, 8, row["overdue"])
        write_number(sheet, index, 9, row["days_since_confirmed"])
        sheet.write_string(index, 10, pick(row))
        if row.get("stale"):  # snapshots built before this column have no "stale"
            sheet.write_string(index, 11, _("stale"))
        write_number(sheet, index, 12, row.get("take_up"), styles["percent"])
        sheet.write_number(index, 13, row["awaiting_verification"])
    if rows:
        chart = workbook.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": _("Share electronic, verified"),
                "categories": [sheet.name, 1, 1, len(rows), 1],
                "values": [sheet.name, 1, 6, len(rows), 6],
                "data_labels": {"value": True, "num_format": "0%"},
            }
        )
        chart.set_title({"name": _("Share electronic by department, laggards first")})
        chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 30 * len(rows) + 120})
        sheet.insert_chart(len(rows) + 3, 1, chart)


def _lagging_sheet(workbook, styles, rows: list[dict]) -> None:
    sheet = new_sheet(workbook, _("Not yet electronic"))
    write_header(
        sheet,
        styles,
        [
            _("Department"),
            _("Service"),
            _("Status"),
            _("Socially significant"),
            _("Why not yet electronic"),
            _("Target status"),
            _("Target deadline"),
            _("Overdue"),
        ],
        [24, 60, 18, 12, 60, 16, 12, 9],
    )
    line = 1
    for row in rows:
        for service in row["lagging"]:
            sheet.write_string(line, 0, pick(row, "short_name") or pick(row))
            sheet.write_string(line, 1, pick(service), styles["wrap"])
            sheet.write_string(line, 2, str(Status(service["status"]).label))
            sheet.write_string(line, 3, _("yes") if service["socially_significant"] else "")
            sheet.write_string(line, 4, service["blocker"], styles["wrap"])
            if service["target_status"]:
                sheet.write_string(line, 5, str(Status(service["target_status"]).label))
                sheet.write_datetime(line, 6, as_datetime(service["target_date"]), styles["date"])
            sheet.write_string(line, 7, _("yes") if service["overdue"] else "")
            line += 1
    sheet.autofilter(0, 0, max(line - 1, 1), 7)
    sheet.freeze_panes(1, 0)


def _changes_sheet(workbook, styles, changes: list[dict]) -> None:
    sheet = new_sheet(workbook, _("Changes"))
    write_header(
        sheet,
        styles,
        [
            _("When"),
            _("Department"),
            _("Service"),
            _("Old status"),
            _("New status"),
            _("Who"),
            _("Comment"),
        ],
        [12, 24, 60, 18, 18, 16, 50],
    )
    for line, change in enumerate(changes, start=1):
        sheet.write_datetime(line, 0, as_datetime(change["changed_at"][:10]), styles["date"])
        sheet.write_string(line, 1, department_name(change))
        sheet.write_string(line, 2, pick(change), styles["wrap"])
        old, new = change_columns(change)
        sheet.write_string(line, 3, old)
        sheet.write_string(line, 4, new)
        sheet.write_string(line, 5, change["changed_by"])
        sheet.write_string(line, 6, change["comment"], styles["wrap"])


TARGET_STATES = dict(TargetState.choices)


def _targets_sheet(workbook, styles, targets: list[dict]) -> None:
    sheet = new_sheet(workbook, _("Targets"))
    write_header(
        sheet,
        styles,
        [
            _("Where"),
            _("Services"),
            _("Target"),
            _("Deadline"),
            _("Planned by now"),
            _("Actual"),
            "",
        ],
        [32, 24, 10, 12, 14, 10, 14],
    )
    for line, target in enumerate(targets, start=1):
        sheet.write_string(line, 0, pick(target, "place"))
        scope = _("socially significant") if target["scope"] == "social" else _("all")
        sheet.write_string(line, 1, scope)
        sheet.write_number(line, 2, target["goal"], styles["percent"])
        sheet.write_datetime(line, 3, as_datetime(target["deadline"]), styles["date"])
        sheet.write_number(line, 4, target["planned"], styles["percent"])
        write_number(sheet, line, 5, target["actual"], styles["percent"])
        sheet.write_string(line, 6, str(TARGET_STATES[target["state"]]))


def _take_up_sheet(workbook, styles, rows: list[dict]) -> None:
    sheet = new_sheet(workbook, _("Used online"))
    write_header(
        sheet,
        styles,
        [
            _("Department"),
            _("Service"),
            _("Status"),
            _("Deliveries in 12 months"),
            _("Used online"),
        ],
        [12, 60, 18, 14, 12],
    )
    for line, row in enumerate(rows, start=1):
        sheet.write_string(line, 0, department_name(row))
        sheet.write_string(line, 1, pick(row), styles["wrap"])
        sheet.write_string(line, 2, str(Status(row["status"]).label))
        sheet.write_number(line, 3, row["usage_total"])
        write_number(sheet, line, 4, row["take_up"], styles["percent"])
