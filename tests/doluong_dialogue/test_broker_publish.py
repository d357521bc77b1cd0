"""Handing work to the broker never holds a web request for more than about a second."""

import time

import pytest

from doluong_dialogue import celery
from doluong_dialogue.tasks import ping
from tests.broker import celery_using, free_port, silent_port


def timed_publish() -> tuple[bool, float]:
    started = time.perf_counter()
    queued = celery.publish(ping, "token")
    return queued, time.perf_counter() - started


@pytest.mark.parametrize("broker", ["refusing", "silent"])
def test_each_attempt_on_a_broker_that_refuses_or_never_answers_gives_up_within_a_second(
    broker, settings
):
    settings.BROKER_RETRY_AFTER = 0  # every call tries the broker
    with silent_port() as silent:
        port = silent if broker == "silent" else free_port()
        with celery_using(f"redis://127.0.0.1:{port}/0"):
            attempts = [timed_publish() for _ in range(3)]
    assert [queued for queued, _seconds in attempts] == [False, False, False]
    assert max(seconds for _queued, seconds in attempts) < 1.0


def test_after_a_failure_the_process_leaves_the_broker_alone_for_a_while(settings, monkeypatch):
    settings.BROKER_RETRY_AFTER = 30
    connections = []
    open_connection = celery.broker_connection

    def counted():
        connections.append(1)
        return open_connection()

    monkeypatch.setattr(celery, "broker_connection", counted)
    with celery_using(f"redis://127.0.0.1:{free_port()}/0"):
        assert timed_publish()[0] is False
        assert timed_publish()[0] is False
        assert len(connections) == 1
        celery._broker_unavailable_until -= 31  # half a minute later
        assert timed_publish()[0] is False
        assert len(connections) == 2
