"""Processes a test starts (Celery workers, beat, gunicorn, an SMTP sink) and ends itself.

Each runs in a session of its own, so that the whole tree (a Celery worker and its pool, a
gunicorn master and its workers) is stopped, or killed, by one signal to its process group,
and the test can check that nothing of it is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

PYTHON = sys.executable
# Safety net so that a broken process fails the test instead of hanging it.
GIVE_UP_AFTER = 90


def wait_until(condition: Callable[[], object], what: str, timeout: float = GIVE_UP_AFTER):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def database_url(db: dict) -> str:
    """The URL of the database `db` (a DATABASES entry), for a process of its own."""
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def pids_in_group(pgid: int) -> list[int]:
    """The live processes of process group `pgid` (zombies waiting for their parent excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            # pid (comm) state ppid pgrp …; comm may hold spaces, so split after its ")".
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


class Service:
    """One command in a process group of its own, its output in `log`."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self, ready: Callable[[Service], bool] | None = None) -> Service:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if ready is not None:
            wait_until(
                lambda: self.process.poll() is not None or ready(self), f"{self.name} to start"
            )
            assert self.process.poll() is None, f"{self.name} ended:\n{self.output()[-3000:]}"
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def pgid(self) -> int:
        return self.process.pid  # the session leader's pid is its group's id

    def kill(self) -> None:
        """SIGKILL to every process of the group: nothing is finished, nothing acknowledged."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGKILL)
        self.process.wait()
        wait_until(lambda: not pids_in_group(self.pgid), f"{self.name} to die", timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM (a warm shutdown), then SIGKILL for whatever of the group is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pgid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while pids_in_group(self.pgid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if pids_in_group(self.pgid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pgid, signal.SIGKILL)
        self.process.wait()

    def left_behind(self) -> list[int]:
        return pids_in_group(self.pgid) if self.process is not None else []


def celery_worker(
    name: str,
    env: dict,
    log_dir: Path,
    *,
    queues: str,
    concurrency: int = 1,
) -> Service:
    """`celery -A doluong_dialogue worker` on `queues`, with the prefork pool of production."""
    command = [PYTHON, "-m", "celery", "-A", "doluong_dialogue", "worker", "--pool", "prefork"]
    command += ["--queues", queues, "--concurrency", str(concurrency)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--loglevel", "INFO", "--hostname", f"{name}-{os.getpid()}@%h"]
    return Service(name, command, env, log_dir)


def worker_ready(service: Service) -> bool:
    return " ready." in service.output()
