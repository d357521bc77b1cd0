"""The session's dossier (hồ sơ): one ZIP of its documents with an index sheet (Mục lục hồ
sơ), built by the worker and kept with the session.

It gathers documents of the sessions app and of this one, so it lives in the top app. Each
part is a function `part(session) -> list[DossierFile]` returning the session's stored files
of one kind; the parts below are the documents kept with the session (its plan, as uploaded),
the announcement, the invitations, the final minutes and the conclusion notice, each a ready
PDF. Whatever comes later (the survey results) adds its own with `register_part`.

The ZIP holds the files numbered in order, `00-Muc-luc-ho-so.pdf` (the index: number, title,
number and date, size and SHA-256 of each file) and `SHA256SUMS.txt` to check them with
`sha256sum -c`.

Out of date: the dossier remembers the documents it was built from (`fingerprint`). When
the page is opened and the documents ready now differ (the minutes or the notice of a
changed session made again), it is built again, until the session is archived; after that
it is kept as it is.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from conclusions import effects as conclusion_effects
from conclusions.models import Conclusion, SessionDossier
from doluong_dialogue import clock, side_effects
from doluong_dialogue import documents as d
from doluong_dialogue.rules import RuleError
from sessions import effects as session_effects
from sessions.documents import announcement_pdf, invitation_pdfs, minutes_pdf
from sessions.models import DialogueSession, Invitation, Minutes, Survey
from sessions.surveys import results_pdf

logger = logging.getLogger(__name__)

BUILD = "conclusions.dossier"
Status = SessionDossier.Status


@dataclass(frozen=True)
class DossierFile:
    title: str
    reference: str  # its number and date, as the index lists it
    key: str  # what it is ("sessions.minutes:4", "attachment:12")
    version: str  # changes whenever its content does (a rendered PDF's SHA-256)
    file: object  # the stored FieldFile
    size: int
    extension: str = ".pdf"

    @classmethod
    def of_record(cls, title: str, reference: str, record: d.RenderedDocument) -> DossierFile:
        return cls(title, reference, record.key, record.sha256, record.file, record.size or 0)


Part = Callable[[DialogueSession], list[DossierFile]]
_parts: list[tuple[str, Part]] = []


def register_part(name: str, part: Part) -> None:
    """Add a kind of document to every session's dossier (in the order registered)."""
    if any(existing == name for existing, _part in _parts):
        raise ValueError(f"Dossier part {name!r} is already registered")
    _parts.append((name, part))


def _ready(record) -> bool:
    return record is not None and record.is_ready and bool(record.file)


def _announcement(session: DialogueSession) -> list[DossierFile]:
    record = announcement_pdf(session)
    if not _ready(record):
        return []
    day = session.announced_on or session.held_on
    return [DossierFile.of_record("Thông báo tổ chức hội nghị", f"Ngày {day:%d/%m/%Y}", record)]


def _invitations(session: DialogueSession) -> list[DossierFile]:
    invitation = Invitation.objects.filter(session=session).first()
    if invitation is None or invitation.is_draft:
        return []
    numbers = dict(invitation.invitees.values_list("pk", "number"))
    day = f"ngày {invitation.issued_on:%d/%m/%Y}" if invitation.issued_on else ""
    found = []
    for record in invitation_pdfs(invitation):
        if not _ready(record):
            continue
        number = invitation.number
        if record.key != session_effects.invitation_key(invitation):
            number = numbers.get(record.object_id)
        reference = f"Số {number:02d}-GM, {day}" if number else day.capitalize()
        found.append(DossierFile.of_record(record.title, reference.strip(", "), record))
    return found


def _minutes(session: DialogueSession) -> list[DossierFile]:
    minutes = Minutes.objects.filter(session=session).first()
    if minutes is None or not minutes.is_final:
        return []
    record = minutes_pdf(minutes)
    if not _ready(record):
        return []
    number = f"Số {minutes.number:02d}-BB, " if minutes.number else ""
    reference = f"{number}ngày {session.held_on:%d/%m/%Y}"
    return [DossierFile.of_record("Biên bản hội nghị", reference, record)]


def _notice(session: DialogueSession) -> list[DossierFile]:
    conclusion = Conclusion.objects.filter(session=session).frozen().first()
    if conclusion is None:
        return []
    record = conclusion_effects.notice_record(conclusion)
    if not _ready(record):
        return []
    reference = f"Số {conclusion.number:02d}-TB, ngày {conclusion.signed_on:%d/%m/%Y}"
    return [DossierFile.of_record("Thông báo kết luận", reference, record)]


def _attachments(session: DialogueSession) -> list[DossierFile]:
    """The documents kept with the session (its plan, a report, photographs), as uploaded."""
    found = []
    for attachment in session.attachments.order_by("created_at", "pk"):
        extension = PurePath(attachment.original_name).suffix.lower()[:10]
        found.append(
            DossierFile(
                title=PurePath(attachment.original_name).stem[:120] or "Tài liệu kèm theo",
                reference=f"Lưu ngày {timezone.localdate(attachment.created_at):%d/%m/%Y}",
                key=f"attachment:{attachment.pk}",
                version=f"{attachment.size}:{attachment.file.name}",
                file=attachment.file,
                size=attachment.size,
                extension=extension if re.fullmatch(r"\.[a-z0-9]+", extension) else "",
            )
        )
    return found


def _survey_results(session: DialogueSession) -> list[DossierFile]:
    survey = Survey.objects.filter(session=session).first()
    record = results_pdf(survey) if survey is not None else None
    if not _ready(record):
        return []
    return [DossierFile.of_record("Kết quả lấy ý kiến người tham dự", "", record)]


register_part("attachments", _attachments)
register_part("announcement", _announcement)
register_part("invitations", _invitations)
register_part("minutes", _minutes)
register_part("notice", _notice)
register_part("survey", _survey_results)


def dossier_files(session: DialogueSession) -> list[DossierFile]:
    return [file for _name, part in _parts for file in part(session)]


def fingerprint(files: list[DossierFile]) -> str:
    listed = "\n".join(sorted(f"{file.key}:{file.version}" for file in files))
    return hashlib.sha256(listed.encode()).hexdigest()


def dossier_of(session: DialogueSession) -> SessionDossier | None:
    return SessionDossier.objects.filter(session=session).first()


def may_build(session: DialogueSession, dossier: SessionDossier | None) -> bool:
    """Held sessions only; an archived session's dossier, once built, is kept as it is."""
    if not session.was_held:
        return False
    archived = session.status == DialogueSession.Status.ARCHIVED
    return not (archived and dossier is not None and dossier.is_ready)


@transaction.atomic
def dossier_request(*, session: DialogueSession, actor=None) -> SessionDossier:
    """Build (again) the session's dossier: the "Tạo hồ sơ (ZIP)" button, and a document
    of a session not archived made again. Built by the worker after commit."""
    session = DialogueSession.objects.select_for_update().get(pk=session.pk)
    dossier = SessionDossier.objects.select_for_update().filter(session=session).first()
    if not may_build(session, dossier):
        if not session.was_held:
            raise RuleError(_("The dossier is built once the session has been held."))
        raise RuleError(_("The session is archived: its dossier is kept as it was filed."))
    if dossier is None:
        dossier = SessionDossier.objects.create(session=session, requested_by=actor)
    elif dossier.is_pending:
        return dossier  # already asked for: that build will read the documents as they are
    else:
        dossier.revision += 1
        dossier.status = Status.QUEUED
        dossier.error = ""
        dossier.requested_by = actor
        dossier.requested_at = clock.now()
        dossier.save(update_fields=["revision", "status", "error", "requested_by", "requested_at"])
    side_effects.schedule(
        BUILD,
        key=f"{BUILD}:{dossier.pk}:{dossier.revision}",
        dossier_id=dossier.pk,
        revision=dossier.revision,
    )
    return dossier


def out_of_date(session: DialogueSession, dossier: SessionDossier | None) -> bool:
    """Built from documents that have changed since, and the session is not archived."""
    if dossier is None or not dossier.is_ready:
        return False
    if session.status == DialogueSession.Status.ARCHIVED:
        return False
    return dossier.fingerprint != fingerprint(dossier_files(session))


def dossier_refresh(*, session: DialogueSession, actor=None) -> SessionDossier | None:
    """Build the dossier again when it is out of date (called when its page is opened)."""
    dossier = dossier_of(session)
    if out_of_date(session, dossier):
        return dossier_request(session=session, actor=actor)
    return dossier


def dossiers_refresh() -> int:
    """Build again every dossier whose documents changed, of sessions not archived (every
    night, so that a dossier nobody opened is up to date too); how many were asked for."""
    asked = 0
    dossiers = SessionDossier.objects.filter(status=Status.READY).exclude(
        session__status=DialogueSession.Status.ARCHIVED
    )
    for dossier in dossiers.select_related("session"):
        if out_of_date(dossier.session, dossier):
            dossier_request(session=dossier.session)
            asked += 1
    return asked


# ---------------------------------------------------------------------------- the build


def _file_name(number: int, title: str, extension: str = ".pdf") -> str:
    ascii_title = unicodedata.normalize("NFKD", title.replace("đ", "d").replace("Đ", "D"))
    ascii_title = ascii_title.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:60] or "tai-lieu"
    return f"{number:02d}-{slug}{extension}"


def _grouped(digest: str) -> str:
    """The SHA-256 in groups of 16, so that the index's narrow column can wrap it."""
    return " ".join(digest[i : i + 16] for i in range(0, len(digest), 16))


def index_document(session: DialogueSession, rows: list[tuple[str, ...]]) -> d.PartyDocument:
    return d.PartyDocument(
        code="HS",
        title=f"Mục lục hồ sơ — {session.title}",
        day=clock.today(),
        type_name="MỤC LỤC HỒ SƠ",
        summary=f"{session.title} (ngày {session.held_on:%d/%m/%Y})",
        body=[
            d.Table(
                header=("TT", "Tên tài liệu", "Số, ngày", "Tệp, dung lượng", "SHA-256"),
                rows=tuple(rows),
                widths=(6, 30, 18, 20, 26),
            ),
            d.Paragraph(
                f"Hồ sơ gồm {len(rows)} tài liệu. Mã SHA-256 của từng tệp dùng để kiểm tra "
                "tệp không bị thay đổi (tệp SHA256SUMS.txt kèm theo).",
                indent=False,
            ),
        ],
        signatures=[],
        recipients=None,
        final=True,
    )


def build_zip(session: DialogueSession, files: list[DossierFile]) -> bytes:
    rows = []
    sums = []
    contents = []
    for number, file in enumerate(files, start=1):
        with file.file.open("rb") as stored:
            content = stored.read()
        digest = hashlib.sha256(content).hexdigest()
        name = _file_name(number, file.title, file.extension)
        contents.append((name, content))
        sums.append(f"{digest}  {name}")
        size = filesizeformat(len(content)).replace("\xa0", " ")
        rows.append((str(number), file.title, file.reference, f"{name}, {size}", _grouped(digest)))
    index = d.render_pdf(index_document(session, rows), variant=d.ARCHIVAL)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("00-Muc-luc-ho-so.pdf", index)
        for name, content in contents:
            archive.writestr(name, content)
        archive.writestr("SHA256SUMS.txt", "\n".join(sums) + "\n")
    return buffer.getvalue()


def build_stored(*, dossier_id: int, revision: int) -> None:
    """The side effect: gather, zip and store one revision. Safe to run twice; a revision
    asked for again since is left to the newer one."""
    current = SessionDossier.objects.filter(pk=dossier_id, revision=revision)
    dossier = current.select_related("session").first()
    if dossier is None or dossier.status == Status.READY:
        return
    if not current.exclude(status=Status.READY).update(status=Status.BUILDING):
        return
    stored = ""
    try:
        files = dossier_files(dossier.session)
        content = build_zip(dossier.session, files)
        digest = hashlib.sha256(content).hexdigest()
        name = f"dossiers/ho-so-{dossier.session_id}-r{revision}-{digest[:12]}.zip"
        stored = default_storage.save(name, ContentFile(content))
        previous = dossier.file.name
        done = current.filter(status=Status.BUILDING).update(
            status=Status.READY,
            file=stored,
            size=len(content),
            sha256=digest,
            files_count=len(files),
            fingerprint=fingerprint(files),
            error="",
            built_at=timezone.now(),
        )
    except Exception as exc:
        if stored:
            default_storage.delete(stored)
        current.update(status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    if not done:
        default_storage.delete(stored)
        return
    if previous and previous != stored:
        try:
            default_storage.delete(previous)
        except OSError:
            logger.warning("Could not delete the superseded dossier %s", previous, exc_info=True)
