"""Cells any app writes into a CSV or XLSX file: whatever is stored (control characters from
an old form, formula-like text, very long values) makes a file that opens, never an error,
and never runs as a formula."""

import re

# A spreadsheet runs cells starting with these as formulas: people's text must stay text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# What no spreadsheet cell may hold (XML forbids the C0 controls but tab, line feed and
# carriage return; lone surrogates cannot be encoded), and the invisible characters that
# reorder or hide text (bidirectional overrides, zero-width spaces).
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)
# Excel's limit for one cell; longer text makes it "repair" the file and drop data.
MAX_CELL_CHARACTERS = 32_767
TRUNCATED = "…（已截断）"


def export_cell(value: str) -> str:
    """One cell's text, safe to open in any spreadsheet program."""
    value = UNSAFE_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    if len(value) > MAX_CELL_CHARACTERS:
        value = value[: MAX_CELL_CHARACTERS - len(TRUNCATED)] + TRUNCATED
    return value
