"""How the residents are told of a session: the text for the loudspeakers and for social
networks (each with a copy button), and a printable A4 notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from doluong_dialogue.rules import RuleError
from sessions import documents, permissions, services
from sessions.announcement_text import loudspeaker_text, social_text


@login_required
def announcement(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    context = {
        "session": session,
        "loudspeaker": loudspeaker_text(session),
        "social": social_text(session),
        "pdf": documents.announcement_pdf(session),
    }
    return render(request, "sessions/announcement.html", context)


@login_required
def announcement_pdf(request, pk: int):
    session = permissions.session_for_user(request.user, pk)
    return documents.pdf_download(documents.announcement_pdf(session))


@login_required
@require_POST
def announcement_print(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    try:
        services.announcement_print(session=session, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    return redirect("sessions:announcement", pk=session.pk)


@login_required
def announcement_word(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    return documents.announcement_docx_response(session)


urlpatterns = [
    path("<int:pk>/announcement/", announcement, name="announcement"),
    path("<int:pk>/announcement/print/", announcement_print, name="announcement_print"),
    path("<int:pk>/announcement/thong-bao.pdf", announcement_pdf, name="announcement_pdf"),
    path("<int:pk>/announcement/thong-bao.docx", announcement_word, name="announcement_docx"),
]
