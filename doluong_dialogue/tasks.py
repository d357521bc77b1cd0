import logging

from celery import shared_task
from django.core.cache import cache

from doluong_dialogue import deadlines, side_effects, tallies

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def ping(token: str) -> None:
    """Leaves a mark in the cache: shows that a worker picks up what the app queues."""
    cache.set(f"celery-ping:{token}", "pong", timeout=60)


def _run_delivered(request, effect_id: int) -> None:
    redelivered = bool((request.delivery_info or {}).get("redelivered"))
    side_effects.run(effect_id, claimant=request.id or "", taking_over=redelivered)


@shared_task(bind=True, ignore_result=True, soft_time_limit=60, time_limit=90)
def run_side_effect(self, effect_id: int) -> None:
    """Carry out one recorded side effect; a second delivery of the message does nothing,
    unless the first one's worker died while running it: then it is done now."""
    _run_delivered(self.request, effect_id)


@shared_task(bind=True, ignore_result=True, soft_time_limit=300, time_limit=360)
def run_long_side_effect(self, effect_id: int) -> None:
    """`run_side_effect` for the kinds registered `long=True` (a workbook of 100,000 rows
    takes 20 to 60 seconds). Its hard limit stays within side_effects.LEASE and the
    broker's visibility timeout, so that it is never taken for a dead worker's."""
    _run_delivered(self.request, effect_id)


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=150)
def sweep_side_effects(queue: str | None = None) -> None:
    """Run what is pending and due, including what could not be queued (Celery beat, once
    per queue, on that queue)."""
    report = side_effects.sweep(queue=queue)
    if report.done or report.retrying or report.failed or report.recovered or report.expired:
        logger.info("Side effect sweep: %s", report)


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def recount_deadlines() -> None:
    """Recount the open deadlines counted in working days (Celery beat, every night)."""
    moved = deadlines.deadlines_recompute()
    if moved:
        logger.info("Deadlines recounted: %s moved with the calendar of days off.", moved)
        # Each moved deadline left two change rows in the tallies: fold them now rather
        # than let the home pages sum them until the next compaction.
        tallies.compact()


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def compact_tallies() -> None:
    """Fold the change rows of the home pages' tallies (Celery beat, every 10 minutes)."""
    tallies.compact()


@shared_task(ignore_result=True, soft_time_limit=600, time_limit=660)
def recount_tallies() -> None:
    """Recount the tallies from their rows and repair any difference, and the copies kept
    by triggers, each logged as a warning (Celery beat, every night)."""
    tallies.recount()
    tallies.repair_copies()
