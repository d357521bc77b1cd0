import logging

from celery import shared_task

from petitions.exports import exports_expire

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def remove_old_exports() -> None:
    """Remove the Excel files of long lists asked for more than a week ago (Celery beat,
    every night)."""
    removed = exports_expire()
    if removed:
        logger.info("Old Excel exports removed: %s", removed)
