"""Reading the petition lists the Front and mass organisations hand over as Excel files.

The lists come as people make them: national and organisation headers above the table, a
title, a header row, section rows ("I. LĨNH VỰC KINH TẾ") merged across the table, numbered
rows with multi-line cells, a signature block below. The work is done in small steps:

- `read_sheet` (the parser) finds the table by the titles of its columns, not by position,
  and yields its rows with their Excel row numbers and the section each sits in;
- `validate_row` (the validator) checks a row's texts: required cells, lengths, formats;
- `Mapper` turns a row into what intake records: topic, departments, residential unit,
  petitioner, and says what it did not recognise;
- `prepare` runs them all and returns an `ImportPlan`: the petitions to create, or the
  errors, each with its Excel row and the column's title as the file names it;
- `commit` creates the plan's petitions through the services, all or nothing.
"""

import contextlib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doluong_dialogue.text import fold, fold_words
from petitions import services
from petitions.models import Department, Petition, ResidentialUnit, Topic
from petitions.services import PetitionData

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

CONTENT_MAX = 10_000
SUMMARY_MAX = 300
NAME_MAX = 200
ADDRESS_MAX = 300
PHONE_MAX = 20
PEOPLE_MAX = 100_000


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

# The order of the downloadable template.
TEMPLATE_COLUMNS = (
    NUMBER,
    PETITIONER,
    PHONE,
    ADDRESS,
    PEOPLE,
    CONTENT,
    TOPIC,
    DEPARTMENTS,
    CONFIDENTIAL,
    NOTE,
)
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


# --- Validator --------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's title as the file writes it; empty for the date line
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


_PHONE = re.compile(r"[0-9+().\s-]{6,20}")
_LIMITS = {
    "petitioner": NAME_MAX,
    "address": ADDRESS_MAX,
    "content": CONTENT_MAX,
    "topic": 300,
    "departments": 1000,
    "note": 2000,
}


def validate_row(row: SheetRow, titles: dict[str, str]) -> list[RowError]:
    """What is wrong with the row's texts themselves (mapping is checked by the mapper)."""
    errors = []

    def error(key: str, message: str) -> None:
        errors.append(RowError(row.number, titles.get(key, key), message))

    values = row.values
    if not values.get("petitioner"):
        error("petitioner", _("the petitioner is missing (a person, a group or an organisation)"))
    if not values.get("content"):
        error("content", _("the content of the petition is missing"))
    for key, limit in _LIMITS.items():
        text = values.get(key, "")
        if len(text) > limit:
            error(
                key,
                _("the text is too long (%(length)s characters; at most %(limit)s)")
                % {
                    "length": f"{len(text):,}".replace(",", "."),
                    "limit": f"{limit:,}".replace(",", "."),
                },
            )
    phone = values.get("phone", "")
    if phone and not _PHONE.fullmatch(phone):
        error("phone", _("“%(text)s” is not a phone number") % {"text": phone[:40]})
    people = values.get("people", "")
    if people and not (people.isdigit() and 1 <= int(people) <= PEOPLE_MAX):
        error("people", _("“%(text)s” is not a number of people") % {"text": people[:40]})
    return errors


# --- Mapper -----------------------------------------------------------------------------

# Words that say nothing about which topic a text means.
_STOP_WORDS = {"va", "cac", "cua", "trong", "cho", "ve", "linh", "vuc", "nhung", "voi"}
_GROUP_WORDS = (
    (Topic.Group.ECONOMY, ("kinh te",)),
    (Topic.Group.CULTURE_SOCIETY, ("van hoa", "xa hoi", "y te", "giao duc")),
    (Topic.Group.SECURITY_DEFENCE, ("an ninh", "quoc phong", "trat tu")),
    (Topic.Group.POLITICAL_SYSTEM, ("chinh tri", "xay dung dang", "chinh quyen")),
)
# How a group or an organisation names itself; a person's name starts with a surname.
# ("Đoàn", "Trương" and "Bàn" are also surnames, so only their organisational forms count.)
_GROUP_PREFIXES = (
    "cu tri",
    "cac cu tri",
    "nhan dan",
    "hoi",
    "chi hoi",
    "chi bo",
    "dang bo",
    "doan thanh nien",
    "doan tn",
    "chi doan",
    "ban cong tac mat tran",
    "ban thanh tra nhan dan",
    "ban quan ly",
    "ban dai dien",
    "ban dieu hanh",
    "uy ban",
    "ub mttq",
    "ubmttq",
    "mat tran",
    "mttq",
    "to dan pho",
    "to tu quan",
    "tap the",
    "cac ho",
    "ho dan",
    "ba con",
    "nhom",
    "cong dong",
    "hop tac xa",
    "htx",
    "cau lac bo",
    "clb",
    "truong mam non",
    "truong tieu hoc",
    "truong thcs",
    "truong thpt",
    "xom",
    "khoi",
    "thon",
)
_PEOPLE_IN_TEXT = re.compile(
    r"(\d{1,6})\s*(?:ho gia dinh|ho dan|ho|nguoi|cu tri|gia dinh|cong dan)\b"
)
_CONFIDENTIAL_TEXT = re.compile(
    r"giu bi mat|bao mat|giu kin|an danh|khong cong khai (?:ten|danh tinh|ho ten)"
)
_PRESSING_TEXT = re.compile(r"buc xuc|khan cap|noi com")
_LEGAL_TEXT = re.compile(r"\b(?:khieu nai|to cao)\b")
_YES = {"x", "co", "1", "yes", "true", "v", "✓", "✔", "dung", "giu bi mat"}


def looks_like_group(name: str) -> bool:
    folded = fold_words(name)
    return folded.startswith(tuple(f"{prefix} " for prefix in _GROUP_PREFIXES)) or any(
        folded == prefix for prefix in _GROUP_PREFIXES
    )


_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")


def summary_of(content: str) -> str:
    """The first line's first sentence, at most 300 characters, cut at a word."""
    first_line = next((line for line in content.split("\n") if line.strip()), "").strip()
    sentence = first_line
    for end in _SENTENCE_END.finditer(first_line):
        following = first_line[end.end()]
        # The next sentence starts with a capital or a number; "v.v. rất" does not end one.
        if following.isupper() or following.isdigit():
            sentence = first_line[: end.start() + 1]
            break
    if len(sentence) <= SUMMARY_MAX:
        return sentence
    cut = sentence[: SUMMARY_MAX - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _words(text: str) -> frozenset[str]:
    return frozenset(fold_words(text).split()) - _STOP_WORDS


def group_of_section(section: str) -> str | None:
    folded = f" {fold_words(section)} "
    for group, phrases in _GROUP_WORDS:
        if any(f" {phrase} " in folded for phrase in phrases):
            return group
    return None


@dataclass
class PlannedPetition:
    """A row of the list as it will be created."""

    row: int
    data: PetitionData
    lead: Department | None = None
    supporting: list[Department] = field(default_factory=list)
    section: str = ""
    note: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def can_be_assigned(self) -> bool:
        return self.lead is not None and self.data.topic is not None


class Mapper:
    """Matches a list's names for topics, agencies and hamlets to the commune's own.

    Reference data is loaded once; a name matches folded (no accents, no case), by the
    record's name or one of its other names (`aliases`, one per line).
    """

    def __init__(self) -> None:
        self.topics = list(Topic.objects.filter(is_active=True))
        self.departments = list(Department.objects.active())
        self.units = list(ResidentialUnit.objects.filter(is_active=True))
        self._topic_exact: dict[str, Topic] = {}
        self._topic_words: list[tuple[frozenset[str], Topic]] = []
        for topic in self.topics:
            for label in (topic.name, *topic.aliases.splitlines()):
                if label.strip():
                    self._topic_exact.setdefault(fold_words(label), topic)
                    self._topic_words.append((_words(label), topic))
        self._departments: dict[str, Department] = {}
        for department in self.departments:
            labels = (department.name, department.short_name, *department.aliases.splitlines())
            for label in labels:
                key = fold_words(label)
                if key:
                    self._departments.setdefault(key, department)
                    self._departments.setdefault(_without_commune(key), department)
        self._units: dict[str, ResidentialUnit] = {}
        for unit in self.units:
            kind = "xom" if unit.kind == ResidentialUnit.Kind.HAMLET else "khoi"
            self._units.setdefault(f"{kind} {fold_words(unit.name)}", unit)

    # Topics

    def match_topic(self, text: str, group: str | None = None) -> tuple[Topic | None, list[Topic]]:
        """The topic a text names, or None and the equally likely candidates."""
        exact = self._topic_exact.get(fold_words(text))
        if exact:
            return exact, []
        words = _words(text)
        if not words:
            return None, []
        best: dict[int, tuple[float, float]] = {}
        for label_words, topic in self._topic_words:
            common = len(words & label_words)
            if not common:
                continue
            score = (common / len(words), common / len(words | label_words))
            best[topic.pk] = max(best.get(topic.pk, (0.0, 0.0)), score)
        candidates = [t for t in self.topics if t.pk in best and best[t.pk][0] >= 0.5]
        if group and any(t.group == group for t in candidates):
            candidates = [t for t in candidates if t.group == group]
        if not candidates:
            return None, []
        top = max(best[t.pk] for t in candidates)
        candidates = [t for t in candidates if best[t.pk] == top]
        return (candidates[0], []) if len(candidates) == 1 else (None, candidates)

    def topic_for_section(self, section: str) -> Topic | None:
        """When the topic cell is empty: the section's group, if it has one topic, or the
        topic the section title names ("IV. HOẠT ĐỘNG CỦA HỆ THỐNG CHÍNH TRỊ")."""
        group = group_of_section(section)
        if group is None:
            return None
        in_group = [t for t in self.topics if t.group == group]
        if len(in_group) == 1:
            return in_group[0]
        title = re.sub(r"^\s*[IVXLCivxlc]+\s*[.)/:-]\s*", "", section)
        topic, _candidates = self.match_topic(title, group)
        return topic if topic and topic.group == group else None

    # Departments

    def match_department(self, text: str) -> Department | None:
        key = fold_words(text)
        return self._departments.get(key) or self._departments.get(_without_commune(key))

    def match_departments(self, text: str) -> tuple[list[Department], list[str]]:
        """The agencies of a cell, first the lead: "Phòng Văn hóa - Xã hội; Công an xã".

        A parenthesis names the more specific agency: "UBND xã (Phòng Kinh tế)" is Phòng
        Kinh tế. Returns what was found and the parts that were not recognised.
        """
        found, unknown = [], []
        for part in re.split(r"[;\n]+", text):
            part = part.strip(" \t.,-\u2013\u2014\u2022+*")
            if not part:
                continue
            departments = self._department_part(part)
            if departments:
                found.extend(d for d in departments if d not in found)
            else:
                unknown.append(part)
        return found, unknown

    def _department_part(self, part: str) -> list[Department]:
        bracket = re.fullmatch(r"(.*?)\((.*)\)\s*", part)
        if bracket:
            outer, inner = bracket.group(1).strip(), bracket.group(2)
            specific = self._all_or_nothing(re.split(r"[,;]", inner))
            if specific:
                return specific
            department = self.match_department(outer) if outer else None
            return [department] if department else []
        department = self.match_department(part)
        if department:
            return [department]
        return self._all_or_nothing(part.split(","))

    def _all_or_nothing(self, names: list[str]) -> list[Department]:
        departments = [self.match_department(name) for name in names if name.strip()]
        return departments if departments and all(departments) else []

    # Residential units

    def match_unit(self, text: str) -> ResidentialUnit | None:
        """The hamlet or block an address names: "Xóm Yên Thành", "Khối 3, xã Đô Lương"."""
        folded = f" {fold_words(text)} "
        matches = [key for key in self._units if f" {key} " in folded]
        return self._units[max(matches, key=len)] if matches else None

    # A row

    def map(
        self, row: SheetRow, titles: dict[str, str], base: dict
    ) -> tuple[PlannedPetition | None, list[RowError]]:
        values = row.values
        errors: list[RowError] = []
        warnings_: list[str] = []

        def error(key: str, message: str) -> None:
            errors.append(RowError(row.number, titles.get(key, key), message))

        group = group_of_section(row.section) if row.section else None
        topic_text = values.get("topic", "")
        topic = None
        if topic_text:
            topic, candidates = self.match_topic(topic_text, group)
            if candidates:
                error(
                    "topic",
                    _("topic “%(text)s” could be any of: %(names)s; write the topic's full name")
                    % {"text": topic_text, "names": "; ".join(t.name for t in candidates)},
                )
            elif topic is None:
                error(
                    "topic",
                    _(
                        "topic “%(text)s” is not recognised; use a topic's name from the list, "
                        "or ask the Party Building Committee to add it as another name of a topic"
                    )
                    % {"text": topic_text},
                )
        else:
            topic = self.topic_for_section(row.section) if row.section else None
            if topic is None:
                warnings_.append(_("No topic: the petition will wait to be classified."))

        departments, unknown = self.match_departments(values.get("departments", ""))
        for part in unknown:
            error(
                "departments",
                _(
                    "agency “%(text)s” is not recognised; use a department's name from the list "
                    "and separate several agencies with “;”"
                )
                % {"text": part},
            )
        if not values.get("departments"):
            warnings_.append(_("No agency is proposed: the petition must be assigned by hand."))

        address = values.get("address", "").replace("\n", ", ")
        petitioner = values.get("petitioner", "").replace("\n", " ")
        unit = self.match_unit(address) if address else None
        if address and unit is None:
            warnings_.append(
                _("“%(address)s” is not a hamlet or block in the list; only the address is kept.")
                % {"address": address}
            )
        if not address and petitioner:
            unit = self.match_unit(petitioner)

        note = values.get("note", "")
        folded_note = fold(note)
        people = int(values["people"]) if values.get("people", "").isdigit() else 0
        if not people:
            counts = [int(n) for n in _PEOPLE_IN_TEXT.findall(f"{folded_note} {fold(petitioner)}")]
            people = max(counts, default=0)
        is_group = looks_like_group(petitioner) or people > 1
        if is_group and not people:
            # Lists rarely count the voters of a hamlet or the members of an organisation.
            people = 2
            warnings_.append(
                _(
                    "The number of people is not given: counted as 2, the fewest a group has. "
                    "Correct it on the petition if it is known."
                )
            )
        people = people or 1
        hide = fold_words(values.get("confidential", "")) in _YES or bool(
            _CONFIDENTIAL_TEXT.search(folded_note)
        )
        content = values.get("content", "")
        folded_content = fold(content)
        if _LEGAL_TEXT.search(folded_content):
            warnings_.append(
                _(
                    "The content mentions a complaint or a denunciation: check whether it must "
                    "follow its legal procedure."
                )
            )
        if errors:
            return None, errors
        kind = Petition.Kind.REQUEST
        if folded_content.startswith("phan anh"):
            kind = Petition.Kind.FEEDBACK
        elif folded_content.startswith("de xuat"):
            kind = Petition.Kind.PROPOSAL
        data = PetitionData(
            summary=summary_of(content),
            content=content,
            petitioner_name=petitioner,
            petitioner_phone=_phone(values.get("phone", "")),
            petitioner_address=address,
            residential_unit=unit,
            is_group=is_group,
            people_count=people,
            hide_identity=hide,
            topic=topic,
            urgency=(
                Petition.Urgency.PRESSING
                if _PRESSING_TEXT.search(folded_note)
                else Petition.Urgency.NORMAL
            ),
            kind=kind,
            **base,
        )
        for refusal in services.petition_data_errors(data):
            # Intake's own rules, as the form applies them; the column is the field's. The
            # list's date is checked once for the whole list, above.
            if refusal.field != "received_on":
                error(_FIELD_COLUMNS.get(refusal.field, ""), refusal.message)
        if errors:
            return None, errors
        planned = PlannedPetition(
            row=row.number,
            data=data,
            lead=departments[0] if departments else None,
            supporting=departments[1:],
            section=row.section,
            note=note,
            warnings=warnings_,
        )
        return planned, []


# Which column of the list an intake field comes from, to place the service's refusals.
_FIELD_COLUMNS = {
    "people_count": "people",
    "petitioner_name": "petitioner",
    "content": "content",
}


def _without_commune(key: str) -> str:
    """ "hoi nong dan xa" and "hoi nong dan" name the same body."""
    return key[: -len(" xa")] if key.endswith(" xa") else key


def _phone(text: str) -> str:
    """A mobile number typed into a number cell loses its leading zero: 912345678."""
    digits = re.sub(r"\D", "", text)
    if text.isdigit() and len(digits) == 9:
        return "0" + text
    return text


# --- The whole list ---------------------------------------------------------------------


@dataclass
class ImportPlan:
    sheet_title: str
    received_on: date
    date_from_file: bool
    petitions: list[PlannedPetition]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.petitions)

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.petitions if p.warnings)


def prepare(
    data: bytes,
    *,
    channel: str,
    received_on: date | None = None,
    submitted_by: Department | None = None,
) -> ImportPlan:
    """Read, validate and map a list; raise `ImportFileError` when the file as a whole is
    unusable. Nothing is written."""
    sheet = read_sheet(data)
    errors: list[RowError] = []
    if sheet.date_error:
        errors.append(
            RowError(
                sheet.date_row,
                "",
                _("the date “%(text)s” does not exist") % {"text": sheet.date_error},
            )
        )
    elif sheet.dated and sheet.dated > timezone.localdate():
        errors.append(
            RowError(
                sheet.date_row,
                "",
                _("the list is dated %(date)s, which is after today")
                % {"date": f"{sheet.dated:%d/%m/%Y}"},
            )
        )
    dated = sheet.dated or received_on
    if dated is None and not sheet.date_error:
        raise MissingDate(
            _(
                "The list carries no date line (“…, ngày … tháng … năm …”): "
                "enter the date the list was received."
            )
        )
    if not sheet.rows:
        raise ImportFileError(_("The table has a header row but no petitions below it."))
    mapper = Mapper()
    base = {
        "channel": channel,
        "received_on": dated or timezone.localdate(),
        "submitted_by_department": submitted_by,
    }
    petitions = []
    for row in sheet.rows:
        row_errors = validate_row(row, sheet.titles)
        if row_errors:
            errors.extend(row_errors)
            continue
        planned, mapping_errors = mapper.map(row, sheet.titles, base)
        errors.extend(mapping_errors)
        if planned:
            petitions.append(planned)
    return ImportPlan(
        sheet_title=sheet.title,
        received_on=base["received_on"],
        date_from_file=sheet.dated is not None,
        petitions=petitions,
        errors=errors,
    )


@transaction.atomic
def commit(plan: ImportPlan, *, actor: User, assign: bool, file_name: str) -> list[Petition]:
    """Create every petition of a plan without errors, and with `assign` give each to the
    proposed departments under the default deadline. One transaction: all or nothing."""
    if not plan.ok:
        raise services.InvalidTransition(_("The list has errors; nothing was imported."))
    created = []
    for planned in plan.petitions:
        names = {"file": file_name, "row": planned.row, "note": planned.note}
        if planned.note:
            note = _("Imported from “%(file)s”, row %(row)s. Note: %(note)s") % names
        else:
            note = _("Imported from “%(file)s”, row %(row)s.") % names
        petition = services.petition_receive(data=planned.data, actor=actor, note=note)
        if assign and planned.can_be_assigned and petition.status == Petition.Status.CLASSIFIED:
            # A lead unit with no member to answer: the petition waits, classified, to be
            # assigned by hand (only the assignment's savepoint is rolled back).
            with contextlib.suppress(services.InvalidTransition):
                services.petition_assign(
                    petition=petition,
                    actor=actor,
                    department=planned.lead,
                    supporting=planned.supporting,
                )
        created.append(petition)
    return created


# --- The downloadable template ------------------------------------------------------------

TEMPLATE_HEADER_ROW = 4
_TEMPLATE_WIDTHS = {
    "number": 6,
    "petitioner": 26,
    "phone": 14,
    "address": 20,
    "people": 9,
    "content": 60,
    "topic": 34,
    "departments": 32,
    "confidential": 11,
    "note": 24,
}
# Invented, like all demo data.
_TEMPLATE_EXAMPLE = {
    "number": "Ví dụ",
    "petitioner": "Cử tri xóm Yên Thành (ví dụ)",
    "phone": "0912 000 000",
    "address": "Xóm Yên Thành",
    "people": 12,
    "content": (
        "Đề nghị nạo vét kênh tưới tiêu nội đồng đoạn qua cánh đồng Cồn Trại.\n"
        "Hiện kênh bị bồi lấp, vụ Hè Thu không lấy được nước. (Dòng ví dụ, không được nhập.)"
    ),
    "topic": "Giao thông, thủy lợi, điện, nước",
    "departments": "Phòng Kinh tế; Văn phòng HĐND và UBND",
    "confidential": "",
    "note": "12 hộ cùng ý kiến",
}
# The template is a document handed to the Front, written in Vietnamese like the lists.
_TEMPLATE_INSTRUCTIONS = (
    "HƯỚNG DẪN LẬP DANH SÁCH KIẾN NGHỊ ĐỂ NHẬP VÀO PHẦN MỀM",
    "",
    "1. Mỗi kiến nghị ghi trên một dòng của trang «Danh sách kiến nghị», bắt đầu từ dòng 6. "
    "Dòng «Ví dụ» không được nhập; có thể xóa hoặc để nguyên.",
    "2. Bắt buộc: «Họ và tên người kiến nghị» và «Nội dung ý kiến, kiến nghị». Người kiến nghị có "
    "thể là một người, một nhóm («Cử tri xóm …», «Nhân dân khối …») hoặc một tổ chức («Hội Nông "
    "dân xã», «Chi bộ xóm …»).",
    "3. Nội dung có thể viết nhiều dòng trong một ô (Alt+Enter); câu đầu tiên được dùng làm "
    "trích yếu.",
    "4. «Lĩnh vực»: chọn trong danh sách hoặc ghi tên gọi quen dùng (ví dụ «Đất đai, GPMB»). "
    "Có thể chia bảng thành các mục «I. LĨNH VỰC KINH TẾ», «II. LĨNH VỰC VĂN HÓA - XÃ HỘI» … "
    "trên một dòng riêng.",
    "5. «Đề nghị cơ quan giải quyết»: ghi một hoặc nhiều cơ quan, cách nhau bằng dấu chấm phẩy "
    "(;). Cơ quan đầu tiên chủ trì, các cơ quan sau phối hợp. Ghi trong ngoặc cơ quan cụ thể: "
    "«UBND xã (Phòng Kinh tế)».",
    "6. «Địa chỉ (xóm, khối)»: ghi «Xóm …» hoặc «Khối …» như trong danh mục để thống kê theo "
    "địa bàn.",
    "7. «Số người»: số người, số hộ cùng kiến nghị (để trống nếu là một người). «Giữ bí mật»: "
    "đánh dấu x nếu người kiến nghị đề nghị giữ bí mật danh tính.",
    "8. Ngày lập danh sách ghi ở dòng 2 («…, ngày 12 tháng 5 năm 2026»); nếu để trống, phần "
    "mềm dùng ngày nhận chọn khi tải tệp lên.",
    "9. Nếu có dòng sai (thiếu nội dung, lĩnh vực hoặc cơ quan không nhận ra …), phần mềm báo "
    "từng dòng, từng cột và không nhập dòng nào; sửa rồi tải lên lại.",
    "",
    "Danh sách xóm, khối, lĩnh vực và cơ quan ở trang «Danh mục».",
)


def build_template(*, place_name: str = "Đô Lương") -> bytes:
    """An empty list in the importer's own format, with the commune's reference data."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách kiến nghị"
    last_letter = get_column_letter(len(TEMPLATE_COLUMNS))
    sheet["A1"] = "TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI VÀ NHÂN DÂN"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"{place_name}, ngày …… tháng …… năm ………"
    sheet["A2"].font = Font(italic=True)
    sheet.merge_cells(f"A1:{last_letter}1")
    sheet.merge_cells(f"A2:{last_letter}2")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(TEMPLATE_HEADER_ROW, index, column.title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
        sheet.column_dimensions[letter].width = _TEMPLATE_WIDTHS[column.key]
        example = sheet.cell(TEMPLATE_HEADER_ROW + 1, index, _TEMPLATE_EXAMPLE[column.key])
        example.font = Font(italic=True, color="808080")
        example.alignment = Alignment(wrap_text=True, vertical="top")
        example.border = border
    sheet.freeze_panes = sheet.cell(TEMPLATE_HEADER_ROW + 1, 1)

    lists = workbook.create_sheet("Danh mục")
    topics = [t.name for t in Topic.objects.filter(is_active=True)]
    units = [str(u) for u in ResidentialUnit.objects.filter(is_active=True)]
    departments = [d.name for d in Department.objects.active()]
    for index, (title, names) in enumerate(
        (("Lĩnh vực", topics), ("Xóm, khối", units), ("Cơ quan", departments)), start=1
    ):
        lists.cell(1, index, title).font = Font(bold=True)
        lists.column_dimensions[get_column_letter(index)].width = 60 if index == 1 else 34
        for row, name in enumerate(names, start=2):
            lists.cell(row, index, name)

    first, last = TEMPLATE_HEADER_ROW + 2, TEMPLATE_HEADER_ROW + 1000
    position = {column.key: get_column_letter(i) for i, column in enumerate(TEMPLATE_COLUMNS, 1)}
    for key, list_letter, names in (
        ("topic", "A", topics),
        ("address", "B", units),
        ("departments", "C", departments),
    ):
        if not names:
            continue
        # A warning, not a stop: other names ("Đất đai, GPMB"), several agencies separated
        # by ";" and fuller addresses are accepted too.
        validation = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${list_letter}$2:${list_letter}${len(names) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if key == "topic" else "information",
            errorTitle="Kiểm tra lại",
            error="Tên này không có trong danh mục; phần mềm sẽ thử nhận theo tên gọi khác.",
        )
        validation.add(f"{position[key]}{first}:{position[key]}{last}")
        sheet.add_data_validation(validation)
    confidential = DataValidation(type="list", formula1='"x"', allow_blank=True)
    confidential.add(f"{position['confidential']}{first}:{position['confidential']}{last}")
    sheet.add_data_validation(confidential)
    people = DataValidation(type="whole", operator="between", formula1="1", formula2="100000")
    people.add(f"{position['people']}{first}:{position['people']}{last}")
    sheet.add_data_validation(people)

    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 110
    for row, line in enumerate(_TEMPLATE_INSTRUCTIONS, start=1):
        cell = guide.cell(row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=13)
    workbook.active = 0

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
