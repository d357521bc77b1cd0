"""Checking uploaded files before they are stored: every upload in the app goes through here.

The type is read from the file's first bytes (and, for .docx/.xlsx, from the ZIP directory),
never from the name or the browser's Content-Type, and the name's extension must agree with
it: an .exe renamed to .pdf is refused. Nothing is ever extracted from an archive.
"""

import math
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # bytes, per file
MAX_FILES = 5  # per form
# Longer names are shortened (keeping the extension): Vietnamese letters take up to 3 bytes
# each in UTF-8, and a file system allows 255 bytes per name.
MAX_NAME_BYTES = 150
# A real Word or Excel file has a few dozen entries; these bounds refuse a ZIP bomb from its
# directory alone, without inflating anything.
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileKind:
    label: str | Promise
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind(_("PDF"), "application/pdf", ("pdf",))
JPEG = FileKind(_("JPEG image"), "image/jpeg", ("jpg", "jpeg"))
PNG = FileKind(_("PNG image"), "image/png", ("png",))
GIF = FileKind(_("GIF image"), "image/gif", ("gif",))
WEBP = FileKind(_("WebP image"), "image/webp", ("webp",))
DOC = FileKind(_("Word document (.doc)"), "application/msword", ("doc",))
XLS = FileKind(_("Excel workbook (.xls)"), "application/vnd.ms-excel", ("xls",))
DOCX = FileKind(
    _("Word document (.docx)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = FileKind(
    _("Excel workbook (.xlsx)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
ACCEPTED_KINDS = (PDF, JPEG, PNG, GIF, WEBP, DOC, XLS, DOCX, XLSX)
KIND_BY_EXTENSION = {ext: kind for kind in ACCEPTED_KINDS for ext in kind.extensions}
# For the file chooser; the server decides from the content anyway.
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in KIND_BY_EXTENSION)


class _Damaged(Exception):
    pass


class _ZipBomb(Exception):
    pass


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _head(upload: UploadedFile, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _office_kind(upload: UploadedFile) -> FileKind | None:
    """DOCX or XLSX from the ZIP's directory ([Content_Types].xml and word/ or xl/)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _Damaged from error
    finally:
        upload.seek(0)
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_ZIP_UNCOMPRESSED:
        raise _ZipBomb
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def sniff(upload: UploadedFile) -> tuple[FileKind, ...]:
    """The accepted kinds the content could be (OLE2 is either .doc or .xls); () if none."""
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return (PDF,)
    if head.startswith(b"\xff\xd8\xff"):
        return (JPEG,)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return (PNG,)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return (GIF,)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return (WEBP,)
    if head.startswith(OLE2_MAGIC):
        return (DOC, XLS)
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
        return (kind,) if kind else ()
    return ()


def _megabytes(size: int) -> str:
    # Rounded up: a file just over the limit must not read as exactly the limit.
    return number_format(math.ceil(size * 10 / (1024 * 1024)) / 10, 1)


def _short_name(name: str) -> str:
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    path = PurePath(name)
    suffix = path.suffix if len(path.suffix.encode()) <= 16 else ""
    stem = name[: len(name) - len(path.suffix)] if suffix else name
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .") + suffix


def validate_upload(upload: UploadedFile) -> FileKind:
    """Refuse a file whose size, content or name is not acceptable, with a Vietnamese message
    naming it; on success record the detected type on `upload.checked_content_type` (which
    `services.attachment_add` stores) and shorten an over-long name."""
    name = upload.name or ""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB, over the limit of %(limit)s MB per file."),
            code="file_too_large",
            params={
                "name": name,
                "size": _megabytes(upload.size),
                "limit": MAX_UPLOAD_SIZE // (1024 * 1024),
            },
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty."), code="file_empty", params={"name": name})
    extension = extension_of(name)
    expected = KIND_BY_EXTENSION.get(extension)
    if expected is None:
        raise ValidationError(
            _(
                "“%(name)s” cannot be attached: only PDF files, images (JPEG, PNG, GIF, WebP), "
                "Word and Excel files are accepted."
            ),
            code="file_type",
            params={"name": name},
        )
    try:
        candidates = sniff(upload)
    except _ZipBomb:
        raise ValidationError(
            _("“%(name)s” was refused: the content packed inside it is abnormally large."),
            code="file_zip_bomb",
            params={"name": name},
        ) from None
    except _Damaged:
        raise ValidationError(
            _("“%(name)s” cannot be read as %(expected)s; the file may be damaged."),
            code="file_damaged",
            params={"name": name, "expected": expected.label},
        ) from None
    if expected not in candidates:
        if candidates:
            raise ValidationError(
                _(
                    "“%(name)s” is named as %(expected)s but its content is %(actual)s; "
                    "rename it with the right extension."
                ),
                code="file_extension",
                params={"name": name, "expected": expected.label, "actual": candidates[0].label},
            )
        raise ValidationError(
            _(
                "“%(name)s” is named as %(expected)s but its content is not: it may be another "
                "kind of file renamed. Only genuine PDF, image, Word and Excel files are accepted."
            ),
            code="file_content",
            params={"name": name, "expected": expected.label},
        )
    upload.name = _short_name(name)
    upload.checked_content_type = expected.content_type
    return expected


def validate_uploads(uploads, *, max_files: int = MAX_FILES) -> list[UploadedFile]:
    """Check a form's files together: every refusal is reported, not only the first."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > max_files:
        raise ValidationError(
            _("At most %(limit)s files can be attached at once (%(count)s were chosen)."),
            code="too_many_files",
            params={"limit": max_files, "count": len(uploads)},
        )
    errors = []
    for upload in uploads:
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern), each checked by
    `validate_upload`; cleans to a list, empty when nothing was chosen."""

    def __init__(self, *args, max_files: int = MAX_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        # An empty file is refused by validate_upload, with its name in the message.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [upload for upload in files if upload]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        single_file_clean = super().clean
        files = [single_file_clean(upload, initial) for upload in files]
        return validate_uploads(files, max_files=self.max_files)
