"""How the residents are told of a session: the text for the loudspeakers and for social
networks (each with a copy button), and a printable A4 notice."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from sessions import documents, permissions
from sessions.announcement_text import loudspeaker_text, social_text


@login_required
def announcement(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    context = {
        "session": session,
        "loudspeaker": loudspeaker_text(session),
        "social": social_text(session),
    }
    return render(request, "sessions/announcement.html", context)


@login_required
def announcement_pdf(request, pk: int):
    session = permissions.session_for_user(request.user, pk)
    return documents.announcement_pdf_response(session)


@login_required
def announcement_word(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    return documents.announcement_docx_response(session)


urlpatterns = [
    path("<int:pk>/announcement/", announcement, name="announcement"),
    path("<int:pk>/announcement/thong-bao.pdf", announcement_pdf, name="announcement_pdf"),
    path("<int:pk>/announcement/thong-bao.docx", announcement_word, name="announcement_docx"),
]
