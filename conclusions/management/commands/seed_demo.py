from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conclusions.demo import petitions as demo_petitions
from conclusions.demo import reference as petitions_demo
from conclusions.demo import sessions as sessions_demo


class Command(BaseCommand):
    help = "Build an invented but realistic commune to try every screen with (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Demo data would mix with real "
                "petitions. Use --force only on a throw-away database."
            )
        self.stdout.write("Seeding demo data (all names are invented)…")
        petitions_demo.seed_reference(stdout=self.stdout)
        demo_petitions.seed_petitions(stdout=self.stdout)
        sessions_demo.seed_sessions(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Accounts: {', '.join(a[0] for a in petitions_demo.ACCOUNTS)}"
                f" and quantri (administrator), password from DEMO_PASSWORD or "
                f"'{petitions_demo.DEFAULT_DEMO_PASSWORD}'."
            )
        )
