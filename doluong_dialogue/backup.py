"""Backup and restore of the whole system: the database and every stored file.

    backup(to=Path("/srv/backup/2026-11-30"))     # manage.py backup --to DIR
    restore(source=Path("/srv/backup/2026-11-30"))  # manage.py restore --from DIR

A backup is a folder:

    manifest.json      what is in it: the database's engine and file, every stored file's
                       name, size and SHA-256, and the SHA-256 of the database file
    database.dump      PostgreSQL: `pg_dump --format=custom` (restored by pg_restore)
    database.sqlite3   SQLite: a consistent copy made by SQLite's online backup
    files/<storage>/<name>
                       every file of every storage in settings.STORAGES but the static files
                       ("default": attachments, rendered and signed documents, dossiers),
                       whatever it is: a local folder or an S3-compatible object store, read
                       and written through Django's storage API

Restoring checks every hash of the manifest first and changes nothing when one is wrong; then
replaces the database's content with the backup's and writes every file back under its own
name, checking each hash once more. Files stored since the backup are left where they are.
Stop the web and worker processes while restoring: a process that keeps a connection to the
database or writes a file meanwhile would mix two states.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.db import connections
from django.utils import timezone

FORMAT = 1
STATIC = "staticfiles"  # collected from the code, not data: not backed up
MANIFEST = "manifest.json"
FILES = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    database: str
    files: int
    size: int


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Stored files ---------------------------------------------------------------------------


def storage_aliases() -> list[str]:
    """The storages that hold data: every one in settings.STORAGES but the static files."""
    return [alias for alias in settings.STORAGES if alias != STATIC]


def stored_names(storage: Storage | None = None, folder: str = "") -> list[str]:
    """Every file's name in the storage, folders walked (sorted, "/"-separated)."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose folder was never made: no files yet
        return []
    names = [str(PurePosixPath(folder, name)) if folder else name for name in files]
    for sub in folders:
        names += stored_names(storage, str(PurePosixPath(folder, sub)) if folder else sub)
    return sorted(names)


def _safe_path(root: Path, name: str) -> Path:
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise BackupError(f"A stored file's name leaves the backup folder: {name!r}")
    return path


def _copy_out(storage: Storage, name: str, target: Path) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as source, open(target, "wb") as out:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _copy_in(storage: Storage, name: str, source: Path) -> None:
    if storage.exists(name):
        storage.delete(name)
    with open(source, "rb") as handle:
        saved = storage.save(name, File(handle, name=PurePosixPath(name).name))
    if saved != name:
        raise BackupError(f"The storage kept {name!r} as {saved!r}.")


# --- The database ---------------------------------------------------------------------------


def _engine(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backing up a {engine} database is not supported.")


def _pg_arguments(settings_dict: dict) -> tuple[list[str], dict]:
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [option, str(settings_dict[key])]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _sqlite_connection(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def _dump_database(folder: Path, alias: str) -> dict:
    engine = _engine(alias)
    if engine == "postgresql":
        settings_dict = connections[alias].settings_dict
        target = folder / "database.dump"
        arguments, environment = _pg_arguments(settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *arguments,
                "--file",
                str(target),
                settings_dict["NAME"],
            ],
            environment,
        )
    else:
        target = folder / "database.sqlite3"
        copy = sqlite3.connect(target)
        try:
            _sqlite_connection(alias).backup(copy)
        finally:
            copy.close()
    return {"engine": engine, "file": target.name, "sha256": _sha256_of(target)}


def _restore_database(folder: Path, database: dict, alias: str) -> None:
    engine = _engine(alias)
    if engine != database["engine"]:
        raise BackupError(
            f"The backup holds a {database['engine']} database; this one is {engine}."
        )
    source = folder / database["file"]
    if engine == "postgresql":
        settings_dict = connections[alias].settings_dict
        connections[alias].close()
        arguments, environment = _pg_arguments(settings_dict)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                "--dbname",
                settings_dict["NAME"],
                str(source),
            ],
            environment,
        )
    else:
        backup = sqlite3.connect(source)
        try:
            backup.backup(_sqlite_connection(alias))
        finally:
            backup.close()
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


# --- Backup and restore ---------------------------------------------------------------------


def backup(*, to: Path, alias: str = "default") -> Summary:
    """Write a backup of the database and of every stored file into the folder `to` (made if
    missing; refused if it holds a backup already)."""
    folder = Path(to)
    if (folder / MANIFEST).exists():
        raise BackupError(f"{folder} holds a backup already.")
    folder.mkdir(parents=True, exist_ok=True)
    database = _dump_database(folder, alias)
    files = []
    for storage_alias in storage_aliases():
        storage = storages[storage_alias]
        root = folder / FILES / storage_alias
        for name in stored_names(storage):
            entry = _copy_out(storage, name, _safe_path(root, name))
            files.append({"storage": storage_alias, **entry})
    manifest = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(),
        "database": database,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return Summary(
        database=database["engine"],
        files=len(files),
        size=sum(entry["size"] for entry in files),
    )


def read_manifest(folder: Path) -> dict:
    """The manifest of the backup in `folder`, after checking every file's SHA-256."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} holds no readable {MANIFEST}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    database = manifest["database"]
    if _sha256_of(folder / database["file"]) != database["sha256"]:
        raise BackupError(f"{database['file']} is damaged: its SHA-256 is not the manifest's.")
    unknown = {entry["storage"] for entry in manifest["files"]} - set(storage_aliases())
    if unknown:
        raise BackupError(f"The backup holds files of storages not configured: {unknown}.")
    for entry in manifest["files"]:
        path = _safe_path(folder / FILES / entry["storage"], entry["name"])
        if not path.is_file() or _sha256_of(path) != entry["sha256"]:
            raise BackupError(f"{entry['name']} is missing or damaged in the backup.")
    return manifest


def restore(*, source: Path, alias: str = "default") -> Summary:
    """Put the database and the stored files back as the backup in `source` holds them."""
    folder = Path(source)
    manifest = read_manifest(folder)
    _restore_database(folder, manifest["database"], alias)
    for entry in manifest["files"]:
        storage = storages[entry["storage"]]
        _copy_in(
            storage, entry["name"], _safe_path(folder / FILES / entry["storage"], entry["name"])
        )
        with storage.open(entry["name"], "rb") as restored:
            digest = hashlib.sha256()
            for chunk in restored.chunks(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"{entry['name']} was not stored back intact.")
    return Summary(
        database=manifest["database"]["engine"],
        files=len(manifest["files"]),
        size=sum(entry["size"] for entry in manifest["files"]),
    )
