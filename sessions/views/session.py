"""A session's page and the changes of its state: edit, announce, postpone, cancel, hold;
the documents kept with it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doluong_dialogue import clock
from doluong_dialogue.downloads import stored_file_response
from doluong_dialogue.rules import RuleError, add_to_form
from sessions import permissions, services
from sessions.forms import (
    AnnounceForm,
    CancelForm,
    OrganisationAnnounceForm,
    PostponeForm,
    SessionForm,
    UploadForm,
)
from sessions.models import Invitation, PreparationStep, SessionAttachment


def session_actions(user, session) -> dict[str, bool]:
    """What the user may do to the session now; its page offers exactly these."""
    plan = permissions.can_plan(user, session)
    paperwork = permissions.can_do_paperwork(user, session)
    return {
        "edit": plan and session.is_being_prepared,
        "agenda": plan and session.agenda_open,
        "announce": paperwork and session.can_be_announced,
        "postpone": paperwork and session.is_being_prepared,
        "cancel": plan and session.is_being_prepared,
        "hold": paperwork and session.can_be_held(on=clock.today()),
        "invite": paperwork and session.is_being_prepared,
        "record": paperwork and session.is_under_way,
        "minutes": paperwork and session.was_held,
        "attach": (paperwork or plan) and session.status != session.Status.ARCHIVED,
        "archive": paperwork and session.status == session.Status.CONCLUDED,
        "forward": paperwork and session.is_organisations and session.was_held,
    }


@login_required
def session_detail(request, pk: int):
    session = permissions.session_for_user(request.user, pk)
    session = (
        type(session)
        .objects.select_related("advisory_unit")
        .prefetch_related(
            "topics",
            "participating_units",
            "attending_units",
            Prefetch(
                "attachments", queryset=SessionAttachment.objects.select_related("uploaded_by")
            ),
        )
        .get(pk=session.pk)
    )
    agenda = list(permissions.visible_agenda(request.user, session))
    steps = {step.step: step for step in session.preparation_steps.select_related("done_by")}
    context = {
        "session": session,
        "agenda": agenda,
        "steps": [
            (value, label, steps.get(value)) for value, label in PreparationStep.Step.choices
        ],
        "invitation": Invitation.objects.filter(session=session).first(),
        "minutes": getattr(session, "minutes", None) if session.was_held else None,
        "actions": session_actions(request.user, session),
        "events": permissions.visible_timeline(request.user, session),
        "upload_form": UploadForm(),
        "today": clock.today(),
    }
    return render(request, "sessions/detail.html", context)


@login_required
def session_edit(request, pk: int):
    session = permissions.session_for_user(request.user, pk, plan=True)
    organisations = [session.organiser] if session.organiser_id else None
    form = SessionForm(
        request.POST or None,
        initial=SessionForm.initial_from(session),
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, data=form.session_data(), actor=request.user)
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Session updated."))
            return redirect("sessions:detail", pk=session.pk)
    return render(request, "sessions/session_form.html", {"form": form, "session": session})


def _action(request, pk, *, form_class, service, success, title, intro="", submit, **lookup):
    session = permissions.session_for_user(request.user, pk, **lookup)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(session=session, actor=request.user, **form.cleaned_data)
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, success)
            return redirect("sessions:detail", pk=session.pk)
    context = {"session": session, "form": form, "title": title, "intro": intro, "submit": submit}
    return render(request, "sessions/action.html", context)


@login_required
def session_announce(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    when = services.when_held((session.held_on - clock.today()).days)
    if session.is_organisations:
        # A dialogue with the organisation's own members: no notice period (plan IV.2).
        form_class = OrganisationAnnounceForm
        rule = _(
            "The organisation tells its own officials and members through its branches; no "
            "minimum notice applies to a dialogue with them."
        )
    else:
        form_class = AnnounceForm
        rule = _(
            "Residents are told at least 7 days before (Luật Tổ chức chính quyền địa phương "
            "2025, Điều 43); a shorter notice needs its reason."
        )
    return _action(
        request,
        pk,
        form_class=form_class,
        service=lambda session, actor, short_notice_reason="": services.session_announce(
            session=session, actor=actor, reason=short_notice_reason
        ),
        success=_("The session is announced."),
        title=_("Announce the session"),
        intro=f"{when}. {rule}",
        submit=_("Announce"),
        paperwork=True,
    )


@login_required
def session_postpone(request, pk: int):
    return _action(
        request,
        pk,
        form_class=PostponeForm,
        service=services.session_postpone,
        success=_("The session is postponed; announce it again for its new date."),
        title=_("Postpone the session"),
        submit=_("Postpone"),
        paperwork=True,
    )


@login_required
def session_cancel(request, pk: int):
    return _action(
        request,
        pk,
        form_class=CancelForm,
        service=services.session_cancel,
        success=_("The session is cancelled."),
        title=_("Cancel the session"),
        submit=_("Cancel the session"),
        plan=True,
    )


@login_required
@require_POST
def session_hold(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    try:
        services.session_hold(session=session, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
        return redirect("sessions:detail", pk=session.pk)
    messages.success(request, _("The session is under way: record what is said."))
    return redirect("sessions:record", pk=session.pk)


@login_required
@require_POST
def session_archive(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    try:
        services.session_archive(session=session, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The session's dossier is archived."))
    return redirect("sessions:detail", pk=session.pk)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    session = permissions.session_for_user(request.user, pk)
    if not session_actions(request.user, session)["attach"]:
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for upload in form.cleaned_data["files"]:
                services.attachment_add(session=session, actor=request.user, upload=upload)
        except RuleError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Documents attached."))
    else:
        for error in form.errors.get("files", []):
            messages.error(request, error)
    return redirect("sessions:detail", pk=session.pk)


@login_required
def attachment_download(request, pk: int):
    attachment = permissions.attachment_for_user(request.user, pk)
    return stored_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


urlpatterns = [
    path("<int:pk>/", session_detail, name="detail"),
    path("<int:pk>/edit/", session_edit, name="edit"),
    path("<int:pk>/announce/", session_announce, name="announce"),
    path("<int:pk>/postpone/", session_postpone, name="postpone"),
    path("<int:pk>/cancel/", session_cancel, name="cancel"),
    path("<int:pk>/hold/", session_hold, name="hold"),
    path("<int:pk>/archive/", session_archive, name="archive"),
    path("<int:pk>/documents/", attachment_upload, name="attach"),
    path("documents/<int:pk>/", attachment_download, name="attachment"),
]
