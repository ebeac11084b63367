"""An office's file as a clean tablib Dataset, in the columns the importer knows."""

import tablib

from services.spreadsheets.reading import read_rows
from services.spreadsheets.table import find_table

FILE_ROW = "file_row"  # the row number a person sees in their file, for every message


def dataset_from_file(data: bytes, file_name: str) -> tablib.Dataset:
    table = find_table(read_rows(data, file_name))
    columns = table.fields
    dataset = tablib.Dataset(headers=[FILE_ROW, *columns])
    for record in table.records:
        dataset.append([record.number, *(record.values.get(c, "") for c in columns)])
    return dataset
