"""The workbook reader: finds the petition table in a list as people make it.

The lists come as people make them: national and organisation headers above the table, a
title, a header row, section rows ("I. LĨNH VỰC KINH TẾ") merged across the table, numbered
rows with multi-line cells, a signature block below. `read_sheet` finds the table by the
titles of its columns, not by position, and yields its rows with their Excel row numbers,
the section each sits in, and the date line above the table.
"""

import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from doluong_dialogue.text import fold, fold_words

MAX_FILE_SIZE = 5 * 1024 * 1024
# A 5 MB .xlsx may unpack to far more; refuse what would exhaust memory (a "zip bomb").
MAX_UNPACKED_SIZE = 30 * 1024 * 1024
MAX_PETITIONS = 1000
# Rows read at most: some files are formatted down to row 1,048,576.
MAX_SHEET_ROWS = 5000
# Where the header row may be: below the national and organisation headers and the title.
HEADER_SEARCH_ROWS = 40
# Columns looked at for it (some files are formatted across all 16,384 columns).
HEADER_SEARCH_COLUMNS = 40
# This many empty rows in a row end the table.
EMPTY_ROWS_END_TABLE = 30


class ImportFileError(Exception):
    """The file as a whole cannot be read; `str()` is for the user."""


class MissingDate(ImportFileError):
    """The list carries no date line and none was chosen on the upload form."""


# --- Columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    # The title in the downloadable template (Vietnamese: the file is a document).
    title: str
    # Folded phrases a header cell may contain to be this column.
    patterns: tuple[str, ...]


NUMBER = Column("number", "STT", ("stt", "so tt", "so thu tu", "tt"))
PETITIONER = Column(
    "petitioner",
    "Họ và tên người kiến nghị",
    (
        "ho va ten",
        "ho ten",
        "nguoi kien nghi",
        "nguoi phan anh",
        "nguoi de nghi",
        "nguoi de xuat",
        "ten to chuc",
        "to chuc ca nhan",
        "ca nhan to chuc",
    ),
)
PHONE = Column("phone", "Điện thoại", ("dien thoai", "sdt", "so dt", "dt lien he"))
ADDRESS = Column("address", "Địa chỉ (xóm, khối)", ("dia chi", "xom khoi", "xom", "noi o"))
PEOPLE = Column("people", "Số người", ("so nguoi", "so ho", "so cu tri"))
CONTENT = Column("content", "Nội dung ý kiến, kiến nghị", ("noi dung",))
TOPIC = Column("topic", "Lĩnh vực", ("linh vuc",))
DEPARTMENTS = Column(
    "departments",
    "Đề nghị cơ quan giải quyết",
    ("co quan", "don vi giai quyet", "don vi chu tri", "noi giai quyet"),
)
CONFIDENTIAL = Column("confidential", "Giữ bí mật", ("giu bi mat", "bao mat", "an danh"))
NOTE = Column("note", "Ghi chú", ("ghi chu",))

# The order a header cell is tried in: the more specific titles first, so that
# "Họ và tên người kiến nghị" is not taken for the content column.
MATCH_ORDER = (
    NUMBER,
    NOTE,
    PHONE,
    PEOPLE,
    CONFIDENTIAL,
    TOPIC,
    DEPARTMENTS,
    CONTENT,
    ADDRESS,
    PETITIONER,
)
# A row with any of these is a petition; a number or a note alone is not.
DATA_KEYS = ("petitioner", "phone", "address", "content", "topic", "departments")


def match_column(title: str) -> Column | None:
    folded = f" {fold_words(title)} "
    if len(folded) > 80:
        return None
    for column in MATCH_ORDER:
        if any(f" {pattern} " in folded for pattern in column.patterns):
            return column
    return None


# --- Parser -----------------------------------------------------------------------------


@dataclass
class SheetRow:
    number: int  # the Excel row number, as the user sees it
    values: dict[str, str]  # column key → the cell's text
    section: str = ""  # the section row above it ("I. LĨNH VỰC KINH TẾ")


@dataclass
class Sheet:
    title: str
    header_row: int
    titles: dict[str, str]  # column key → the title as the file writes it
    rows: list[SheetRow]
    dated: date | None = None  # from "Đô Lương, ngày 12 tháng 5 năm 2026" above the table
    date_row: int | None = None
    date_error: str = ""


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_DATE_LINE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ROMAN_SECTION = re.compile(r"^\s*[ivxlc]+\s*[.)/:-]\s*\S")
_EXAMPLE_NUMBERS = {"vi du", "vd", "mau"}
# How the block below a table starts: signatures, the compiler, recipients, totals.
_END_MARKERS = (
    "nguoi tong hop",
    "nguoi lap",
    "t/m",
    "tm.",
    "tm ",
    "chu tich",
    "pho chu tich",
    "noi nhan",
    "xac nhan",
    "truong ban",
    "thu truong",
    "ky ten",
    "tong cong",
    "tong so",
)


def cell_text(value) -> str:
    """A cell as text: numbers without ".0", dates as dd/mm/yyyy, spaces tidied within each
    line, line breaks kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,5}[.)]?", text.strip()))


def _open_workbook(data: bytes):
    import openpyxl

    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. "
                "Open it in Excel, remove any password and save it as “Excel Workbook (.xlsx)”."
            )
        )
    not_excel = ImportFileError(
        _("This file is not an Excel workbook (.xlsx). Save the list in Excel as .xlsx.")
    )
    if data[:4] != b"PK\x03\x04":
        raise not_excel
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise not_excel from error
    if "xl/workbook.xml" not in names:
        raise not_excel
    if unpacked > MAX_UNPACKED_SIZE:
        raise ImportFileError(_("The workbook is too large to read. Split the list."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(
            _(
                "The workbook could not be read; it may be damaged. "
                "Open it in Excel and save it again."
            )
        ) from error


def _header(worksheet) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """The first row whose titles include the petitioner and the content."""
    last_row = min(worksheet.max_row, HEADER_SEARCH_ROWS)
    last_col = min(worksheet.max_column, HEADER_SEARCH_COLUMNS)
    for cells in worksheet.iter_rows(min_row=1, max_row=last_row, max_col=last_col):
        positions, titles = {}, {}
        for cell in cells:
            title = cell_text(cell.value)
            column = match_column(title) if title else None
            if column and column.key not in positions:
                positions[column.key] = cell.column
                titles[column.key] = title.replace("\n", " ")
        if "content" in positions and "petitioner" in positions:
            return cells[0].row, positions, titles
    return None


def _date_line(worksheet, header_row: int) -> tuple[date | None, int | None, str]:
    if header_row <= 1:
        return None, None, ""  # (openpyxl reads max_row=0 as "to the last row")
    for cells in worksheet.iter_rows(
        min_row=1, max_row=header_row - 1, max_col=min(worksheet.max_column, HEADER_SEARCH_COLUMNS)
    ):
        for cell in cells:
            found = _DATE_LINE.search(fold(cell_text(cell.value)))
            if not found:
                continue
            day, month, year = (int(part) for part in found.groups())
            try:
                return date(year, month, day), cell.row, ""
            except ValueError:
                return None, cell.row, cell_text(cell.value)
    return None, None, ""


def _vertical_fills(worksheet, header_row: int, width: int) -> dict[tuple[int, int], object]:
    """A cell merged down over several rows (one topic for three petitions) counts for each."""
    fills = {}
    for merged in worksheet.merged_cells.ranges:
        if merged.min_row <= header_row or merged.max_row == merged.min_row:
            continue
        if merged.max_col - merged.min_col + 1 > width // 2:
            continue
        value = worksheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row + 1, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                fills[(row, col)] = value
    return fills


def _wide_merges(worksheet, header_row: int) -> set[tuple[int, int]]:
    """Top-left cells of ranges merged across columns: section titles, footers."""
    return {
        (merged.min_row, merged.min_col)
        for merged in worksheet.merged_cells.ranges
        if merged.min_row > header_row and merged.max_col > merged.min_col
    }


def _ends_table(number: str, petitioner: str, texts) -> bool:
    """The signature block or a total below the table: no number, no petitioner, and a short
    cell such as "NGƯỜI TỔNG HỢP" or "T/M BAN THƯỜNG TRỰC"."""
    if _is_number(number) or petitioner:
        return False
    return any(len(text) <= 80 and fold(text).startswith(_END_MARKERS) for text in texts)


def _rows(worksheet, header_row: int, positions: dict[str, int]) -> Iterator[SheetRow]:
    first_col = min(positions.values())
    last_col = max(positions.values())
    number_col = positions.get("number")
    fills = _vertical_fills(worksheet, header_row, last_col - first_col + 1)
    wide = _wide_merges(worksheet, header_row)
    section, empty_run = "", 0
    last_row = min(worksheet.max_row, header_row + MAX_SHEET_ROWS)
    for cells in worksheet.iter_rows(
        min_row=header_row + 1, max_row=last_row, min_col=first_col, max_col=last_col
    ):
        row = cells[0].row
        texts = {
            cell.column: cell_text(fills.get((row, cell.column), cell.value)) for cell in cells
        }
        filled = {col: text for col, text in texts.items() if text}
        if not filled:
            empty_run += 1
            if empty_run >= EMPTY_ROWS_END_TABLE:
                return
            continue
        empty_run = 0
        number = texts.get(number_col, "") if number_col else ""
        if _ends_table(number, texts.get(positions["petitioner"], ""), filled.values()):
            return
        if len(filled) == 1:
            ((col, text),) = filled.items()
            if not _is_number(text) and (
                (row, col) in wide or col == number_col or _ROMAN_SECTION.match(fold(text))
            ):
                section = text.replace("\n", " ")
                continue
        if fold(number) in _EXAMPLE_NUMBERS:
            continue  # the template's example row
        values = {key: texts.get(col, "") for key, col in positions.items()}
        if not any(values.get(key) for key in DATA_KEYS):
            continue  # a numbered row left empty
        yield SheetRow(number=row, values=values, section=section)


def _has_values(worksheet) -> bool:
    rows = worksheet.iter_rows(
        max_row=min(worksheet.max_row, MAX_SHEET_ROWS),
        max_col=min(worksheet.max_column, HEADER_SEARCH_COLUMNS),
        values_only=True,
    )
    return any(value not in (None, "") for row in rows for value in row)


def read_sheet(data: bytes) -> Sheet:
    """The petition table of the workbook: the first sheet with a recognisable header row."""
    workbook = _open_workbook(data)
    worksheets = [workbook.active, *(ws for ws in workbook.worksheets if ws != workbook.active)]
    worksheets = [ws for ws in worksheets if ws is not None and hasattr(ws, "merged_cells")]
    if not any(_has_values(ws) for ws in worksheets):
        raise ImportFileError(_("The workbook is empty."))
    for worksheet in worksheets:
        found = _header(worksheet)
        if found is None:
            continue
        header_row, positions, titles = found
        dated, date_row, date_error = _date_line(worksheet, header_row)
        rows = []
        for row in _rows(worksheet, header_row, positions):
            rows.append(row)
            if len(rows) > MAX_PETITIONS:
                raise ImportFileError(
                    _("The list has more than %(max)s petitions; split it into several files.")
                    % {"max": MAX_PETITIONS}
                )
        return Sheet(
            title=worksheet.title,
            header_row=header_row,
            titles=titles,
            rows=rows,
            dated=dated,
            date_row=date_row,
            date_error=date_error,
        )
    raise ImportFileError(
        _(
            "No header row was found in the workbook. The table needs at least the columns "
            "“%(petitioner)s” and “%(content)s”; download the template to see the format."
        )
        % {"petitioner": PETITIONER.title, "content": CONTENT.title}
    )
