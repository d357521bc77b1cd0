"""Gunicorn for the web application, behind nginx (deploy/nginx/doluong.conf).

    gunicorn -c deploy/gunicorn.conf.py doluong_dialogue.wsgi

Under systemd (deploy/systemd/doluong-web.service) the listening socket comes from
doluong-web.socket and `bind` is not used; run by hand it listens on GUNICORN_BIND. Every value
can be changed by environment (the unit reads /etc/doluong/doluong.env).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Behind nginx on the same machine; a web node of several listens on its private address
# instead (GUNICORN_BIND=10.0.0.12:8000; see README.md, "Growing to several machines").
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers: the pages are short database work, and nginx buffers slow clients'
# uploads and downloads, so a worker is never held by a slow connection. Two per core plus
# one, as gunicorn advises; documents are rendered by the Celery workers, not here.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# The slowest page is the Excel export written in the request: up to 5,000 rows, about a
# second (a longer list is written by the documents worker, petitions/exports.py). 60 s
# leaves room. nginx waits a little longer (proxy_read_timeout 75s).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# A worker is replaced after about this many requests, the jitter spreading the restarts so
# that the workers never all restart at once: whatever a long-lived process gathers (a large
# export's memory, fragmentation) is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# No access log: the application writes one line per request itself, with the user and the
# time taken ("doluong.request", doluong_dialogue/request_log.py). Errors go to stderr, which
# systemd keeps in the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = True

# The heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# nginx sets X-Forwarded-Proto; Django decides from it (BEHIND_PROXY=true,
# SECURE_PROXY_SSL_HEADER), and gunicorn trusts it only from the local proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No runtime control socket: systemd starts, reloads (HUP) and stops the server.
control_socket_disable = True

proc_name = "doluong-web"
