"""Brokers a test can break: a Redis server of its own, and a port that never answers.

Never the machine's Redis on 6379: each server here listens on a free port, keeps nothing on
disk and is ended by its own pid.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time

import redis

from doluong_dialogue import celery


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5, socket_connect_timeout=5)

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--loglevel", "warning"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(200):
            with contextlib.suppress(redis.ConnectionError):
                self.client().ping()
                return
            time.sleep(0.025)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """A clean shutdown: the port refuses connections afterwards."""
        self.process.terminate()
        self.process.wait()

    def kill(self) -> None:
        """SIGKILL: open connections are reset, queued messages are gone."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted by the kernel, nothing ever answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def silent_port():
    """A TCP port that accepts connections (the kernel does) and never answers: a hung broker."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


@contextlib.contextmanager
def celery_using(url: str):
    """Celery publishing to `url` instead of running tasks inline, with no back-off pending."""
    saved = {key: celery.app.conf[key] for key in ("task_always_eager", "broker_url")}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    celery.app.conf.update(task_always_eager=False, broker_url=url)
    os.environ["CELERY_BROKER_URL"] = url  # Celery reads it before its own setting
    celery._broker_unavailable_until = 0.0
    try:
        yield
    finally:
        celery.app.conf.update(saved)
        if saved_env is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        celery._broker_unavailable_until = 0.0
