"""The text a response carries, whatever its format: pages, JSON, Excel, PDF, Word, ZIP."""

import io
import re
import subprocess
import unicodedata
import zipfile

from openpyxl import load_workbook

TAGS = re.compile(r"<[^>]+>")


def _xlsx(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        " ".join(str(value) for value in row if value is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _pdf(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-q", "-", "-"], input=data, capture_output=True, check=True, timeout=30
    )
    return done.stdout.decode("utf-8", "replace")


def _docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [name for name in archive.namelist() if name.startswith("word/")]
        # Runs split a word anywhere: the tags are dropped, not replaced by spaces.
        return "\n".join(TAGS.sub("", archive.read(name).decode("utf-8")) for name in parts)


def _zip(data: bytes) -> str:
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            texts.append(name)
            texts.append(text_of(archive.read(name), name=name))
    return "\n".join(texts)


def text_of(body: bytes, content_type: str = "", name: str = "") -> str:
    """NFC text of a response body (or a file in a dossier), by its type or its name."""
    kind = content_type.split(";")[0].strip()
    if body.startswith(b"%PDF") or kind == "application/pdf":
        text = _pdf(body)
    elif body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = archive.namelist()
        if "word/document.xml" in names:
            text = _docx(body)
        elif "xl/workbook.xml" in names:
            text = _xlsx(body)
        else:
            text = _zip(body)
    else:
        text = body.decode("utf-8", "replace")
    return unicodedata.normalize("NFC", text)
