from django.core.management.base import BaseCommand

from doluong_dialogue import tallies


class Command(BaseCommand):
    help = (
        "Recount the home pages' tallies from the rows they count, correct any difference "
        "(each is logged as a warning), repair the columns triggers copy from other rows and "
        "fold the tallies' change rows. Celery beat recounts them "
        "every night."
    )

    def handle(self, *args, **options):
        found = tallies.recount()
        for difference in found:
            self.stdout.write(f"corrected {difference}")
        repaired = tallies.repair_copies()
        folded = tallies.compact()
        self.stdout.write(
            f"{len(found)} keys corrected, {repaired} copied rows repaired, "
            f"{folded} change rows folded."
        )
