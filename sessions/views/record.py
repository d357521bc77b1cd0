"""The secretary's page at the session: attendance, and each speaker with what they raised and
the answer given. What is typed is never lost: the page keeps it on the device and sends it as
it goes (static/js/session-record.js); a speech sent twice updates one row."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doluong_dialogue.rules import RuleError, add_to_form
from sessions import permissions, services
from sessions.forms import AttendanceForm, SpeechForm


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _agenda(request, session):
    return list(permissions.visible_agenda(request.user, session))


def _context(request, session, *, speech_form=None, attendance_form=None) -> dict:
    agenda = _agenda(request, session)
    return {
        "session": session,
        "agenda": agenda,
        "speeches": session.speeches.select_related("petition", "agenda_item__petition"),
        "speech_form": speech_form
        or SpeechForm(agenda=agenda, organisations=session.is_organisations),
        "attendance_form": attendance_form
        or AttendanceForm(
            initial={
                "attendance": session.attendance,
                "units": list(session.attending_units.values_list("pk", flat=True)),
            }
        ),
        "save_url": reverse("sessions:speech_save", args=[session.pk]),
    }


@login_required
def record(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    if not session.is_under_way:
        messages.info(request, _("What is said is recorded while the session is being held."))
        return redirect("sessions:detail", pk=session.pk)
    return render(request, "sessions/record.html", _context(request, session))


@login_required
@require_POST
def attendance(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_record(
                session=session,
                actor=request.user,
                attendance=form.cleaned_data["attendance"],
                units=form.cleaned_data["units"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("sessions:record", pk=session.pk)
    return render(request, "sessions/record.html", _context(request, session, attendance_form=form))


@login_required
@require_POST
def speech_save(request, pk: int):
    """Save one speech: JSON for the page's script (which keeps what could not be sent), a
    redirect for a plain form."""
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    agenda = _agenda(request, session)
    form = SpeechForm(request.POST, agenda=agenda, organisations=session.is_organisations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            speech, created = services.speech_save(
                session=session,
                actor=request.user,
                client_id=data["client_id"],
                data=services.SpeechData(
                    speaker=data["speaker"],
                    speaker_from=data["speaker_from"],
                    raised=data["raised"],
                    agenda_item=form.agenda.get(data["agenda_item"]),
                    new_petition=data.get("new_petition", False),
                    answer=data["answer"],
                    answered_by=data["answered_by"],
                    dialogued=data["dialogued"],
                ),
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            if _wants_json(request):
                html = render_to_string(
                    "sessions/_speech.html", {"speech": speech}, request=request
                )
                return JsonResponse(
                    {
                        "saved": True,
                        "created": created,
                        "client_id": str(speech.client_id),
                        "html": html,
                    }
                )
            messages.success(request, _("Saved: %(speaker)s.") % {"speaker": speech.speaker})
            return redirect("sessions:record", pk=session.pk)
    if _wants_json(request):
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    context = _context(request, session, speech_form=form)
    return render(request, "sessions/record.html", context, status=200)


@login_required
@require_POST
def speech_delete(request, pk: int):
    speech = permissions.speech_for_user(request.user, pk)
    try:
        services.speech_delete(speech=speech, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    return redirect("sessions:record", pk=speech.session_id)


urlpatterns = [
    path("<int:pk>/record/", record, name="record"),
    path("<int:pk>/record/attendance/", attendance, name="attendance"),
    path("<int:pk>/record/speeches/", speech_save, name="speech_save"),
    path("speeches/<int:pk>/delete/", speech_delete, name="speech_delete"),
]
