import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doluong_dialogue.settings")

app = Celery("doluong_dialogue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """`task.delay_on_commit`, except that a broker that is down (or, with tasks inline, a
    mail server that is) is logged instead of breaking a request whose data is committed.

    The task must be safe to queue again later: it takes ids and claims its work.
    """
    import logging

    from django.db import transaction
    from kombu.exceptions import OperationalError

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except (OperationalError, OSError):
            logging.getLogger(__name__).exception("could not queue %s%s", task.name, args)

    transaction.on_commit(send)
