"""The small override the test suite runs with (pytest's DJANGO_SETTINGS_MODULE).

The database and broker still come from the environment, so the same suite runs on
SQLite from a plain checkout and on PostgreSQL and Redis on CI.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("SIGNING_ALLOW_TEST_CERTIFICATE", "true")
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from doluong_dialogue.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline in tests; the broker-backed tests talk to the broker themselves.
CELERY_TASK_ALWAYS_EAGER = True
_default_db = DATABASES["default"]  # noqa: F405
if _default_db["ENGINE"].endswith("sqlite3") and os.environ.get("CELERY_BROKER_URL"):
    # Broker-backed tests start real workers, which cannot see an in-memory database.
    _default_db["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
AXES_FAILURE_LIMIT = 3
# Static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
