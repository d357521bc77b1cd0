import logging

from celery import shared_task

from conclusions.reminders import reminders_send

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def send_reminders() -> None:
    """The daily reminders (Celery beat, 07:00); the e-mails go out as side effects."""
    for report in reminders_send():
        logger.info(
            "Reminders of %s: %s units, %s escalated%s",
            report.day,
            report.units,
            report.escalated,
            " (sent before)" if report.already_done else "",
        )
