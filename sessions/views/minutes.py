"""The minutes (Biên bản) of a held session: drawn up from what was recorded, edited until
finalised, then frozen; offered as PDF, and as Word while a draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doluong_dialogue.rules import RuleError, add_to_form
from sessions import documents, permissions, services
from sessions.forms import MinutesForm
from sessions.models import Minutes


def _minutes(session) -> Minutes | None:
    return Minutes.objects.filter(session=session).first()


@login_required
def minutes(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    if not session.was_held:
        messages.info(request, _("The minutes are drawn up once the session has been held."))
        return redirect("sessions:detail", pk=session.pk)
    record = _minutes(session)
    form = None
    if record is not None and not record.is_final:
        form = MinutesForm(
            request.POST or None,
            initial={"text": record.text, "recorder_name": record.recorder_name},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.minutes_update(minutes=record, actor=request.user, **form.cleaned_data)
            except RuleError as refusal:
                add_to_form(form, refusal)
            else:
                messages.success(request, _("Minutes saved."))
                return redirect("sessions:minutes", pk=session.pk)
    context = {
        "session": session,
        "minutes": record,
        "form": form,
        "pdf": documents.minutes_pdf(record) if record is not None and record.is_final else None,
    }
    return render(request, "sessions/minutes.html", context)


@login_required
@require_POST
def minutes_draw_up(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    try:
        services.minutes_draw_up(
            session=session, actor=request.user, again=bool(request.POST.get("again"))
        )
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The minutes are drawn up from what was recorded."))
    return redirect("sessions:minutes", pk=session.pk)


@login_required
@require_POST
def minutes_finalise(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    record = _minutes(session)
    if record is None:
        return redirect("sessions:minutes", pk=session.pk)
    try:
        services.minutes_finalise(minutes=record, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The minutes are finalised; their PDF is being made."))
    return redirect("sessions:minutes", pk=session.pk)


@login_required
def minutes_word(request, pk: int):
    """The draft minutes as Word, to finish in the office; never the final ones."""
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    record = _minutes(session)
    if record is None or record.is_final:
        messages.info(request, _("Final minutes are offered as PDF only."))
        return redirect("sessions:minutes", pk=session.pk)
    return documents.minutes_docx_response(record)


@login_required
def minutes_pdf(request, pk: int):
    session = permissions.session_for_user(request.user, pk)
    record = _minutes(session)
    if record is None or not record.is_final:
        messages.info(request, _("The minutes are not finalised yet."))
        return redirect("sessions:detail", pk=session.pk)
    return documents.pdf_download(documents.minutes_pdf(record))


urlpatterns = [
    path("<int:pk>/minutes/", minutes, name="minutes"),
    path("<int:pk>/minutes/draw-up/", minutes_draw_up, name="minutes_draw_up"),
    path("<int:pk>/minutes/finalise/", minutes_finalise, name="minutes_finalise"),
    path("<int:pk>/minutes/bien-ban.docx", minutes_word, name="minutes_docx"),
    path("<int:pk>/minutes/bien-ban.pdf", minutes_pdf, name="minutes_pdf"),
]
