import logging
import os
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doluong_dialogue.settings")

app = Celery("doluong_dialogue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# Until when (time.monotonic()) this process leaves a broker that just failed alone.
_broker_unavailable_until = 0.0


def tasks_run_inline() -> bool:
    """No broker configured (or the test settings): tasks run in the calling process."""
    return bool(app.conf.task_always_eager)


def broker_connection():
    """A new broker connection whose every call gives up after BROKER_REQUEST_TIMEOUT.

    For code that runs inside a web request. Celery's pooled connections retry, and a broker
    that accepts the TCP connection but never answers (a paused Redis) would hold the
    request for as long as the retries last.
    """
    from django.conf import settings

    timeout = settings.BROKER_REQUEST_TIMEOUT
    return app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "max_retries": 0,
        },
    )


def publish(task, *args, queue: str | None = None) -> bool:
    """Queue `task(*args)` once (on `queue`, or where the task is routed), within about
    BROKER_REQUEST_TIMEOUT; False if not queued.

    A broker that refuses, dies or hangs is logged, and the process then leaves it alone
    for BROKER_RETRY_AFTER seconds, so that the requests that follow do not each wait on
    it. The caller must be able to lose the message: side effects are recorded in the
    database, and the sweep delivers what was not queued.
    """
    global _broker_unavailable_until
    from django.conf import settings

    if time.monotonic() < _broker_unavailable_until:
        return False
    try:
        with broker_connection() as connection:
            options = {"queue": queue} if queue else {}
            task.apply_async(args=args, connection=connection, retry=False, **options)
    except Exception:  # whatever the transport raises, the message was not queued
        _broker_unavailable_until = time.monotonic() + settings.BROKER_RETRY_AFTER
        logger.warning(
            "Could not queue %s%r; leaving the broker alone for %s s.",
            task.name,
            args,
            settings.BROKER_RETRY_AFTER,
            exc_info=True,
        )
        return False
    return True
