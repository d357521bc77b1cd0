"""Timing the pages: in-process through the full middleware, and under gunicorn.

In-process: django.test.Client as each account, every request through every middleware;
server time without the network, and the number of queries of each request (counted by
an execute wrapper, which costs nothing measurable).

Under gunicorn (2 sync workers, as deployed): 4 client connections request the list, then
the floor view (conclusions.bench.floor); then one worker's memory; then the export.
"""

import http.client
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

from .pages import Page

HOST = "127.0.0.1"


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the p95 of 50 requests is the 48th fastest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class PageResult:
    label: str
    user: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: list[int]  # the distinct query counts seen
    issue_row: str = ""
    statuses: list[int] = field(default_factory=list)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def client_for(user) -> Client:
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return client


def time_page(page: Page, client: Client, *, runs: int, budget: float) -> PageResult:
    """`runs` requests cycling through the page's URLs, fewer if they take over `budget`
    seconds (at least 5)."""
    for url in page.urls[:2]:  # warm the caches and the connection
        client.get(url, secure=True)
    times, counts, statuses = [], set(), set()
    started = time.perf_counter()
    for n in range(runs):
        url = page.urls[n % len(page.urls)]
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            begin = time.perf_counter()
            response = client.get(url, secure=True)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - begin) * 1000)
        counts.add(counter.count)
        statuses.add(response.status_code)
        if n >= 4 and time.perf_counter() - started > budget:
            break
    return PageResult(
        label=page.label,
        user=page.user,
        requests=len(times),
        p50_ms=round(statistics.median(times), 1),
        p95_ms=round(percentile(times, 0.95), 1),
        max_ms=round(max(times), 1),
        queries=sorted(counts),
        issue_row=page.issue_row,
        statuses=sorted(statuses),
    )


# --- gunicorn -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers serving conclusions.bench.wsgi."""

    def __init__(self, workers: int = 2):
        self.port = _free_port()
        env = {
            **os.environ,
            "BEHIND_PROXY": "1",
            "DJANGO_SETTINGS_MODULE": "doluong_dialogue.settings",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "conclusions.bench.wsgi:application",
                f"--workers={workers}",
                f"--bind={HOST}:{self.port}",
                "--log-level=warning",
                "--timeout=120",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        for _ in range(200):
            try:
                with socket.create_connection((HOST, self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.0)  # let both workers boot

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    @staticmethod
    def memory_mb(pid: int) -> dict[str, float]:
        """VmRSS now and VmHWM (the peak) of a process, in MB."""
        fields = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _sep, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = round(int(value.split()[0]) / 1024, 1)
        return fields

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def export_job(client: Client, url: str) -> dict:
    """A long list's Excel export (petitions/exports.py), its two halves apart.

    The request, in-process, records the export and its side effect; what it hands over after
    commit is held back, so that the time is the request's, as with a broker (with none the
    file would be built inline, in the request). Then the worker's half, run here: the time
    to build and store the file, and the peak memory of this process while it ran (its
    high-water mark is reset first: /proc/self/clear_refs).
    """
    from doluong_dialogue import side_effects
    from petitions import exports
    from petitions.models import PetitionExport

    client.get(url.replace("/export/", "/"), secure=True)  # warm the caches: the same filters
    handed: list[int] = []
    hand_over, direct_limit = side_effects._hand_over, exports.DIRECT_LIMIT
    side_effects._hand_over = lambda effect_id, kind: handed.append(effect_id)
    exports.DIRECT_LIMIT = 0  # the worker's path, however few the rows
    try:
        begin = time.perf_counter()
        response = client.get(url, secure=True)
        request_ms = round((time.perf_counter() - begin) * 1000, 1)
    finally:
        side_effects._hand_over, exports.DIRECT_LIMIT = hand_over, direct_limit
    result = {"request_status": response.status_code, "request_ms": request_ms}
    if len(handed) != 1:
        return {**result, "error": f"{len(handed)} side effects recorded"}
    pid = os.getpid()
    try:
        Path("/proc/self/clear_refs").write_text("5")
        peak_reset = True
    except OSError:
        peak_reset = False
    before = Server.memory_mb(pid)
    begin = time.perf_counter()
    outcome = side_effects.run(handed[0])
    build_seconds = round(time.perf_counter() - begin, 2)
    after = Server.memory_mb(pid)
    export = PetitionExport.objects.order_by("-pk").first()
    result.update(
        outcome=str(outcome),
        status=export.status,
        rows=export.rows,
        bytes=export.size,
        build_seconds=build_seconds,
        memory_mb_before=before.get("VmRSS"),
        memory_mb_peak=after.get("VmHWM") if peak_reset else None,
    )
    if export.file:
        export.file.delete(save=False)
    export.delete()
    return result


def get(port: int, url: str, cookie: str) -> tuple[int, int]:
    """(status, bytes) of one request on a new connection, as a proxy would send it."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.request(
        "GET",
        url,
        headers={
            "Host": HOST,
            "Cookie": cookie,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
        },
    )
    response = conn.getresponse()
    size = 0
    while chunk := response.read(65536):
        size += len(chunk)
    conn.close()
    return response.status, size


def throughput(port: int, urls: list[str], cookie: str, *, requests: int, connections: int = 4):
    """Requests per second of `requests` requests over `connections` parallel connections."""
    lock = threading.Lock()
    state = {"next": 0, "errors": 0}

    def worker():
        while True:
            with lock:
                n = state["next"]
                state["next"] += 1
            if n >= requests:
                return
            status, _size = get(port, urls[n % len(urls)], cookie)
            if status != 200:
                with lock:
                    state["errors"] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": requests,
        "seconds": round(elapsed, 2),
        "per_second": round(requests / elapsed, 1),
        "errors": state["errors"],
    }


# --- The machine --------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    description = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "debug": settings.DEBUG,
        # Other work on the machine while measuring (1, 5, 15 minutes).
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpu_probe_ms": cpu_probe_ms(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        description["database"] = cursor.fetchone()[0].split(" on ")[0]
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost"):
            cursor.execute(f"SHOW {name}")
            description[name] = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    description["commit"] = commit
    return description


def cpu_probe_ms() -> float:
    """The best of five runs of a fixed loop of Python: on a shared host, how fast a core
    was while measuring (a run's every figure moves with it), to compare runs by."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)
