"""Assignment e-mails while the broker is stopped, killed or paused.

Real assign requests go through the Django test client while a Redis server of the test's
own fails; then the broker comes back, a real Celery worker and the sweep deliver, and the
e-mails written by the worker and by the sweep are counted: each request stays quick and
every assignment is e-mailed exactly once.
"""

import contextlib
import email
import os
import subprocess
import sys
import threading
import time
from email import policy
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from doluong_dialogue import celery, side_effects
from doluong_dialogue.models import SideEffect
from doluong_dialogue.tasks import sweep_side_effects
from petitions.models import Assignment, Department
from petitions.permissions import Role
from tests.broker import celery_using
from tests.factories import UserFactory
from tests.petitions.helpers import classified

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

REQUESTS = 12
SLOWEST_ALLOWED = 1.5  # seconds for one assign request, whatever the broker does
# Safety net so that a broken worker fails the test instead of hanging it; not a speed check.
GIVE_UP_AFTER = 90


def database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        assert "memory" not in name, "a worker cannot share an in-memory database"
        return f"sqlite:///{Path(name).resolve()}"
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + GIVE_UP_AFTER
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


@contextlib.contextmanager
def celery_worker(broker_url: str, var_dir: Path):
    """`celery -A doluong_dialogue worker` on the test database, writing e-mail to files."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "doluong_dialogue.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "VAR_DIR": str(var_dir),  # e-mail goes to VAR_DIR/mail
    }
    env.pop("EMAIL_HOST", None)
    command = [sys.executable, "-m", "celery", "-A", "doluong_dialogue", "worker"]
    command += ["--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--loglevel", "INFO", "--hostname", f"faults-{os.getpid()}@%h"]
    log_path = var_dir / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(
            lambda: "ready." in log_path.read_text() or worker.poll() is not None,
            "the worker to start",
        )
        assert worker.poll() is None, log_path.read_text()
        yield worker
    finally:
        worker.terminate()  # warm shutdown: the task at hand is finished first
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def queue_is_drained(redis_server) -> bool:
    """Nothing waits in the queue and every message taken was acknowledged (run)."""
    broker = redis_server.client()
    running = SideEffect.objects.filter(status=SideEffect.Status.RUNNING).exists()
    return broker.llen("celery") == 0 and broker.hlen("unacked") == 0 and not running


def subjects_in(mail_dir: Path) -> list[str]:
    """The subject of every e-mail the file backend wrote, in any process."""
    subjects = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                subjects.append(email.message_from_bytes(chunk, policy=policy.default)["Subject"])
    return subjects


@pytest.mark.parametrize("fault", ["stopped", "killed", "paused"])
def test_every_assignment_email_is_sent_once_and_no_request_waits_on_a_failing_broker(
    fault, reference_data, client, redis_server, settings, tmp_path
):
    mail_dir = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir  # the sweep run here writes where the worker does
    department = Department.objects.get(name="Phòng Kinh tế")
    department.email = "kinhte@doluong.example"
    department.save()
    staff = UserFactory(username="bxd_faults", roles=[Role.PARTY_BUILDING])
    petitions = [classified(staff) for _ in range(REQUESTS)]
    client.force_login(staff)
    # A warm server, as in production: the first request of a process loads what it needs
    # (catalogues, templates), which is not what is measured here.
    assert client.get(f"/petitions/{petitions[0].pk}/assign/").status_code == 200

    # A third of the requests are made while the broker works (stopped: none of them).
    fault_at = 0 if fault == "stopped" else REQUESTS // 3
    durations = []
    with celery_using(redis_server.url):
        for n, petition in enumerate(petitions):
            if n == fault_at:
                if fault == "stopped":
                    redis_server.stop()
                elif fault == "killed":  # while this request is being made
                    threading.Thread(target=redis_server.kill).start()
                else:
                    redis_server.pause()
            started = time.perf_counter()
            response = client.post(
                f"/petitions/{petition.pk}/assign/", {"department": department.pk}
            )
            durations.append(time.perf_counter() - started)
            assert response.status_code == 302

        # The broker comes back: a worker takes what is still queued, then the sweep runs
        # the rest, twice at once: through the worker (as Celery beat would) and here.
        if fault == "paused":
            redis_server.resume()
        else:
            redis_server.start()
        with celery_worker(redis_server.url, tmp_path):
            wait_until(lambda: queue_is_drained(redis_server), "the worker to drain the queue")
            by_worker = SideEffect.objects.filter(status=SideEffect.Status.DONE).count()
            celery.publish(sweep_side_effects)
            side_effects.sweep()
            wait_until(
                lambda: not SideEffect.objects.exclude(status=SideEffect.Status.DONE).exists(),
                "every side effect to be done",
            )
            wait_until(lambda: queue_is_drained(redis_server), "the sweep task to finish")

    assignments = Assignment.objects.filter(petition__in=petitions).select_related("petition")
    expected = sorted(a.petition.code for a in assignments)
    sent = subjects_in(mail_dir)
    mailed = sorted(code for subject in sent for code in expected if code in subject)
    lost = sorted(set(expected) - set(mailed))
    duplicated = len(mailed) - len(set(mailed))
    print(
        f"\nbroker {fault}: {len(durations)} assign requests, slowest {max(durations):.3f} s, "
        f"median {sorted(durations)[len(durations) // 2]:.3f} s; "
        f"{len(sent)} e-mails for {len(expected)} assignments "
        f"({by_worker} from the queue, the rest by the sweep), "
        f"lost {len(lost)}, duplicated {duplicated}"
    )
    assert len(expected) == REQUESTS
    assert max(durations) < SLOWEST_ALLOWED
    assert lost == []
    assert duplicated == 0
    assert len(sent) == REQUESTS
