"""Uploaded lists between the preview and the confirmation.

An upload whose preview has no errors becomes an `ImportBatch` row, with the file kept in
the default storage under the batch's random token. Its uploader confirms it (once: see
`planning.commit`, which claims the row in the import's own transaction) or cancels it;
the file is deleted either way once that is committed. Uploads nobody confirmed are
deleted with their files after a day.
"""

import contextlib
import hashlib
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions import services
from petitions.importing.reader import ImportFileError
from petitions.models import Department, ImportBatch

UPLOAD_DIR = "imports"
# An upload nobody confirmed is deleted after this long.
STALE_AFTER = timedelta(days=1)
# Uploads a user may leave waiting; the oldest is cancelled first.
MAX_PENDING = 5


class BatchNotPending(services.InvalidTransition):
    """The batch was imported or cancelled already: by a second click, a retry, or another
    tab. `batch` is the row as it now stands."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        if batch.status == ImportBatch.Status.IMPORTED:
            when = timezone.localtime(batch.imported_at)
            message = _("This list was already imported on %(date)s at %(time)s.") % {
                "date": f"{when:%d/%m/%Y}",
                "time": f"{when:%H:%M}",
            }
        else:
            message = _("This import was cancelled; nothing was imported from it.")
        super().__init__(message)


def lock(batch: ImportBatch) -> ImportBatch:
    """The batch row, locked until the end of the transaction, if it is still pending."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise BatchNotPending(batch)
    return batch


def delete_file_on_commit(batch: ImportBatch) -> None:
    """Forget the stored file once the batch's new state is committed."""
    path = batch.file_path
    batch.file_path = ""
    if path:
        transaction.on_commit(lambda: default_storage.delete(path))


def import_batch_create(
    *,
    data: bytes,
    file_name: str,
    uploaded_by: User,
    channel: str,
    received_on: date | None,
    submitted_by: Department | None,
) -> ImportBatch:
    """Keep an upload and the options chosen with it until its uploader confirms it."""
    import_batches_purge()
    batch = ImportBatch(
        uploaded_by=uploaded_by,
        original_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        channel=channel,
        received_on=received_on,
        submitted_by=submitted_by,
    )
    batch.file_path = default_storage.save(f"{UPLOAD_DIR}/{batch.token}.xlsx", ContentFile(data))
    try:
        waiting = ImportBatch.objects.filter(
            uploaded_by=uploaded_by, status=ImportBatch.Status.PENDING
        ).order_by("-created_at", "-id")
        for old in waiting[MAX_PENDING - 1 :]:
            with contextlib.suppress(BatchNotPending):  # confirmed meanwhile
                import_batch_cancel(batch=old)
        batch.save()
    except Exception:
        default_storage.delete(batch.file_path)
        raise
    return batch


def import_batch_file(batch: ImportBatch) -> bytes:
    """The stored upload; `ImportFileError` when it is gone."""
    try:
        with default_storage.open(batch.file_path, "rb") as stored:
            return stored.read()
    except (FileNotFoundError, OSError, ValueError) as missing:
        raise ImportFileError(
            _("The uploaded file is no longer stored. Upload the list again.")
        ) from missing


@transaction.atomic
def import_batch_cancel(*, batch: ImportBatch) -> ImportBatch:
    """Cancel a pending upload and delete its file; `BatchNotPending` if it is too late."""
    batch = lock(batch)
    batch.status = ImportBatch.Status.CANCELLED
    delete_file_on_commit(batch)
    batch.save(update_fields=["status", "file_path"])
    return batch


def import_batches_purge(*, now: datetime | None = None) -> int:
    """Delete, with their files, the uploads nobody confirmed within `STALE_AFTER`, and any
    old file in the upload folder that no waiting upload owns (an interrupted upload)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = {batch.pk: batch.file_path for batch in ImportBatch.objects.unconfirmed_before(cutoff)}
    for path in stale.values():
        if path:
            default_storage.delete(path)
    if stale:
        ImportBatch.objects.filter(pk__in=stale).exclude(
            status=ImportBatch.Status.IMPORTED
        ).delete()
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
        old_files = {
            path
            for path in (f"{UPLOAD_DIR}/{name}" for name in files)
            if default_storage.get_modified_time(path) < cutoff
        }
    except (FileNotFoundError, NotImplementedError, OSError):
        old_files = set()
    if old_files:
        owned = ImportBatch.objects.filter(file_path__in=old_files).values_list(
            "file_path", flat=True
        )
        for path in old_files - set(owned):
            default_storage.delete(path)
    return len(stale)
