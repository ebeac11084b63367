"""Import formats for the admin: the office's file, read the forgiving way."""

from import_export.formats import base_formats

from services.spreadsheets.dataset import dataset_from_file, usage_dataset_from_file


class OfficeXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return dataset_from_file(bytes(in_stream), "upload.xlsx")


class OfficeUsageXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return usage_dataset_from_file(bytes(in_stream), "upload.xlsx")


class OfficeCSV(base_formats.CSV):
    """CSV read as bytes, so the encoding (UTF-8, BOM, Windows-1251) is detected, not assumed."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        return dataset_from_file(data, "upload.csv")


class OfficeUsageCSV(OfficeCSV):
    def create_dataset(self, in_stream):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        return usage_dataset_from_file(data, "upload.csv")
