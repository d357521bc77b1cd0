import logging
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doluong_dialogue.settings")

application = get_wsgi_application()

# Said once per web process, where it matters: a request that queues work runs it itself.
# (Not in AppConfig.ready, which every management command and runserver's reloader run too.)
if settings.CELERY_BROKER_URL == settings.INLINE_BROKER_URL:
    logging.getLogger(__name__).info("CELERY_BROKER_URL is not set: background tasks run inline.")
