import os
import time
import uuid

import pytest
from django.core.cache import cache

from doluong_dialogue.celery import app
from doluong_dialogue.tasks import ping


def test_without_a_broker_tasks_run_inline(settings):
    token = uuid.uuid4().hex
    ping.delay(token)
    assert cache.get(f"celery-ping:{token}") == "pong"


@pytest.mark.broker
def test_a_task_queued_on_the_broker_runs_on_a_worker():
    from celery.contrib.testing.worker import start_worker

    token = uuid.uuid4().hex
    app.conf.update(task_always_eager=False, broker_url=os.environ["CELERY_BROKER_URL"])
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            ping.delay(token)
            deadline = time.monotonic() + 15
            while cache.get(f"celery-ping:{token}") is None and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        app.conf.update(task_always_eager=True)
    assert cache.get(f"celery-ping:{token}") == "pong"
