import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conclusions.demo import conclusions as conclusions_demo
from conclusions.demo import organisations as organisations_demo
from conclusions.demo import petitions as demo_petitions
from conclusions.demo import reception as reception_demo
from conclusions.demo import reference as petitions_demo
from conclusions.demo import sessions as sessions_demo
from conclusions.demo import surveys as surveys_demo
from conclusions.reminders import reminders_send


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
        # One line by default (./dev serve shows it); what was made with --verbosity 2.
        details = self.stdout if options["verbosity"] >= 2 else None
        petitions_demo.seed_reference(stdout=details)
        demo_petitions.seed_petitions(stdout=details)
        sessions_demo.seed_sessions(stdout=details)
        surveys_demo.seed_surveys(stdout=details)
        conclusions_demo.seed_conclusions(stdout=details)
        reception_demo.seed_reception(stdout=details)
        organisations_demo.seed_organisation_dialogues(stdout=details)
        # This morning's reminders, so that the bells have something in them (once a day).
        reminders_send()
        if options["verbosity"] >= 1:
            password = (
                "the one in DEMO_PASSWORD"
                if os.environ.get("DEMO_PASSWORD")
                else petitions_demo.DEFAULT_DEMO_PASSWORD
            )
            accounts = ", ".join(account[0] for account in petitions_demo.ACCOUNTS)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready (every name is invented). Accounts: {accounts} and "
                    f"quantri (administrator); password: {password}"
                )
            )
