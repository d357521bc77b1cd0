from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means the database does not answer
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_status() -> str:
    if settings.CELERY_BROKER_URL == settings.INLINE_BROKER_URL:
        return "not configured (tasks run inline)"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # reported, not fatal: the web app works without the broker
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Database and broker status; 503 only when the database does not answer."""
    database = _database_status()
    body = {"database": database, "broker": _broker_status()}
    body["status"] = "ok" if database == "ok" else "error"
    return JsonResponse(body, status=200 if database == "ok" else 503)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a login has failed too often."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, a file)."""
    return redirect(staticfiles_storage.url("favicon.svg"), permanent=True)
