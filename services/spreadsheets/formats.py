"""The import format for the admin: one, because the file says what it is.

XLSX, CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1251 are all told apart by
their content (services.spreadsheets.reading), so there is no format to choose and none
to choose wrongly.
"""

from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from services.spreadsheets.dataset import dataset_from_file, usage_dataset_from_file


class OfficeSpreadsheet(base_formats.XLSX):
    """Any spreadsheet an office sends, read the forgiving way."""

    read = staticmethod(dataset_from_file)

    def get_title(self):
        return str(_("Excel or CSV, detected from the file"))

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        return self.read(data, "upload")


class OfficeUsageSpreadsheet(OfficeSpreadsheet):
    read = staticmethod(usage_dataset_from_file)
