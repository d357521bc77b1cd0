"""Hostile input: what a careless or malicious user, or a broken file, sends to a form."""

import io
import unicodedata
import zipfile

from hypothesis import strategies as st

SCRIPT = "<script>xss()</script>"
NAME_NFC = unicodedata.normalize("NFC", "Nguyễn Thị Hường")
NAME_NFD = unicodedata.normalize("NFD", "Nguyễn Thị Hường")

SPECIAL = [
    "",
    " ",
    SCRIPT,
    f'"><img src=x onerror=xss()>{SCRIPT}',
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\x00",
    "a\x00b",
    "\x1b[31mđỏ\x1b[0m",
    "\u202eevil.pdf",
    NAME_NFC + " " + NAME_NFD,
    "x" * 20_000,
    "Đ" * 400,
    "0" * 40,
    "-1",
    "99999999999999999999999",
    "NaN",
    "1e309",
    "../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "\ud7ff\ufffd\U0001f600",
]
DATES = [
    "01/01/0001",
    "31/12/9999",
    "31/02/2026",
    "00/00/0000",
    "32/13/2026",
    "2026-02-31",
    "1/1/1",
    "01/01/10000",
    "29/02/2025",
    "-01/01/2026",
]

# Characters no form should choke on: controls, bidi overrides, combining marks, surrogates
# are left out (they cannot be sent as UTF-8).
ALPHABET = st.characters(
    blacklist_categories=("Cs",),
    min_codepoint=0,
    max_codepoint=0x2FFFF,
)


def text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SPECIAL),
        st.sampled_from(DATES),
        st.text(ALPHABET, max_size=60),
        st.builds(lambda a, b: a + b, st.sampled_from(SPECIAL), st.text(ALPHABET, max_size=20)),
    )


def date_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(DATES),
        st.dates().map(lambda day: f"{day.day:02d}/{day.month:02d}/{day.year:04d}"),
        st.text(ALPHABET, max_size=12),
    )


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def xlsx_with(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")
    return out.getvalue()


# (name, bytes, content type): an executable named .pdf, broken Excel, empty, huge.
FILES = [
    ("don.pdf", ELF, "application/pdf"),
    ("\u202eexe.pdf", ELF, "application/pdf"),
    ("bao-cao.pdf", b"%PDF-1.4\n%broken", "application/pdf"),
    ("rong.pdf", b"", "application/pdf"),
    ("danh-sach.xlsx", zip_not_xlsx(), "application/vnd.ms-excel"),
    ("danh-sach.xlsx", b"not a zip at all", "application/vnd.ms-excel"),
    ("to.docx", b"PK\x03\x04broken", "application/octet-stream"),
    ("lon.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "application/pdf"),
    (f"{SCRIPT}.jpg", b"\xff\xd8\xff\xe0garbage", "image/jpeg"),
]


def files() -> st.SearchStrategy[tuple[str, bytes, str]]:
    return st.sampled_from(FILES)
