from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from doluong_dialogue import audit, notifications, redirects, side_effects
from doluong_dialogue.celery import broker_connection, tasks_run_inline
from doluong_dialogue.models import Notification


def _failure(exc: Exception) -> str:
    return f"error: {exc.__class__.__name__}: {exc}"[:300]


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means the database does not answer
        return _failure(exc)
    return "ok"


def _broker_status() -> str:
    if tasks_run_inline():
        return "ok: not configured (tasks run inline)"
    try:
        # Bounded like every broker call made in a request: a hung broker costs about
        # BROKER_REQUEST_TIMEOUT, not the request.
        with broker_connection() as broker:
            broker.ensure_connection(max_retries=0)
    except Exception as exc:  # reported, not fatal: the web app works without the broker
        return _failure(exc)
    return "ok"


def _shows_detail(request) -> bool:
    try:
        return request.user.is_authenticated and request.user.is_staff
    except Exception:  # the session could not be read: the database is down
        return False


def _side_effect_counts() -> dict[str, int] | str:
    try:
        return side_effects.counts()
    except Exception as exc:
        return _failure(exc)


@never_cache
@require_GET
def healthz(request):
    """Database and broker status; 503 only when the database does not answer.

    Anonymous callers (load balancers, monitors) learn ok or error per component; staff
    also see what failed and how many side effects wait or failed.
    """
    database = _database_status()
    broker = _broker_status()
    healthy = database == "ok"
    body = {
        "status": "ok" if healthy else "error",
        "database": database,
        "broker": broker,
    }
    if _shows_detail(request):
        if healthy:
            body["side_effects"] = _side_effect_counts()
    else:
        for component in ("database", "broker"):
            body[component] = "ok" if body[component].startswith("ok") else "error"
    return JsonResponse(body, status=200 if healthy else 503)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a login has failed too often."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own form (AUTH_PASSWORD_VALIDATORS apply), and the change logged in the
    administration log like one made in the admin."""

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.password_changed(user=form.user)
        return response


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, a file)."""
    return redirect(staticfiles_storage.url("favicon.svg"), permanent=True)


# --- The bell --------------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    rows = Notification.objects.filter(user=request.user)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": rows.unread().count(), "total": page.paginator.count},
    )


@login_required
@require_GET
def notification_open(request, pk: int):
    """Open what a notification is about, and mark it read (the user's own only)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.mark_read(request.user, notification.pk)
    return redirects.back_to(request, notification.url, reverse("notifications"))


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.mark_read(request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.",
                "%(count)s notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("notifications")
