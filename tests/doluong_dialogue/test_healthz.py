import time

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from doluong_dialogue.models import SideEffect
from tests.broker import celery_using, free_port, silent_port
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    staff_client = Client()
    staff_client.force_login(UserFactory(username="quantri_test", is_staff=True))
    return staff_client


def test_anonymous_callers_learn_only_ok_or_error_per_component(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_staff_see_that_tasks_run_inline_and_how_many_side_effects_wait_or_failed(staff_client):
    SideEffect.objects.create(kind="tests.note", key="a", status=SideEffect.Status.FAILED)
    SideEffect.objects.create(kind="tests.note", key="b")
    body = staff_client.get("/healthz").json()
    assert body["broker"] == "ok: not configured (tasks run inline)"
    assert body["side_effects"] == {"pending": 1, "running": 0, "failed": 1}


def test_a_broker_that_is_down_is_reported_but_not_fatal_and_not_explained_to_strangers(
    client, staff_client
):
    with celery_using(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "broker": "error"}
        detail = staff_client.get("/healthz").json()["broker"]
    assert detail.startswith("error: OperationalError")


def test_healthz_answers_within_a_second_when_the_broker_never_answers(client):
    with silent_port() as port, celery_using(f"redis://127.0.0.1:{port}/0"):
        started = time.perf_counter()
        response = client.get("/healthz")
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.json()["broker"] == "error"
    assert elapsed < 1.5


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused by db.internal:5432")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "ok"}


@pytest.mark.broker
def test_healthz_reaches_the_real_broker(client):
    import os

    with celery_using(os.environ["CELERY_BROKER_URL"]):
        assert client.get("/healthz").json()["broker"] == "ok"


@pytest.mark.broker
def test_healthz_answers_quickly_and_says_little_while_the_broker_is_paused(client, redis_server):
    with celery_using(redis_server.url):
        assert client.get("/healthz").json()["broker"] == "ok"
        redis_server.pause()
        started = time.perf_counter()
        response = client.get("/healthz")
        elapsed = time.perf_counter() - started
        redis_server.resume()
        assert client.get("/healthz").json()["broker"] == "ok"
    assert elapsed < 1.5
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "error"}
