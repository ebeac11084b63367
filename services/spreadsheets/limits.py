"""What one imported file may hold: budgets checked before the work they guard.

A list of services or departments is a few thousand rows of a few dozen columns. Each
budget is far above that and far below what a hostile file claims (one cell at XFD2000
declares 32 million cells; a 382 KB zip unpacks to 87 MB). A file past one is refused
with a sentence naming the limit and what the file declared, before the work is done:
from the zip's directory, the first bytes of a sheet, its merged ranges, a CSV's lines.
The size of the file itself and its number of rows are settings (IMPORT_MAX_BYTES,
IMPORT_MAX_ROWS): the budgets here are the file's shape, which no real list comes near.
Read as ``limits.NAME`` when used, so a test can lower one.
"""

MB = 1024 * 1024

# --- every file -------------------------------------------------------------------------
MAX_COLUMNS = 200  # a value farther right than this is refused; empty cells there are free
MAX_SHEET_ROWS = 100_000  # the last row a sheet may declare or hold a value in
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell

# --- XLSX: the zip, from its directory, before anything is unpacked ----------------------
MAX_PARTS = 5_000  # files inside the zip; a workbook has a few dozen
MAX_DIRECTORY_BYTES = 1 * MB  # the zip's directory, read before the parts are counted
MAX_PART_BYTES = 50 * MB  # one part unpacked: a sheet, the shared strings, the styles
MAX_UNPACKED_BYTES = 100 * MB  # all parts together, unpacked
MAX_COMPRESSION_RATIO = 100  # unpacked ÷ packed; real sheets pack 5 to 30 times
RATIO_CHECKED_FROM = 1 * MB  # a small part may pack tightly and cost nothing

# --- XLSX: inside the workbook ------------------------------------------------------------
MAX_MERGED_CELLS = 100_000  # cells covered by the merged ranges of one sheet, together
MAX_SHARED_STRINGS = 1_000_000  # distinct texts of the workbook
DIMENSION_SEARCHED_BYTES = 64 * 1024  # the <dimension> element opens a sheet's XML

# --- CSV ----------------------------------------------------------------------------------
MAX_ROW_CHARACTERS = 200_000  # one row of a CSV, however many lines its cells span
DELIMITER_SAMPLE_CHARACTERS = 64 * 1024  # the separator is told from the first lines
