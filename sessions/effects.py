"""What the sessions app records to happen after its transactions: the invitation e-mails and
the documents' PDFs (doluong_dialogue/side_effects.py, doluong_dialogue/documents)."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from doluong_dialogue.models import SiteConfiguration

INVITATION_EMAIL = "sessions.invitation_email"


def send_invitation_email(*, invitee_id: int) -> None:
    """E-mail one invitee their invitation; an invitee removed since sends nothing."""
    from sessions.models import Invitee

    invitee = Invitee.objects.select_related("invitation__session").filter(pk=invitee_id).first()
    if invitee is None or not invitee.email:
        return
    session = invitee.invitation.session
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitee": invitee,
            "invitation": invitee.invitation,
            "session": session,
            "site_config": SiteConfiguration.load(),
            "base_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        text = render_to_string("emails/invitation_body.txt", context)
        html = render_to_string("emails/invitation_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitee.email])
    message.attach_alternative(html, "text/html")
    message.send()


# The documents of a session, made by doluong_dialogue.documents from these builders (see
# sessions/documents.py, registered in sessions/apps.py).
MINUTES = "sessions.minutes"
INVITATION = "sessions.invitation"
ANNOUNCEMENT = "sessions.announcement"


def minutes_key(minutes) -> str:
    return f"{MINUTES}:{minutes.pk}"


def invitation_key(invitation, invitee=None) -> str:
    if invitee is not None:
        return f"{INVITATION}:{invitation.pk}:{invitee.pk}"
    return f"{INVITATION}:{invitation.pk}"


def request_minutes_pdf(minutes) -> None:
    from doluong_dialogue import documents

    documents.request_pdf(
        minutes_key(minutes),
        builder=MINUTES,
        object_id=minutes.pk,
        title=f"Biên bản hội nghị ngày {minutes.session.held_on:%d/%m/%Y}",
        version=str(minutes.version),
    )


def announcement_key(session) -> str:
    return f"{ANNOUNCEMENT}:{session.pk}"


def announcement_version(session) -> str:
    """The notice follows the session's details: another text is another version."""
    from sessions.documents import announcement_document

    return hashlib.sha256(repr(announcement_document(session)).encode()).hexdigest()[:16]


def request_announcement_pdf(session):
    """The printable notice as it reads now (made again only when its text changed)."""
    from doluong_dialogue import documents

    return documents.request_pdf(
        announcement_key(session),
        builder=ANNOUNCEMENT,
        object_id=session.pk,
        title=f"Thông báo đối thoại ngày {session.held_on:%d/%m/%Y}",
        version=announcement_version(session),
    )


def request_invitation_pdfs(invitation) -> None:
    """One PDF per numbered letter: each invitee's, or the one with the list."""
    from doluong_dialogue import documents

    if invitation.mode == invitation.Mode.LIST:
        documents.request_pdf(
            invitation_key(invitation),
            builder=INVITATION,
            object_id=invitation.pk,
            title=f"Giấy mời số {invitation.number:02d}",
        )
        return
    for invitee in invitation.invitees.all():
        documents.request_pdf(
            invitation_key(invitation, invitee),
            builder=f"{INVITATION}.each",
            object_id=invitee.pk,
            title=f"Giấy mời số {invitee.number:02d} — {invitee.name}",
        )
