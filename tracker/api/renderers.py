"""CSV as the app's exports write it (services.exports): safe to open in Excel.

UTF-8 with a byte-order mark (so Excel reads Kazakh letters) and ";" between cells (what
Excel expects where the decimal separator is a comma, as in Kazakhstan). The header row
names the fields as JSON does; /api/v1/meta/ gives their titles. A list field is one
cell, its items separated by commas. No cell is a formula: text starting with = + - @,
a tab or a carriage return gets a leading apostrophe. Numbers are written as they are:
"-0.02" is a number to Excel, never a formula.
"""

import csv
import io
import json

from rest_framework import renderers

from services.exports import FORMULA_STARTS


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        text = ",".join("" if item is None else str(item) for item in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CSVRenderer(renderers.BaseRenderer):
    """A page of a list (its ``results``), one object, or an error, as CSV rows."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = self.rows_of(data)
        header = list(rows[0]) if rows else self.fields_of(renderer_context)
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([cell(name) for name in header])
        for row in rows:
            writer.writerow([cell(row.get(name)) for name in header])
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and not response.exception:
            name = getattr(context.get("view"), "csv_name", "open-data")
            response["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return out.getvalue().encode(self.charset)

    @staticmethod
    def rows_of(data) -> list[dict]:
        if data is None:
            return []
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            return data["results"]
        if isinstance(data, list):
            return [row if isinstance(row, dict) else {"detail": row} for row in data]
        return [data] if isinstance(data, dict) else [{"detail": data}]

    @staticmethod
    def fields_of(renderer_context) -> list[str]:
        """An empty page still says its columns: the view's serializer's fields."""
        view = (renderer_context or {}).get("view")
        get_serializer = getattr(view, "get_serializer", None)
        if get_serializer is None:
            return []
        return list(get_serializer().fields)
