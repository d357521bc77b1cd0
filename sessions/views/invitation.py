"""The session's invitations (Giấy mời): who is invited, one numbered letter each or one with a
list, issued and e-mailed to those with an address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from doluong_dialogue import side_effects
from doluong_dialogue.rules import RuleError, add_to_form
from sessions import documents, permissions, services
from sessions.forms import InvitationForm, InviteeForm
from sessions.models import Invitee


def _context(request, session, *, invitee_form=None, invitation_form=None) -> dict:
    invitation = services.invitation_of(session)
    invitees = list(invitation.invitees.select_related("department", "residential_unit"))
    sent = side_effects.statuses(f"invitation-email:{invitee.pk}" for invitee in invitees)
    return {
        "session": session,
        "invitation": invitation,
        "invitees": [(invitee, sent.get(f"invitation-email:{invitee.pk}")) for invitee in invitees],
        "invitee_form": invitee_form or InviteeForm(initial={"kind": Invitee.Kind.UNIT}),
        "invitation_form": invitation_form
        or InvitationForm(initial={"mode": invitation.mode, "note": invitation.note}),
        "can_edit": invitation.is_draft and session.is_being_prepared,
        "invitation_pdfs": [] if invitation.is_draft else documents.invitation_pdfs(invitation),
        "not_invited_units": session.participating_units.exclude(
            pk__in=[invitee.department_id for invitee in invitees if invitee.department_id]
        ),
    }


@login_required
def invitation(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    return render(request, "sessions/invitation.html", _context(request, session))


@login_required
@require_POST
def invitation_settings(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    form = InvitationForm(request.POST)
    invitation = services.invitation_of(session)
    if form.is_valid() and invitation.is_draft:
        invitation.mode = form.cleaned_data["mode"]
        invitation.note = form.cleaned_data["note"]
        invitation.save(update_fields=["mode", "note"])
        messages.success(request, _("Saved."))
        return redirect("sessions:invitation", pk=session.pk)
    context = _context(request, session, invitation_form=form)
    return render(request, "sessions/invitation.html", context)


@login_required
@require_POST
def invitee_add(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    form = InviteeForm(request.POST)
    if form.is_valid():
        try:
            services.invitee_add(
                invitation=services.invitation_of(session), actor=request.user, **form.cleaned_data
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Invitee added."))
            return redirect("sessions:invitation", pk=session.pk)
    context = _context(request, session, invitee_form=form)
    return render(request, "sessions/invitation.html", context)


@login_required
@require_POST
def invitees_add_units(request, pk: int):
    """Invite every participating unit not yet on the list."""
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    invitation = services.invitation_of(session)
    added = 0
    for unit in _context(request, session)["not_invited_units"]:
        try:
            services.invitee_add(
                invitation=invitation, actor=request.user, kind=Invitee.Kind.UNIT, department=unit
            )
        except RuleError as refusal:
            messages.warning(request, str(refusal))
        else:
            added += 1
    messages.success(
        request,
        ngettext("%(count)s unit invited.", "%(count)s units invited.", added) % {"count": added},
    )
    return redirect("sessions:invitation", pk=session.pk)


@login_required
@require_POST
def invitee_remove(request, pk: int):
    invitee = permissions.invitee_for_user(request.user, pk)
    try:
        services.invitee_remove(invitee=invitee, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    return redirect("sessions:invitation", pk=invitee.invitation.session_id)


@login_required
@require_POST
def invitation_issue(request, pk: int):
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    try:
        invitation = services.invitation_issue(
            invitation=services.invitation_of(session), actor=request.user
        )
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The invitation is issued; %(count)s invitees with an address are e-mailed.")
            % {"count": invitation.invitees.exclude(email="").count()},
        )
    return redirect("sessions:invitation", pk=session.pk)


@login_required
def invitation_pdf(request, pk: int):
    """One of a session's invitation PDFs (pk: the rendered document), for staff."""
    session_id, record = documents.invitation_record(pk)
    permissions.session_for_user(request.user, session_id, paperwork=True)
    return documents.pdf_download(record)


@login_required
def invitation_word(request, pk: int):
    """The draft invitation as Word (the letter with its list), to finish in the office."""
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    invitation = services.invitation_of(session)
    if not invitation.is_draft:
        messages.info(request, _("Issued invitations are offered as PDF only."))
        return redirect("sessions:invitation", pk=session.pk)
    return documents.invitation_docx_response(invitation)


urlpatterns = [
    path("invitation-pdfs/<int:pk>/", invitation_pdf, name="invitation_pdf"),
    path("<int:pk>/invitation/giay-moi.docx", invitation_word, name="invitation_docx"),
    path("<int:pk>/invitation/", invitation, name="invitation"),
    path("<int:pk>/invitation/settings/", invitation_settings, name="invitation_settings"),
    path("<int:pk>/invitation/invitees/", invitee_add, name="invitee_add"),
    path("<int:pk>/invitation/units/", invitees_add_units, name="invitees_add_units"),
    path("invitees/<int:pk>/remove/", invitee_remove, name="invitee_remove"),
    path("<int:pk>/invitation/issue/", invitation_issue, name="invitation_issue"),
]
