from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doluong_dialogue import backup


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump --format=custom; SQLite: a consistent copy) "
        "and every stored file (local folder or S3-compatible store) into DIR, with a manifest "
        "of SHA-256 hashes. See README.md, 'Backup and restore'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, metavar="DIR")

    def handle(self, *args, to: Path, **options):
        try:
            summary = backup.backup(to=to)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up the {summary.database} database and {summary.files} files "
            f"({summary.size} bytes) to {to}."
        )
