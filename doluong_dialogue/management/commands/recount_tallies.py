from django.core.management.base import BaseCommand

from doluong_dialogue import tallies


class Command(BaseCommand):
    help = (
        "Recount the home pages' tallies from the rows they count, correct any difference "
        "(each is logged as a warning) and fold their change rows. Celery beat recounts them "
        "every night."
    )

    def handle(self, *args, **options):
        found = tallies.recount()
        for difference in found:
            self.stdout.write(f"corrected {difference}")
        folded = tallies.compact()
        self.stdout.write(f"{len(found)} keys corrected, {folded} change rows folded.")
