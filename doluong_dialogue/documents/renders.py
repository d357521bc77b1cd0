"""PDFs rendered by a worker and stored, through the durable side effects.

An app asks for a document's PDF inside the transaction that changed it::

    documents.request_pdf(f"sessions.minutes:{minutes.pk}", builder="sessions.minutes",
                          object_id=minutes.pk, title="Biên bản hội nghị …",
                          version=str(minutes.revision))

That records (or updates) a RenderedDocument and schedules the "documents.render" side
effect; after commit a worker calls the registered builder with the object id, renders the
PartyDocument it returns, stores the PDF in the default storage with its SHA-256 and marks
the record ready. Stored PDFs are archival files (PDF/A-2b, pdf.ARCHIVAL); a signed one is
signed after it is made PDF/A, in a way that keeps it so (signing.sign_pdf).

Asking again with the same version does nothing; with another version the record goes back
to queued (its old file is no longer offered) and renders again.

A render that fails marks the record failed with the error, and the side effect retries
it later by itself; `pdf_retry` (the "Thử lại" button) queues it again at once.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from doluong_dialogue import clock, pdf, side_effects
from doluong_dialogue.documents import signing
from doluong_dialogue.documents.content import PartyDocument
from doluong_dialogue.documents.models import RenderedDocument
from doluong_dialogue.documents.pdf import render_pdf
from doluong_dialogue.downloads import stored_file_response

logger = logging.getLogger(__name__)

Status = RenderedDocument.Status
RENDER = "documents.render"


@dataclass(frozen=True)
class Builder:
    build: Callable[[int], PartyDocument]
    may_read: Callable[..., bool]
    signed: bool = False


_builders: dict[str, Builder] = {}


def register_builder(
    name: str,
    build: Callable[[int], PartyDocument],
    *,
    may_read: Callable[..., bool],
    signed: bool = False,
) -> None:
    """Make `build(object_id) -> PartyDocument` the way documents of `name` are drawn up.

    `may_read(user, object_id) -> bool` says who may see the document's status and ask for
    it again (the documents views); the download itself is the app's own view. Apps call
    this in their AppConfig.ready().

    `signed=True`: the PDF is digitally signed with the issuing body's certificate
    (signing.py; an organisation's own for a document under its header, Issuer.certificate)
    and carries a verification code and its QR code on the last page, for the public page
    /xac-thuc/<code>/ (verify.py).
    """
    existing = _builders.get(name)
    if existing is not None and existing.build is not build:
        raise ValueError(f"Document builder {name!r} is already registered: {existing!r}")
    _builders[name] = Builder(build=build, may_read=may_read, signed=signed)


def get_builder(name: str) -> Builder:
    try:
        return _builders[name]
    except KeyError:
        raise LookupError(f"No document builder is registered as {name!r}") from None


def _schedule(record: RenderedDocument) -> None:
    side_effects.schedule(
        RENDER,
        key=f"{RENDER}:{record.pk}:{record.revision}",
        document_id=record.pk,
        revision=record.revision,
    )


@transaction.atomic
def request_pdf(
    key: str, *, builder: str, object_id: int, title: str, version: str = ""
) -> RenderedDocument:
    """Ask for the PDF of `builder`'s object `object_id`, in the caller's transaction.

    `version` names the state of the object ("3", its last change's timestamp): asking
    again with the same version returns the record as it is; another version renders
    again. Returns the record (queued when a render was scheduled).
    """
    signed = get_builder(builder).signed  # an unregistered name fails in the caller's request
    record, created = RenderedDocument.objects.select_for_update().get_or_create(
        key=key,
        defaults={"builder": builder, "object_id": object_id, "title": title, "version": version},
    )
    if created:
        if signed:
            record.verification_code = new_verification_code()
            record.save(update_fields=["verification_code"])
        _schedule(record)
        return record
    if record.version == version and record.builder == builder and record.object_id == object_id:
        if record.title != title:
            record.title = title
            record.save(update_fields=["title"])
        return record
    record.builder, record.object_id, record.title, record.version = (
        builder,
        object_id,
        title,
        version,
    )
    if signed and record.verification_code is None:  # rendered before it was signed
        record.verification_code = new_verification_code()
        record.save(update_fields=["verification_code"])
    _requeue(record)
    return record


@transaction.atomic
def pdf_retry(*, record: RenderedDocument) -> RenderedDocument:
    """Queue a failed render again now (the "Thử lại" button); anything else is left."""
    record = RenderedDocument.objects.select_for_update().get(pk=record.pk)
    if record.status == Status.FAILED:
        _requeue(record)
    return record


def _requeue(record: RenderedDocument) -> None:
    record.revision += 1
    record.status = Status.QUEUED
    record.error = ""
    record.requested_at = timezone.now()
    record.started_at = None
    record.save(
        update_fields=[
            "builder",
            "object_id",
            "title",
            "version",
            "revision",
            "status",
            "error",
            "requested_at",
            "started_at",
        ]
    )
    _schedule(record)


# Crockford's base 32: no I, L, O or U, which read as 1, 1, 0 and V.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 random bits: not guessed by trying, short enough to type from paper
SIGNED_TEMPLATE = "documents/signed_document.html"
STAMP_ANCHOR = "signature-stamp"
SIGNATURE_FIELD = "ChuKySo"


def new_verification_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not RenderedDocument.objects.filter(verification_code=code).exists():
            return code


def normalize_code(text: str) -> str | None:
    """The stored form of a typed code ("7kq2 m9xd-4t" → "7KQ2M9XD4T"), or None when it
    cannot be one: case, dashes and spaces do not matter, O reads as 0, I and L as 1."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -.\t")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def verification_url(record: RenderedDocument) -> str:
    return settings.SITE_URL + reverse("verify:document", args=[record.verification_code_display])


def _render_signed(record: RenderedDocument, doc: PartyDocument) -> tuple[bytes, dict]:
    """The signed PDF of a signed builder's document, and what the record keeps of it."""
    import segno

    url = verification_url(record)
    body = doc.issuer.signing_body
    verification = {
        "code": record.verification_code_display,
        "url": url,
        "lookup_url": settings.SITE_URL + reverse("verify:lookup"),
        "qr": segno.make(url, error="m").svg_inline(omitsize=True, border=0),
        "signer": signing.signer_display_name(body),
        "when": signing.local_time(clock.now()),
        "test_certificate": signing.uses_test_certificate(body),
        "stamp_width_mm": signing.STAMP_WIDTH_MM,
        "stamp_height_mm": signing.STAMP_HEIGHT_MM,
    }
    content, placement = pdf.render_pdf_placing(
        SIGNED_TEMPLATE,
        {"doc": doc, "verification": verification},
        STAMP_ANCHOR,
        variant=pdf.ARCHIVAL,
    )
    box, page = (placement.box, placement.page) if placement else (None, -1)
    signed = signing.sign_pdf(
        content,
        field_name=SIGNATURE_FIELD,
        reason=f"Ký ban hành {doc.title}",
        location=doc.issuer.place_name,
        box=box,
        page=page,
        body=body,
    )
    check = signing.validate(signed)
    return signed, {
        "reference": doc.number_line if doc.number is not None else "",
        "dated": doc.day,
        "signed_by": check.signer,
        "signed_at": check.signed_at,
    }


def render_stored(*, document_id: int, revision: int) -> None:
    """The side effect: build, render, store and hash one revision. Safe to run twice.

    Nothing happens when the record is gone, ready, or was asked for again since (another
    revision renders it). Raises after recording the failure, so the side effect retries.
    """
    current = RenderedDocument.objects.filter(pk=document_id, revision=revision)
    record = current.first()
    if record is None or record.status == Status.READY:
        return
    claimed = current.exclude(status=Status.READY).update(
        status=Status.RENDERING, started_at=timezone.now()
    )
    if not claimed:
        return
    stored = ""
    signature = {}
    try:
        builder = get_builder(record.builder)
        doc = builder.build(record.object_id)
        if builder.signed:
            content, signature = _render_signed(record, doc)
        else:
            content = render_pdf(doc, variant=pdf.ARCHIVAL)
        digest = hashlib.sha256(content).hexdigest()
        name = f"documents/{slugify(record.key) or record.pk}-r{revision}-{digest[:12]}.pdf"
        stored = default_storage.save(name, ContentFile(content))
        previous = record.file.name
        done = current.filter(status=Status.RENDERING).update(
            status=Status.READY,
            file=stored,
            size=len(content),
            sha256=digest,
            rendered_version=F("version"),
            error="",
            rendered_at=timezone.now(),
            **signature,
        )
    except Exception as exc:
        if stored:
            default_storage.delete(stored)
        current.update(status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    if not done:  # asked for again while rendering: this file is already stale
        default_storage.delete(stored)
        return
    if previous and previous != stored:
        try:
            default_storage.delete(previous)
        except OSError:  # an old file left behind costs disk space, nothing else
            logger.warning("Could not delete the superseded file %s", previous, exc_info=True)


def file_response(record: RenderedDocument, filename: str | None = None) -> FileResponse:
    """The stored PDF, shown in the browser (inline) under a Vietnamese file name.

    For the app's own download view, after its permission check; 404 unless ready.
    `filename` defaults to the record's title ("Biên bản hội nghị….pdf").
    """
    if record.status != Status.READY or not record.file:
        raise Http404("The document is not ready.")
    return stored_file_response(
        record.file,
        filename=filename or f"{record.title}.pdf",
        content_type="application/pdf",
        as_attachment=False,
    )
