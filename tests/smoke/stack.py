"""The production stack on 127.0.0.1, started for one test and stopped after it.

A PostgreSQL database of its own (created, migrated, seeded with the demo data, dropped), a
Redis server of its own (tests/broker.py) for the broker and the cache, an S3-compatible server
with a bucket for every file (moto, tests/objectstore.py), an SMTP sink (aiosmtpd, writing a
maildir), two
gunicorn nodes on two free ports, one Celery worker on both queues and Celery beat, with the
production settings (DEBUG off) and plain HTTP on loopback (HTTPS=false).
"""

from __future__ import annotations

import contextlib
import mailbox
import os
import uuid
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from pathlib import Path

import dj_database_url
import psycopg
import requests

from tests.broker import RedisServer, free_port
from tests.objectstore import Bucket, S3Server
from tests.processes import PYTHON, Service, celery_worker, database_url, worker_ready

DEMO_PASSWORD = "smoke-" + uuid.uuid4().hex[:12]


@dataclass
class Stack:
    root: Path
    env: dict
    nodes: list[str] = field(default_factory=list)  # the two gunicorn nodes' base URLs
    services: list[Service] = field(default_factory=list)
    maildir: Path | None = None
    bucket: Bucket | None = None
    redis: RedisServer | None = None

    def manage(self, *args: str, timeout: float = 180) -> str:
        """`python manage.py …` with the stack's environment; its output."""
        import subprocess

        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=Path(__file__).resolve().parents[2],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def mail_subjects(self) -> list[str]:
        """The subject of every message the SMTP sink received so far."""
        box = mailbox.Maildir(self.maildir, create=False)
        return [str(make_header(decode_header(message["Subject"] or ""))) for message in box]

    def left_behind(self) -> list[str]:
        """What is still running of what the stack started."""
        left = [service.name for service in self.services if service.left_behind()]
        for name, process in (("redis", self.redis.process), ("s3", self.bucket.server.process)):
            if process is not None and process.poll() is None:
                left.append(name)
        return left


@contextlib.contextmanager
def object_store():
    """An S3-compatible server (moto, tests/objectstore.py) with a bucket for the stack's files."""
    server = S3Server()
    server.start()
    try:
        yield Bucket(server, server.new_bucket())
    finally:
        server.close()


def _admin_connection(url: str):
    params = dj_database_url.parse(url)
    return psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )


@contextlib.contextmanager
def database(base_url: str):
    """A fresh PostgreSQL database of the stack's own, dropped afterwards; its URL."""
    name = f"smoke_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _admin_connection(base_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        # A throw-away database: commits need not wait for the disk.
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    db = dj_database_url.parse(base_url)
    db["NAME"] = name
    try:
        yield database_url(db)
    finally:
        with _admin_connection(base_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _serves(base: str) -> bool:
    with contextlib.suppress(requests.RequestException):
        return requests.get(f"{base}/healthz", timeout=2).status_code < 500
    return False


@contextlib.contextmanager
def running_stack(root: Path, say):
    """Start everything, yield the Stack, stop everything (and check nothing is left)."""
    redis_server = RedisServer()
    redis_server.start()
    stack = None
    try:
        with database(os.environ["DATABASE_URL"]) as db_url, object_store() as bucket:
            smtp_port = free_port()
            maildir = root / "maildir"
            env = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("EMAIL_", "PYTEST_", "DJANGO_SETTINGS"))
            }
            env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "doluong_dialogue.settings",
                    "DEBUG": "false",
                    "SECRET_KEY": "smoke-" + uuid.uuid4().hex * 2,
                    "ALLOWED_HOSTS": "127.0.0.1",
                    # Production settings, but plain HTTP on loopback: no redirect to
                    # HTTPS, cookies not marked Secure (settings.HTTPS).
                    "HTTPS": "false",
                    "DATABASE_URL": db_url,
                    "CELERY_BROKER_URL": redis_server.url,
                    # One cache for both nodes: the per-address limits count once.
                    "CACHE_URL": redis_server.url.rsplit("/", 1)[0] + "/1",
                    "EMAIL_HOST": "127.0.0.1",
                    "EMAIL_PORT": str(smtp_port),
                    "EMAIL_USE_TLS": "false",
                    "VAR_DIR": str(root / "var"),
                    "SIGNING_ALLOW_TEST_CERTIFICATE": "true",
                    "DEMO_PASSWORD": DEMO_PASSWORD,
                    "LOG_LEVEL": "WARNING",
                    # Every file in the bucket, shared by the nodes and the worker.
                    **bucket.server.environ(bucket.name),
                }
            )
            stack = Stack(root=root, env=env, maildir=maildir, bucket=bucket, redis=redis_server)
            ports = [free_port(), free_port()]
            stack.nodes = [f"http://127.0.0.1:{port}" for port in ports]
            env["SITE_URL"] = stack.nodes[0]

            # The static files are gathered while the database is made: they need no database.
            static = Service(
                "collectstatic",
                [PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
                env,
                root,
            ).start()
            stack.manage("migrate", "--no-input", "--verbosity", "0")
            # The demo data queues its e-mails and renders on the broker: the worker does them
            # while the journey runs.
            stack.manage("seed_demo", "--force", "--verbosity", "0")
            assert static.process.wait(timeout=180) == 0, static.output()
            say("database migrated and seeded with the demo data, static files collected")

            smtp = Service(
                "smtp",
                [
                    PYTHON,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{smtp_port}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(maildir),
                ],
                env,
                root,
            )
            stack.services.append(smtp)
            smtp.start(ready=lambda s: (maildir / "new").exists())
            for name, port in zip(("node-a", "node-b"), ports, strict=True):
                node = Service(
                    name,
                    [
                        PYTHON,
                        "-m",
                        "gunicorn",
                        "doluong_dialogue.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--timeout",
                        "60",
                    ],
                    env,
                    root,
                )
                stack.services.append(node)
                node.start()
            worker = celery_worker("worker", env, root, queues="celery,documents", concurrency=2)
            stack.services.append(worker)
            worker.start()
            beat = Service(
                "beat",
                [
                    PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "doluong_dialogue",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--schedule",
                    str(root / "celerybeat-schedule"),
                ],
                env,
                root,
            )
            stack.services.append(beat)
            beat.start()
            from tests.processes import wait_until

            for node, base in zip(stack.services[1:3], stack.nodes, strict=True):
                wait_until(
                    lambda b=base, n=node: n.process.poll() is not None or _serves(b),
                    f"{node.name} to serve",
                )
                assert node.process.poll() is None, node.output()[-3000:]
            wait_until(
                lambda: worker.process.poll() is not None or worker_ready(worker),
                "the worker to start",
            )
            assert worker.process.poll() is None, worker.output()[-3000:]
            say(
                f"started: nodes {', '.join(stack.nodes)}, a worker on both queues, beat, "
                f"an SMTP sink on {smtp_port}, Redis on {redis_server.port}"
            )
            try:
                yield stack
            finally:
                for service in reversed(stack.services):
                    service.stop()
    finally:
        redis_server.close()
