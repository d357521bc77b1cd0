"""A session's dossier (hồ sơ): its page with the documents it holds, the "Tạo hồ sơ (ZIP)"
button for those who do the session's paperwork, and the download (conclusions/dossier.py).

Those who read everything see and download it; a unit's members, who may see the session,
are refused (403); a session the user may not see is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conclusions import dossier as dossiers
from doluong_dialogue.downloads import stored_file_response
from doluong_dialogue.rules import RuleError
from petitions import permissions as petition_permissions
from sessions import permissions as session_permissions


def _session(user, pk: int, *, build: bool = False):
    session = session_permissions.session_for_user(user, pk)
    if not petition_permissions.can_read_everything(user):
        raise PermissionDenied
    if build and not session_permissions.can_do_paperwork(user, session):
        raise PermissionDenied
    return session


@login_required
def dossier_page(request, pk: int):
    session = _session(request.user, pk)
    can_build = session_permissions.can_do_paperwork(request.user, session)
    if can_build:
        found = dossiers.dossier_refresh(session=session, actor=request.user)
        stale = False
    else:
        found = dossiers.dossier_of(session)
        stale = dossiers.out_of_date(session, found)
    context = {
        "session": session,
        "dossier": found,
        "files": dossiers.dossier_files(session),
        "stale": stale,
        "can_build": can_build and dossiers.may_build(session, found),
        "archived": session.status == session.Status.ARCHIVED,
    }
    return render(request, "conclusions/dossier.html", context)


@login_required
@require_POST
def dossier_build(request, pk: int):
    session = _session(request.user, pk, build=True)
    try:
        found = dossiers.dossier_request(session=session, actor=request.user)
    except RuleError as refusal:
        messages.error(request, refusal.message)
    else:
        found.refresh_from_db()  # built already when the worker runs inline
        if found.is_ready:
            messages.success(request, _("The dossier is ready."))
        else:
            messages.success(
                request, _("The dossier is being built; this page shows it when ready.")
            )
    return redirect("conclusions:dossier", pk=session.pk)


@login_required
def dossier_download(request, pk: int):
    session = _session(request.user, pk)
    found = dossiers.dossier_of(session)
    if found is None or not found.is_ready or not found.file:
        raise Http404("The dossier is not ready.")
    return stored_file_response(
        found.file,
        filename=f"ho-so-hoi-nghi-{session.held_on:%Y%m%d}.zip",
        content_type="application/zip",
    )


urlpatterns = [
    path("session/<int:pk>/dossier/", dossier_page, name="dossier"),
    path("session/<int:pk>/dossier/build/", dossier_build, name="dossier_build"),
    path("session/<int:pk>/ho-so.zip", dossier_download, name="dossier_zip"),
]
