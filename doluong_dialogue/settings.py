"""One settings module, driven by environment variables.

With nothing set it runs on the embedded default: SQLite under var/, Celery tasks
executed inline, e-mail written to files under var/mail. Production differs only by
environment (see README.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from doluong_dialogue import objectstore

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
    "doluong_dialogue",
    "doluong_dialogue.documents",
    "petitions",
    "sessions.apps.DialogueSessionsConfig",
    "conclusions",
]

MIDDLEWARE = [
    # First: one line per request, for everything below (doluong_dialogue/request_log.py).
    "doluong_dialogue.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that a locked-out login is answered after authentication ran.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "doluong_dialogue.urls"
WSGI_APPLICATION = "doluong_dialogue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doluong_dialogue.context_processors.site",
                "doluong_dialogue.context_processors.notifications",
                "petitions.context_processors.navigation",
            ],
        },
    },
]
# Django's, with the drop-down lists written out in Python (much faster, the same HTML).
FORM_RENDERER = "doluong_dialogue.forms.Renderer"

# --- Database -------------------------------------------------------------------------
# Embedded default: SQLite under var/. DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the dev server read while a long seed or import writes.
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # The covering indexes (INCLUDE) serve PostgreSQL; SQLite builds them without the extra
    # columns, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Session settings, the same wherever the code runs (no server configuration to copy):
    # - JIT compiles a query whose estimated cost is high, and the capped counts and
    #   searches of a million petitions look costly: 10-50 ms of compiling for queries
    #   that run in a few (measured on the home pages), so it is off;
    # - parallel workers cost more than they save for the list's small, indexed queries
    #   on a two-core server (a common-term search 65 → 45 ms at 200,000 rows);
    # - random_page_cost 1.1 instead of 4 (a disk that seeks): the tables sit in memory or
    #   on SSD, and at 4 the planner scans 870,000 assignments rather than look up the
    #   20,000 a unit has by their index (the inbox figures took 290 ms).
    session = ["-c jit=off", "-c random_page_cost=1.1"]
    if not env_bool("DB_PARALLEL_QUERIES", False):
        session.append("-c max_parallel_workers_per_gather=0")
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", " ".join(session))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins lock a username at an address for a while, and an address alone after
# more failures across usernames (doluong_dialogue/security.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "doluong_dialogue.security.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "doluong_dialogue.security.client_ip"
AXES_LOCKOUT_CALLABLE = "doluong_dialogue.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# The product's catalogue, then its wording of Django's own messages (locale_django/).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Django's vi locale has no input formats: "05/03/2026" must mean 5 March.
FORMAT_MODULE_PATH = ["doluong_dialogue.formats"]

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# --- Shared files (doluong_dialogue/objectstore.py) ------------------------------------------
# Attachments, rendered and signed PDFs, dossiers: local disk under MEDIA_ROOT, or the
# S3-compatible bucket AWS_STORAGE_BUCKET_NAME (with AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY) that every web server and worker shares. Never served by URL:
# downloads go through the views that check permissions.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": objectstore.default_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Cache ----------------------------------------------------------------------------
# The per-address limits of the public lookups, the verification page and the survey form
# count in the cache: with several web processes or servers it must be one Redis for all
# (CACHE_URL, or REDIS_URL), else each process counts alone. Login lockouts (axes) are kept in
# the database, shared in any case.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "doluong"),
            # A cache that hangs costs a request about a second, not a worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------
# Without EMAIL_HOST, mail is written to files under var/mail for a person to read.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Links in e-mails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Đảng ủy xã <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Quản trị", addr) for addr in env_list("ADMIN_EMAILS")]

# --- Digital signature of signed documents (doluong_dialogue/documents/signing.py) -------
# The issuing body's certificate: a PKCS#12 file, or a key on a PKCS#11 token. With neither,
# a test certificate authority and a certificate marked "THỬ NGHIỆM" are made under
# SIGNING_TEST_DIR on first use; `check --deploy` warns about that unless
# SIGNING_ALLOW_TEST_CERTIFICATE says it is meant (a demonstration server).
SIGNING_PKCS12_FILE = os.environ.get("SIGNING_PKCS12_FILE", "")
SIGNING_PKCS12_PASSWORD = os.environ.get("SIGNING_PKCS12_PASSWORD", "")
SIGNING_PKCS11_MODULE = os.environ.get("SIGNING_PKCS11_MODULE", "")
SIGNING_PKCS11_TOKEN = os.environ.get("SIGNING_PKCS11_TOKEN", "")
SIGNING_PKCS11_KEY_LABEL = os.environ.get("SIGNING_PKCS11_KEY_LABEL", "")
SIGNING_PKCS11_PIN = os.environ.get("SIGNING_PKCS11_PIN", "")
# The Front's and the mass organisations' own certificates, for the documents they issue: a
# folder of PKCS#12 files named by the organisation's code (MTTQ.p12, HND.p12, HPN.p12,
# CCB.p12, DTN.p12) opened with one password. Where the committee's certificate is
# configured, an organisation without its file is refused, never signed with the committee's.
SIGNING_ORGANISATIONS_DIR = os.environ.get("SIGNING_ORGANISATIONS_DIR", "")
SIGNING_ORGANISATIONS_PASSWORD = os.environ.get("SIGNING_ORGANISATIONS_PASSWORD", "")
# PEM certificates that the verification page trusts besides the signer's own chain's root.
SIGNING_TRUST_ROOTS_FILE = os.environ.get("SIGNING_TRUST_ROOTS_FILE", "")
SIGNING_TEST_DIR = Path(os.environ.get("SIGNING_TEST_DIR", VAR_DIR / "signing"))
SIGNING_ALLOW_TEST_CERTIFICATE = env_bool("SIGNING_ALLOW_TEST_CERTIFICATE", DEBUG)
# The public verification page: lookups allowed per client address and minute.
VERIFY_LOOKUPS_PER_MINUTE = int(os.environ.get("VERIFY_LOOKUPS_PER_MINUTE", "30"))
# The online survey form (/y-kien/): requests per client address and minute. Attendees in one
# hall may share an address, so it is generous.
SURVEY_REQUESTS_PER_MINUTE = int(os.environ.get("SURVEY_REQUESTS_PER_MINUTE", "60"))

# --- Celery ---------------------------------------------------------------------------
# No broker configured: tasks run inline in the calling process (the in-memory transport
# only stands in so that Celery does not look for a default AMQP server).
INLINE_BROKER_URL = "memory://localhost/"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or INLINE_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == INLINE_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Two queues, each with workers of its own (deploy/celery-*.service): "celery" (Celery's
# default) for e-mails, sweeps and reminders, "documents" for PDF renders and dossiers, which
# take more memory and time and must not hold the e-mails up. Side effects say their queue
# when they are registered (side_effects.register(..., queue=DOCUMENTS_QUEUE)).
CELERY_TASK_DEFAULT_QUEUE = "celery"
DOCUMENTS_QUEUE = "documents"
# A task is acknowledged when it has finished, not when a worker takes it: a worker killed
# mid-task (SIGKILL, the OOM killer, a lost machine) leaves it on the broker, which hands it
# to another worker; a pool process that dies gives it back at once. Every task may thus run
# twice, and is written so (tasks take ids and claim their work; side_effects.run).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker holds only the task it runs: a long render does not sit on messages another
# worker could run.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Per worker process; the systemd units set them per queue (--concurrency, and the same
# variables), these are the defaults of a bare `celery worker`.
CELERY_WORKER_CONCURRENCY = int(os.environ.get("CELERY_WORKER_CONCURRENCY", "2"))
# A pool process that has grown past this (KiB) is replaced after its task: WeasyPrint and
# pyHanko keep caches, and one large dossier should not keep its memory for the day.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(
    os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", "300000")
)
# Redis hands an unacknowledged task to another worker after this many seconds: the time it
# takes for a killed worker's task to be run again. It must be longer than the longest hard
# time limit of any task (360 s, the reminders), or a task still running would be run a
# second time beside it; 15 minutes leaves room.
CELERY_VISIBILITY_TIMEOUT = float(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900"))
# Workers and beat: a broker that vanishes without closing the connection (or hangs) is
# noticed within seconds instead of never.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# No task runs unbounded; tasks that need longer say so where they are defined.
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Web requests hand side effects to the broker on a connection of their own: one attempt,
# every call (connect, read, write) bounded by this many seconds. After a failure the
# process leaves the broker alone for BROKER_RETRY_AFTER seconds; what was not queued is
# run by the sweep below (see doluong_dialogue/side_effects.py).
BROKER_REQUEST_TIMEOUT = float(os.environ.get("BROKER_REQUEST_TIMEOUT", "0.5"))
BROKER_RETRY_AFTER = float(os.environ.get("BROKER_RETRY_AFTER", "30"))
CELERY_BEAT_SCHEDULE = {
    # One sweep per queue, run by that queue's workers: a render the sweep finds is made
    # by a documents worker, not in the middle of the e-mails.
    "side-effects-sweep": {
        "task": "doluong_dialogue.tasks.sweep_side_effects",
        "schedule": 60.0,
        "args": [CELERY_TASK_DEFAULT_QUEUE],
        # A sweep that waited a minute in the queue is superseded by the next one.
        "options": {"expires": 55, "queue": CELERY_TASK_DEFAULT_QUEUE},
    },
    "side-effects-sweep-documents": {
        "task": "doluong_dialogue.tasks.sweep_side_effects",
        "schedule": 60.0,
        "args": [DOCUMENTS_QUEUE],
        "options": {"expires": 55, "queue": DOCUMENTS_QUEUE},
    },
    # The calendar of days off may change outside the admin (a data migration, a new release
    # of `holidays`): recount the open deadlines every night; it moves only what changed.
    # What each unit has due and overdue, at the start of the working day.
    "reminders": {
        "task": "conclusions.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "dossiers-refresh": {
        "task": "conclusions.tasks.refresh_dossiers",
        "schedule": crontab(hour=1, minute=0),
    },
    "deadlines-recount": {
        "task": "doluong_dialogue.tasks.recount_deadlines",
        "schedule": crontab(hour=0, minute=30),
    },
    # The Excel files of long petition lists are kept a week (petitions/exports.py).
    "petition-exports-remove": {
        "task": "petitions.tasks.remove_old_exports",
        "schedule": crontab(hour=1, minute=30),
    },
    # The home pages' counters (doluong_dialogue/tallies.py): their change rows folded into
    # one per key, and every night recounted from the rows they count.
    "tallies-compact": {
        "task": "doluong_dialogue.tasks.compact_tallies",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
    "tallies-recount": {
        "task": "doluong_dialogue.tasks.recount_tallies",
        "schedule": crontab(hour=1, minute=45),
    },
}

# --- Security -------------------------------------------------------------------------
# Production (DEBUG off) is HTTPS-only unless explicitly told it sits behind plain HTTP.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a reverse proxy, the client is the address the proxy adds to X-Forwarded-For.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
# Content-Security-Policy: nothing inline, nothing from elsewhere. Bootstrap draws its form
# icons with data: SVG images; JSON data blocks (json_script) are not scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per request (request_log.py); WARNING keeps only the 5xx.
        "doluong.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # With tasks inline every task would log "succeeded" in the calling process (288
        # lines for seed_demo); failures are still logged at ERROR.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
