import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class DoLuongDialogueConfig(AppConfig):
    name = "doluong_dialogue"
    verbose_name = _("General configuration")

    def ready(self) -> None:
        if settings.CELERY_BROKER_URL == settings.INLINE_BROKER_URL:
            logger.info("CELERY_BROKER_URL is not set: background tasks run inline.")
