"""Cells of the spreadsheets the back office hands out (CSV and XLSX exports).

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run as a
formula by Excel, WPS and LibreOffice when the file is opened: a title typed by an applicant or
copied from a web page could then fetch a URL or start a program on the clerk's computer
("CSV injection"). Such a cell is written with a leading apostrophe, which makes every
spreadsheet treat it as text; the catalog import takes the apostrophe off again, so an
exported file imports unchanged. Full-width signs are included: some spreadsheet versions
convert them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
TEXT_PREFIX = "'"


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet shows it without running it: text that starts like a formula
    gets the apostrophe; numbers, dates and other text are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_PREFIX + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def unescape_cell(text: str) -> str:
    """Undo safe_cell on a cell read back from an exported file."""
    if text.startswith(TEXT_PREFIX) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
