"""A worker killed (SIGKILL) in the middle of a render and of a digest e-mail.

Real `celery -A doluong_dialogue worker` processes, one on the default queue and one on the
documents queue as in production, run on the test's PostgreSQL database and a Redis server of
the test's own. A test hook (tests/worker_hooks) stops the render after it claimed its record
and the digest before it is sent; the test kills both workers' whole process groups, starts
new ones, and finds the PDF stored once and the digest e-mailed once.

The broker hands back a task whose worker died only after the visibility timeout: 3 seconds
here, 15 minutes in production (settings.CELERY_VISIBILITY_TIMEOUT, longer than any task's
hard time limit).
"""

import email
import os
import time
from email import policy
from pathlib import Path

import pytest
from django.db import connection

from conclusions import reminders
from doluong_dialogue import workdays
from doluong_dialogue.documents import RenderedDocument, renders, request_pdf
from doluong_dialogue.models import SideEffect
from petitions.models import Assignment
from tests.broker import celery_using
from tests.petitions.helpers import assigned
from tests.processes import celery_worker, database_url, wait_until, worker_ready
from tests.worker_hooks.apps import HELD_BUILDER, build_minutes

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

VISIBILITY_TIMEOUT = 3


def last_working_day():
    from doluong_dialogue import clock

    day = clock.today()
    while not workdays.is_working_day(day):
        day = day.fromordinal(day.toordinal() - 1)
    return day


def sent_mail(mail_dir: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


def test_a_render_and_a_digest_cut_off_by_a_killed_worker_are_done_once_after_a_restart(
    reference_data, staff, department, redis_server, tmp_path, monkeypatch
):
    monkeypatch.setitem(
        renders._builders,
        HELD_BUILDER,
        renders.Builder(build=build_minutes, may_read=lambda user, pk: False),
    )
    hold_dir = tmp_path / "hold"
    hold_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_hooks.settings",
        "DEBUG": "false",
        "SECRET_KEY": "worker-test-" + "k" * 40,
        "HTTPS": "false",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": redis_server.url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "VAR_DIR": str(tmp_path / "var"),  # e-mail in var/mail
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SIGNING_ALLOW_TEST_CERTIFICATE": "true",
    }
    env.pop("EMAIL_HOST", None)
    held = {**env, "HOLD_DIR": str(hold_dir)}
    mail_dir = tmp_path / "var" / "mail"
    day = last_working_day()
    for number in range(2):
        _petition, assignment = assigned(staff, department, summary=f"Đường xóm số {number}")
        deadline = workdays.add_working_days(day, -(number + 1))
        Assignment.objects.filter(pk=assignment.pk).update(deadline=deadline)

    first = [
        celery_worker("default-1", held, tmp_path, queues="celery"),
        celery_worker("documents-1", held, tmp_path, queues="documents"),
    ]
    second = [
        celery_worker("default-2", env, tmp_path, queues="celery"),
        celery_worker("documents-2", env, tmp_path, queues="documents"),
    ]
    try:
        for worker in first:
            worker.start(ready=worker_ready)
        with celery_using(redis_server.url):
            record = request_pdf(
                "tests.held_minutes:7", builder=HELD_BUILDER, object_id=7, title="Biên bản"
            )
            assert [report.units for report in reminders.reminders_send(on=day)] == [1]
        digest = SideEffect.objects.get(kind=reminders.DIGEST_EMAIL)
        render = SideEffect.objects.get(kind=renders.RENDER)

        # Both are claimed and stopped at the hook: the render has its record "rendering".
        wait_until(lambda: len(list(hold_dir.glob("*.*"))) == 2, "both tasks to reach the hook")
        record.refresh_from_db()
        assert record.status == RenderedDocument.Status.RENDERING
        ours = SideEffect.objects.filter(pk__in=[render.pk, digest.pk])
        assert set(ours.values_list("status", flat=True)) == {"running"}
        time.sleep(VISIBILITY_TIMEOUT + 0.5)
        for worker in first:
            worker.kill()
        assert sent_mail(mail_dir) == []

        for worker in second:
            worker.start(ready=worker_ready)
        wait_until(
            lambda: set(ours.values_list("status", flat=True)) == {"done"},
            "the new workers to finish both",
        )
        # Anything the broker might still hand out again would run now.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        broker = redis_server.client()
        assert broker.llen("celery") == broker.llen("documents") == 0
        assert broker.hlen("unacked") == 0
    finally:
        for worker in first + second:
            worker.stop()
    logs = {worker.name: worker.output() for worker in first + second}
    assert all(not worker.left_behind() for worker in first + second)

    record.refresh_from_db()
    assert record.status == RenderedDocument.Status.READY
    stored = list((tmp_path / "media" / "documents").iterdir())
    assert [path.name for path in stored] == [Path(record.file.name).name]
    assert stored[0].read_bytes().startswith(b"%PDF")
    render.refresh_from_db()
    digest.refresh_from_db()
    assert (render.attempts, digest.attempts) == (2, 2)  # the killed attempt and the one after

    messages = sent_mail(mail_dir)
    assert len(messages) == 1, [message["Subject"] for message in messages]
    assert f"{day:%d/%m/%Y}" in messages[0]["Subject"]
    assert "taken over from a worker that died" in logs["default-2"]
    assert "taken over from a worker that died" in logs["documents-2"]
    print(
        f"\nkilled mid-task: 1 render and 1 digest; after the restart the PDF stored "
        f"{len(stored)} time(s), the digest sent {len(messages)} time(s)"
    )
