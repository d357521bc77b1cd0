"""A backup restores the whole system: after the database and the file storage are wiped,
`manage.py restore` brings back every petition and its events, the conclusion and its signed
notice, whose PDF has the same SHA-256 and a signature still valid. A damaged backup is
refused before anything is touched.

On PostgreSQL (DATABASE_URL=postgres://…) the backup is a real pg_dump and the restore a real
pg_restore; on SQLite it is SQLite's own online copy."""

import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from conclusions import effects, services
from conclusions.models import Conclusion, Directive
from doluong_dialogue import backup
from doluong_dialogue.documents import RenderedDocument, signing
from petitions.models import Assignment, Petition, PetitionEvent
from tests.conclusions.helpers import submitted

pytestmark = pytest.mark.django_db(transaction=True)

KEPT = [Petition, PetitionEvent, Assignment, Conclusion, Directive, RenderedDocument]


@pytest.fixture
def signed_notice(
    reference_data, staff, office, secretary, clock, department, django_capture_on_commit_callbacks
) -> RenderedDocument:
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    record = effects.notice_record(conclusion)
    assert record.status == RenderedDocument.Status.READY
    return record


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in KEPT}


def stored_files() -> dict[str, str]:
    hashes = {}
    for name in backup.stored_names():
        with default_storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def wipe_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for (table,) in cursor.fetchall():
            if not table.startswith("sqlite_"):
                cursor.execute(f'DROP TABLE "{table}"')
        cursor.execute("PRAGMA foreign_keys = ON")


def wipe_storage() -> None:
    for name in backup.stored_names():
        default_storage.delete(name)


def test_a_backup_restores_every_petition_event_and_signed_pdf_after_a_wipe(
    signed_notice, tmp_path
):
    before, files = snapshot(), stored_files()
    assert len(before["Petition"]) == 2 and len(before["PetitionEvent"]) >= 6
    assert files[signed_notice.file.name] == signed_notice.sha256

    call_command("backup", "--to", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == files

    wipe_database()
    wipe_storage()
    with pytest.raises(Exception):  # noqa: B017 - the tables are gone, whatever the engine
        Petition.objects.count()
    connection.close()  # the failed query left PostgreSQL's transaction aborted
    assert backup.stored_names() == []

    call_command("restore", "--from", str(tmp_path / "backup"), "--no-input")

    assert snapshot() == before
    assert stored_files() == files
    record = RenderedDocument.objects.get(pk=signed_notice.pk)
    with record.file.open("rb") as restored:
        content = restored.read()
    assert hashlib.sha256(content).hexdigest() == signed_notice.sha256 == record.sha256
    check = signing.validate(content)
    assert check.valid and check.intact and check.trusted, check.message


def test_a_damaged_backup_is_refused_and_nothing_is_changed(signed_notice, tmp_path):
    folder = tmp_path / "backup"
    backup.backup(to=folder)
    stored = folder / "files" / "default" / signed_notice.file.name
    damaged = bytearray(stored.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    stored.write_bytes(bytes(damaged))
    Petition.objects.update(summary="Sửa sau khi sao lưu")

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", "--from", str(folder), "--no-input")
    assert set(Petition.objects.values_list("summary", flat=True)) == {"Sửa sau khi sao lưu"}


def test_a_folder_holding_a_backup_is_not_written_over(signed_notice, tmp_path):
    backup.backup(to=tmp_path)
    with pytest.raises(CommandError, match="holds a backup already"):
        call_command("backup", "--to", str(tmp_path))


@pytest.mark.postgres
def test_on_postgresql_the_database_is_a_pg_dump_archive(signed_notice, tmp_path):
    import subprocess

    summary = backup.backup(to=tmp_path)
    assert summary.database == "postgresql"
    dump = tmp_path / "database.dump"
    assert dump.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public petitions_petition" in listing


def test_restoring_over_a_changed_database_puts_back_the_backups_state(signed_notice, tmp_path):
    before, files = snapshot(), stored_files()
    backup.backup(to=tmp_path)
    Petition.objects.update(summary="Sửa sau khi sao lưu")
    PetitionEvent.objects.all()[:1].get().delete()
    with default_storage.open(signed_notice.file.name, "wb") as overwritten:
        overwritten.write(b"not the signed notice")

    backup.restore(source=tmp_path)

    assert snapshot() == before
    assert stored_files() == files


def test_files_on_local_disk_in_several_storages_come_back_under_their_names(
    reference_data, settings, tmp_path
):
    """The production default is a folder on disk; a deployment may add storages of its own:
    each is backed up but the static files, and each file restored under its own name."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    written = {
        ("default", "attachments/2026/11/Đơn kiến nghị xóm Yên Thịnh.pdf"): b"%PDF-1.7 a",
        ("default", "documents/thong-bao-r1.pdf"): b"%PDF-1.7 b",
        ("private", "imports/danh-sach.xlsx"): b"PK\x03\x04",
    }
    for (alias, name), content in written.items():
        assert storages[alias].save(name, ContentFile(content)) == name

    backup.backup(to=tmp_path / "backup")
    for alias, name in written:
        storages[alias].delete(name)
    assert backup.stored_names(storages["default"]) == []
    backup.restore(source=tmp_path / "backup")

    for (alias, name), content in written.items():
        with storages[alias].open(name, "rb") as restored:
            assert restored.read() == content
    assert "staticfiles" not in {
        entry["storage"]
        for entry in json.loads((tmp_path / "backup" / "manifest.json").read_text())["files"]
    }
