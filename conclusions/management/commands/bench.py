"""Build a province-sized data set on PostgreSQL and measure every main page in one run.

    DEBUG=0 SECRET_KEY=… HTTPS=0 ALLOWED_HOSTS=127.0.0.1 DATABASE_URL=postgres://…/bench \\
        python manage.py bench --petitions 1000000 --label 1m

Loads the invented petitions once (COPY; conclusions.bench.data) and reuses them on the next
run. Then measures: each page of conclusions.bench.pages in-process (p50/p95 over --runs
requests with varied parameters, query counts); the list's throughput under gunicorn
against the floor view; a web worker's memory after 1,000 requests; the Excel export of
100,000 rows, which the worker builds: the request's time, the build's time and memory
(in-process; `--only export` measures it alone). Prints a table and writes
bench/results/<label>.json and .md.
"""

import json
import logging
import os
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from conclusions.bench import data, measure
from conclusions.bench.pages import pages
from petitions.models import Petition

TARGET_MS = 50
THROUGHPUT_TARGET = 0.6
EXPORT_ROWS = 100_000
EXPORT_TARGET_S = 10  # the build, by the worker, while the user's page waits
WORKER_TARGET_MB = 150


class Command(BaseCommand):
    help = "Load a realistic data set (PostgreSQL) and measure every main page."

    def add_arguments(self, parser):
        parser.add_argument("--petitions", type=int, default=200_000)
        parser.add_argument("--runs", type=int, default=50, help="requests per page")
        parser.add_argument(
            "--budget", type=float, default=60, help="seconds per page at most (5 runs at least)"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--label", default="", help="results file name (default: the size)")
        parser.add_argument("--only", default="", help="measure only pages whose label has this")
        parser.add_argument("--no-server", action="store_true", help="skip the gunicorn part")
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "bench" / "results"),
            help="folder of the results",
        )
        parser.add_argument(
            "--force", action="store_true", help="run on a database holding other petitions"
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is on: run with DEBUG=0 for real figures."))
        others = Petition.objects.exclude(created_by__username__startswith="bench_")
        if others.exists() and not options["force"]:
            raise CommandError(
                "This database holds petitions the benchmark did not create: run it on a "
                "database of its own (or pass --force)."
            )
        # One log line per measured request would bury the table; the line costs microseconds.
        logging.getLogger("doluong.request").setLevel(logging.WARNING)
        with translation.override(settings.LANGUAGE_CODE):
            self._run(options)

    def _run(self, options):
        wanted, seed = options["petitions"], options["seed"]
        have = data.loaded()
        if have < wanted:
            self.stdout.write(f"loading {wanted - have:,} petitions (have {have:,}) …")
            started = time.perf_counter()
            data.load(wanted - have, seed=seed + have, out=self.stdout.write)
            load_seconds = round(time.perf_counter() - started, 1)
        else:
            load_seconds = None
            data.users()
            self.stdout.write(f"using the {have:,} petitions already loaded")
        total = Petition.objects.count()
        results = {
            "petitions": total,
            "load_seconds": load_seconds,
            "machine": measure.machine(),
            "date": date.today().isoformat(),
            "pages": [],
        }
        accounts = data.users()
        clients = {name: measure.client_for(user) for name, user in accounts.items()}
        header = f"{'page':44} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for page in pages(seed):
            if options["only"] and options["only"] not in page.label:
                continue
            result = measure.time_page(
                page, clients[page.user], runs=options["runs"], budget=options["budget"]
            )
            results["pages"].append(result.__dict__)
            mark = "" if result.p95_ms <= TARGET_MS else "  > 50 ms"
            self.stdout.write(
                f"{result.label:44} {result.requests:4d} {result.p50_ms:8.1f} "
                f"{result.p95_ms:8.1f} {'/'.join(map(str, result.queries)):>8}{mark}"
            )
            if result.statuses != [200]:
                self.stdout.write(self.style.WARNING(f"  answered {result.statuses}"))
        if not options["only"] or options["only"] in "export":
            results["export"] = self._export(clients["bench_bxd"])
            self.stdout.write(f"export: {results['export']}")
        if not options["no_server"]:
            results["server"] = self._server(clients["bench_bxd"])
        results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        results["machine"]["cpu_probe_ms_after"] = measure.cpu_probe_ms()
        label = options["label"] or f"{total // 1000}k"
        self._write(results, Path(options["output"]), label)

    def _server(self, client) -> dict:
        """Throughput list/floor, worker memory after 1,000+ requests, the export."""
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        server = measure.Server(workers=2)
        try:
            lists = ["/petitions/", "/petitions/?sort=deadline", "/petitions/?page=3"]
            floors = [url.replace("/petitions/", "/bench/floor/") for url in lists]
            for url in lists + floors:  # warm both workers
                measure.get(server.port, url, cookie)
                measure.get(server.port, url, cookie)
            listing = measure.throughput(server.port, lists, cookie, requests=800)
            floor = measure.throughput(server.port, floors, cookie, requests=800)
            ratio = round(listing["per_second"] / floor["per_second"], 2)
            memory = {pid: server.memory_mb(pid) for pid in server.workers()}
            self.stdout.write(
                f"list under gunicorn: {listing['per_second']} req/s, floor "
                f"{floor['per_second']} req/s, ratio {ratio} (target ≥ {THROUGHPUT_TARGET})"
            )
            self.stdout.write(f"workers after 1,600 requests (MB): {memory}")
        finally:
            server.stop()
        return {
            "list": listing,
            "floor": floor,
            "ratio": ratio,
            "worker_memory_mb": memory,
        }

    def _export(self, client) -> dict:
        """The Excel export of the newest petitions, received since the day that keeps them
        at most EXPORT_ROWS (the export's limit): the request, then the worker's build."""
        since = (
            Petition.objects.order_by("-received_on")
            .values_list("received_on", flat=True)[EXPORT_ROWS - 1 : EXPORT_ROWS]
            .first()
        )
        since = since + timedelta(days=1) if since else date(2000, 1, 1)
        return measure.export_job(client, f"/petitions/export/?received_from={since:%d/%m/%Y}")

    def _write(self, results: dict, folder: Path, label: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{label}.json").write_text(
            json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n"
        )
        (folder / f"{label}.md").write_text(markdown(results))
        self.stdout.write(f"written {folder / label}.json and .md")


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"# Benchmark: {results['petitions']:,} petitions ({results['date']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['system']}; "
        f"Python {m['python']}; {m['database']} (shared_buffers {m['shared_buffers']}, "
        f"work_mem {m['work_mem']}, effective_cache_size {m['effective_cache_size']}, "
        f"random_page_cost {m['random_page_cost']}); DEBUG {m['debug']}; commit {m['commit']}.",
        f"Load average (1, 5, 15 min) at the start {m.get('load_average')}, at the end "
        f"{m.get('load_average_after')}: other work shared the two cores. A fixed Python loop "
        f"took {m.get('cpu_probe_ms')} ms at the start, {m.get('cpu_probe_ms_after')} ms at the "
        "end (`measure.cpu_probe_ms`: the same code is slower on a busier host).",
    ]
    if results.get("load_seconds"):
        lines.append(f"Loaded in {results['load_seconds']} s.")
    lines += [
        "",
        "In-process through the full middleware; server time, varied parameters.",
        "",
        "| page | as | requests | p50 ms | p95 ms | queries | p95 ≤ 50 ms |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for page in results["pages"]:
        queries = "/".join(map(str, page["queries"]))
        met = "yes" if page["p95_ms"] <= TARGET_MS else "**no**"
        lines.append(
            f"| {page['label']} | {page['user']} | {page['requests']} | {page['p50_ms']} | "
            f"{page['p95_ms']} | {queries} | {met} |"
        )
    server = results.get("server")
    if server:
        lines += [
            "",
            "Under gunicorn (2 sync workers, 4 client connections):",
            "",
            f"- list {server['list']['per_second']} req/s, floor view "
            f"{server['floor']['per_second']} req/s: ratio **{server['ratio']}** "
            f"(target ≥ {THROUGHPUT_TARGET})",
            f"- web workers after 1,600 requests (MB, VmRSS / peak VmHWM): "
            f"{server['worker_memory_mb']} (target ≤ {WORKER_TARGET_MB})",
        ]
    export = results.get("export")
    if export:
        lines += ["", "The Excel export of a long list, built by the worker (in-process):", ""]
        if "error" in export:
            lines.append(f"- **not measured**: {export['error']}")
        else:
            rows = export["rows"] or 0
            size = export["bytes"] or 0
            lines += [
                f"- the request that asks for it: status {export['request_status']} in "
                f"{export['request_ms']} ms",
                f"- the build of {rows:,} rows: {export['status']}, {size:,} bytes in "
                f"{export['build_seconds']} s (target ≤ {EXPORT_TARGET_S} s); the process's "
                f"memory {export['memory_mb_before']} MB before, peak "
                f"{export['memory_mb_peak']} MB while it ran",
            ]
    return "\n".join(lines) + "\n"
