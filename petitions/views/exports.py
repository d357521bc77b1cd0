"""The Excel files of long petition lists, built by a worker (petitions/exports.py): the page
that waits for one and offers it, its download, and the user's recent ones. Each is its
requester's alone."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse

from doluong_dialogue import clock
from doluong_dialogue.downloads import stored_file_response
from petitions import exports, permissions
from petitions.models import PetitionExport

# The page reloads itself this often while the file is being built (no script needed).
REFRESH_SECONDS = 3
RECENT = 20


def _list_url(export: PetitionExport) -> str:
    url = reverse("petitions:list")
    return f"{url}?{export.query}" if export.query else url


@login_required
def export_job(request, pk: int):
    export = permissions.export_for_user(request.user, pk)
    # Still not built long after it was asked for: its worker is gone; stop reloading.
    stalled = export.is_pending and export.created_at < clock.now() - exports.STALE_AFTER
    context = {
        "export": export,
        "stalled": stalled,
        "list_url": _list_url(export),
        "refresh_seconds": REFRESH_SECONDS,
        "keep_days": exports.KEEP_FOR.days,
    }
    return render(request, "petitions/export.html", context)


@login_required
def export_file(request, pk: int):
    export = permissions.export_for_user(request.user, pk)
    if not export.is_ready:
        return redirect("petitions:export_job", export.pk)
    return stored_file_response(
        export.file, filename=exports.file_name(export), content_type=exports.CONTENT_TYPE
    )


@login_required
def export_list(request):
    recent = PetitionExport.objects.filter(requested_by=request.user).defer("error")[:RECENT]
    context = {
        "exports": [(export, _list_url(export)) for export in recent],
        "recent": RECENT,
        "keep_days": exports.KEEP_FOR.days,
    }
    return render(request, "petitions/exports.html", context)


urlpatterns = [
    path("exports/", export_list, name="exports"),
    path("exports/<int:pk>/", export_job, name="export_job"),
    path("exports/<int:pk>/file/", export_file, name="export_file"),
]
