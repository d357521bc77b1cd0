import logging

from celery import shared_task

from conclusions.dossier import dossiers_refresh
from conclusions.reminders import reminders_send
from sessions.surveys import results_pdfs_refresh

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


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def refresh_dossiers() -> None:
    """Make again the survey results whose forms changed, and build again the dossiers whose
    documents changed (Celery beat, every night; a results PDF made tonight joins its
    dossier the next night, or when the dossier's page is opened)."""
    results = results_pdfs_refresh()
    if results:
        logger.info("Survey results made again: %s", results)
    asked = dossiers_refresh()
    if asked:
        logger.info("Dossiers out of date, built again: %s", asked)
