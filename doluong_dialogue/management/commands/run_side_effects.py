from django.core.management.base import BaseCommand

from doluong_dialogue import side_effects


class Command(BaseCommand):
    help = (
        "Run the side effects (e-mails, renders) that are pending and due, and return those "
        "whose worker stopped to pending. Celery beat runs the same sweep every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--budget",
            type=float,
            default=side_effects.SWEEP_BUDGET,
            help="Stop starting effects after this many seconds (default %(default)s).",
        )

    def handle(self, *args, budget: float, **options):
        report = side_effects.sweep(budget=budget)
        self.stdout.write(f"Side effects: {report}.")
        counts = side_effects.counts()
        self.stdout.write(
            f"Now pending {counts['pending']}, running {counts['running']}, "
            f"failed {counts['failed']}."
        )
