"""PDFs rendered by a worker and stored, through the durable side effects.

An app asks for a document's PDF inside the transaction that changed it::

    documents.request_pdf(f"sessions.minutes:{minutes.pk}", builder="sessions.minutes",
                          object_id=minutes.pk, title="Biên bản hội nghị …",
                          version=str(minutes.revision))

That records (or updates) a RenderedDocument and schedules the "documents.render" side
effect; after commit a worker calls the registered builder with the object id, renders the
PartyDocument it returns, stores the PDF in the default storage with its SHA-256 and marks
the record ready. Asking again with the same version does nothing; with another version the
record goes back to queued (its old file is no longer offered) and renders again.

A render that fails marks the record failed with the error, and the side effect retries
it later by itself; `pdf_retry` (the "Thử lại" button) queues it again at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import slugify

from doluong_dialogue import side_effects
from doluong_dialogue.documents.content import PartyDocument
from doluong_dialogue.documents.models import RenderedDocument
from doluong_dialogue.documents.pdf import render_pdf

logger = logging.getLogger(__name__)

Status = RenderedDocument.Status
RENDER = "documents.render"


@dataclass(frozen=True)
class Builder:
    build: Callable[[int], PartyDocument]
    may_read: Callable[..., bool]


_builders: dict[str, Builder] = {}


def register_builder(
    name: str, build: Callable[[int], PartyDocument], *, may_read: Callable[..., bool]
) -> None:
    """Make `build(object_id) -> PartyDocument` the way documents of `name` are drawn up.

    `may_read(user, object_id) -> bool` says who may see the document's status and ask for
    it again (the documents views); the download itself is the app's own view. Apps call
    this in their AppConfig.ready().
    """
    existing = _builders.get(name)
    if existing is not None and existing.build is not build:
        raise ValueError(f"Document builder {name!r} is already registered: {existing!r}")
    _builders[name] = Builder(build=build, may_read=may_read)


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
    get_builder(builder)  # a name that was never registered fails in the caller's request
    record, created = RenderedDocument.objects.select_for_update().get_or_create(
        key=key,
        defaults={"builder": builder, "object_id": object_id, "title": title, "version": version},
    )
    if created:
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
    try:
        content = render_pdf(get_builder(record.builder).build(record.object_id))
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
    name = filename or f"{record.title}.pdf"
    response = FileResponse(
        record.file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
