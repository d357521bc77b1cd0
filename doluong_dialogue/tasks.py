import logging

from celery import shared_task
from django.core.cache import cache

from doluong_dialogue import side_effects

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def ping(token: str) -> None:
    """Leaves a mark in the cache: shows that a worker picks up what the app queues."""
    cache.set(f"celery-ping:{token}", "pong", timeout=60)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def run_side_effect(effect_id: int) -> None:
    """Carry out one recorded side effect; a second delivery of the message does nothing."""
    side_effects.run(effect_id)


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=150)
def sweep_side_effects() -> None:
    """Run what is pending and due, including what could not be queued (Celery beat)."""
    report = side_effects.sweep()
    if report.done or report.retrying or report.failed or report.recovered or report.expired:
        logger.info("Side effect sweep: %s", report)
