"""An office's file as a clean tablib Dataset, in the columns the importer knows."""

import tablib
from django.utils.translation import gettext as _

from services.spreadsheets import vocabulary
from services.spreadsheets.reading import SpreadsheetError, read_sheets
from services.spreadsheets.table import find_table

FILE_ROW = "file_row"  # the row number a person sees in their file, for every message


def dataset_from_file(data: bytes, file_name: str, **table_options) -> tablib.Dataset:
    """The rows under the header, by canonical column. The dataset also carries the lines
    above the header (``title_lines``, to check the file is for this place) and the table
    as read (``table``: the cells of each row as the file has them, for refused rows)."""
    if "headers" not in table_options:
        headers = vocabulary.service_headers()  # the criteria in use, read once a file
        table_options["headers"] = lambda: headers
    table = first_table(data, file_name, **table_options)
    columns = table.fields
    dataset = tablib.Dataset(headers=[FILE_ROW, *columns])
    for record in table.records:
        dataset.append([record.number, *(record.values.get(c, "") for c in columns)])
    dataset.title_lines = table.title
    dataset.table = table
    return dataset


def first_table(data: bytes, file_name: str, **table_options):
    """The table of the first sheet that holds one: a workbook may open with a cover
    sheet or notes. Without any, the first sheet's reason is the answer."""
    reasons = []
    for rows in read_sheets(data, file_name):
        try:
            return find_table(rows, **table_options)
        except SpreadsheetError as reason:
            reasons.append(reason)
    raise reasons[0] if reasons else SpreadsheetError(_("The file is empty."))


# Usage tables: a column of deliveries per channel, unfolded into one row per figure.
USAGE_COLUMNS = {
    "usage_egov": "egov",
    "usage_mgov": "mgov",
    "usage_psc": "psc",
    "usage_office": "office",
    "usage_video": "video",
    "usage_elicense": "elicense",
}
SERVICE_KEYS = ["register_code", "name_kk", "name_ru", "name_en"]


def usage_dataset_from_file(data: bytes, file_name: str) -> tablib.Dataset:
    """One row per service, month and channel, from an office's usage table."""
    table = first_table(data, file_name)
    channels = [column for column in USAGE_COLUMNS if column in table.fields]
    if "month" not in table.fields or not channels:
        raise SpreadsheetError(
            _(
                "A usage table needs a month column and at least one column of deliveries by "
                "channel (eGov, mGov, ЦОН / ХҚКО, канцелярия / кеңсе, video call)."
            )
        )
    dataset = tablib.Dataset(headers=[FILE_ROW, *SERVICE_KEYS, "month", "channel", "count"])
    for record in table.records:
        for column in channels:
            count = record.values.get(column, "")
            if count != "":
                dataset.append(
                    [
                        record.number,
                        *(record.values.get(k, "") for k in SERVICE_KEYS),
                        record.values.get("month", ""),
                        USAGE_COLUMNS[column],
                        count,
                    ]
                )
    dataset.title_lines = table.title
    dataset.table = table
    return dataset
