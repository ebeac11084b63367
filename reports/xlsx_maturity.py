"""The report workbook's "how electronic" sheets (reports.maturity): services by level
for the region and each department, by life event, and the next work. Reports built
before levels were counted (schema 3 and older) have none of them."""

from django.utils.translation import gettext as _

from regions.translated import pick
from reports.templatetags.report_tags import level_name
from reports.xlsx_parts import department_name, new_sheet, write_header, write_number
from services.models import MAX_LEVEL, Status

LEVELS = range(MAX_LEVEL + 1)


def maturity_sheets(workbook, styles, content: dict) -> None:
    if not content["summary"].get("levels"):
        return
    _levels_sheet(workbook, styles, content)
    if content.get("life_events"):
        _life_events_sheet(workbook, styles, content["life_events"])
    if content.get("next_work"):
        _next_work_sheet(workbook, styles, content["next_work"])


def _level_titles() -> list[str]:
    return [level_name(level) for level in LEVELS]


def _levels_sheet(workbook, styles, content: dict) -> None:
    sheet = new_sheet(workbook, _("Levels"))
    titles = [
        _("Department"),
        *_level_titles(),
        _("Level 2 or above, claimed"),
        _("Electronic, still needing a visit"),
    ]
    write_header(sheet, styles, titles, [32, *[14] * len(LEVELS), 14, 16])
    summary = content["summary"]
    rows = [(pick(content["region"]), summary, styles["bold"])]
    rows += [(pick(row, "short_name") or pick(row), row, None) for row in content["departments"]]
    for line, (name, counts, style) in enumerate(rows, start=1):
        sheet.write_string(line, 0, name, style)
        for level in LEVELS:
            sheet.write_number(line, 1 + level, counts["levels"][level], style)
        claimed = counts.get("levels_claimed") or []
        write_number(sheet, line, 1 + len(LEVELS), sum(claimed[2:]) if claimed else None, style)
        write_number(sheet, line, 2 + len(LEVELS), counts.get("electronic_needing_visit"), style)
    note = len(rows) + 2
    sheet.write_string(
        note,
        0,
        _(
            "Services by level, verified: a service is at a level when every criterion of "
            "that level and the levels below is met."
        ),
    )
    criteria = content.get("criteria") or []
    if criteria:
        write_header(
            sheet, styles, [_("Level"), _("Criterion")], [32, 14], row=note + 2
        )  # the criteria the levels were counted by, as they stood then
        for line, criterion in enumerate(criteria, start=note + 3):
            sheet.write_string(line, 0, level_name(criterion["level"]))
            sheet.write_string(line, 1, pick(criterion))


def _life_events_sheet(workbook, styles, events: list[dict]) -> None:
    sheet = new_sheet(workbook, _("By life event"))
    titles = [
        _("Life event"),
        _("Services"),
        _("Electronic, verified"),
        _("Still needing a visit"),
        *_level_titles(),
    ]
    write_header(sheet, styles, titles, [40, 10, 12, 14, *[14] * len(LEVELS)])
    for line, event in enumerate(events, start=1):
        sheet.write_string(line, 0, pick(event))
        sheet.write_number(line, 1, event["services"])
        sheet.write_number(line, 2, event["verified"])
        write_number(sheet, line, 3, event.get("electronic_needing_visit"))
        for level in LEVELS:
            sheet.write_number(line, 4 + level, event["levels"][level])


def _next_work_sheet(workbook, styles, services: list[dict]) -> None:
    sheet = new_sheet(workbook, _("Next work"))
    titles = [_("Department"), _("Service"), _("Status"), _("Level"), _("Needs a visit")]
    write_header(sheet, styles, titles, [14, 60, 18, 24, 12])
    for line, service in enumerate(services, start=1):
        sheet.write_string(line, 0, department_name(service))
        sheet.write_string(line, 1, pick(service), styles["wrap"])
        sheet.write_string(line, 2, str(Status(service["status"]).label))
        sheet.write_string(line, 3, level_name(service["level"]))
        needs_visit = service.get("needs_visit")
        if needs_visit is not None:
            sheet.write_string(line, 4, _("yes") if needs_visit else _("no"))
