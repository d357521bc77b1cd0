"""Writing Excel files that are data, never formulas.

A text a user typed ("=HYPERLINK(…)", "+84 912…", "@SUM(…)") must reach the workbook as the
text it is: every text cell is written as a string and, when it starts with a character a
spreadsheet reads as a formula, with the "quote prefix" style, so that editing the cell in
Excel or LibreOffice does not turn it into one either.
"""

from datetime import date, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# What makes Excel or LibreOffice read a cell as a formula (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"


def as_text(cell, text: str):
    """Put `text` in `cell` (of any sheet) as a string, quote-prefixed when it could be read
    as a formula."""
    cell.value = str(text)
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def text_cell(sheet, text: str, *, bold: bool = False) -> WriteOnlyCell:
    """A text cell for a write-only sheet (the exports, streamed row by row)."""
    cell = as_text(WriteOnlyCell(sheet), text)
    if bold:
        cell.font = Font(bold=True)
    return cell


def date_cell(sheet, value: date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def cell(sheet, value):
    """A cell for any value: text as text, dates as dates, numbers as numbers, None empty.

    Plain text that no spreadsheet reads as a formula, numbers and None go to the sheet as
    they are (openpyxl writes them through one reused cell, five times faster than a cell
    object each)."""
    if value is None:
        return None
    if isinstance(value, str) and not value.startswith(FORMULA_TRIGGERS):
        return value
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return date_cell(sheet, value)
    if isinstance(value, bool):
        return text_cell(sheet, "x" if value else "")
    if isinstance(value, int | float):
        return value
    return text_cell(sheet, str(value))


def row(sheet, values) -> list:
    return [cell(sheet, value) for value in values]
