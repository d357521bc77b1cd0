from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doluong_dialogue import backup


class Command(BaseCommand):
    help = (
        "Restore the database and the stored files from a backup made by `manage.py backup`: "
        "every SHA-256 of the manifest is checked first, then the database's content is "
        "replaced and every file written back. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path, metavar="DIR")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, source: Path, interactive: bool, **options):
        try:
            manifest = backup.read_manifest(source)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if interactive:
            answer = input(
                f"This replaces everything in the database with the backup made at "
                f"{manifest['made_at']} and writes back {len(manifest['files'])} files.\n"
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            summary = backup.restore(source=source)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {summary.database} database and {summary.files} files "
            f"({summary.size} bytes) from {source}."
        )
