from django.core.management.base import BaseCommand

from doluong_dialogue.deadlines import deadlines_recompute


class Command(BaseCommand):
    help = (
        "Recount the open deadlines counted in working days after the calendar of days off "
        "changed; each item moved says so on its timeline. Celery beat runs it every night."
    )

    def handle(self, *args, **options):
        moved = deadlines_recompute()
        self.stdout.write(f"{moved} deadlines moved.")
