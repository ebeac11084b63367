"""A finished national ranking as an Excel workbook: the ranking with every region's
points, and the method it was computed by."""

import io

from django.utils.translation import gettext as _

from regions.translated import pick
from tracker.xlsx_cells import LimitedWorkbook

OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def ranking_workbook(context: dict) -> bytes:
    buffer = io.BytesIO()
    workbook = LimitedWorkbook(buffer, OPTIONS)
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    percent = workbook.add_format({"num_format": "0.0%"})
    method = context["method"]

    sheet = workbook.add_worksheet(_("Ranking")[:31])
    header = [_("Rank"), _("Change"), _("Region"), _("Score")]
    # outside the f-strings: makemessages does not look inside one
    value, points = _("value"), _("points")
    for item in method:
        header += [f"{item['label']}: {value}", f"{item['label']}: {points}"]
    for column, title in enumerate(header):
        sheet.write_string(0, column, title, bold)
    for line, row in enumerate(context["regions"], start=1):
        sheet.write_number(line, 0, row["rank"])
        if row["rank_change"] is not None:
            sheet.write_number(line, 1, row["rank_change"])
        sheet.write_string(line, 2, pick(row))
        sheet.write_number(line, 3, row["score"])
        for index, (value, points) in enumerate(row["cells"]):
            column = 4 + 2 * index
            if value is not None:
                sheet.write_number(line, column, value, percent)
            sheet.write_number(line, column + 1, points)
    sheet.set_column(2, 2, 32)
    sheet.set_column(4, 4 + 2 * len(method), 14)
    sheet.freeze_panes(1, 3)

    rules = workbook.add_worksheet(_("Method")[:31])
    for column, title in enumerate(
        [_("Indicator"), _("Weight"), _("Share of the score"), _("0 points at"), _("100 points at")]
    ):
        rules.write_string(0, column, title, bold)
    for line, item in enumerate(method, start=1):
        rules.write_string(line, 0, str(item["label"]))
        rules.write_number(line, 1, item["weight"])
        rules.write_number(line, 2, item["part"], percent)
        rules.write_number(line, 3, item["floor"], percent)
        rules.write_number(line, 4, item["goal"], percent)
    rules.set_column(0, 0, 44)
    rules.set_column(1, 4, 14)
    workbook.close()
    return buffer.getvalue()
