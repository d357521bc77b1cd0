"""Who may see and do what with dialogue sessions, on top of petitions/permissions.py.

- Those who read everything (staff, the Secretary, the Inspection Committee) see every session.
- Ban Xây dựng Đảng plans: creates sessions, builds agendas, keeps the preparation checklist.
- The Party Office runs the paperwork: invitations, the announcement, the record of the
  session and its minutes (Ban Xây dựng Đảng may do it too).
- A unit's members read the sessions their unit takes part in (participating, advising,
  invited, or answering a petition on the agenda) and edit none of them.
- The Front sees the sessions where petitions it submitted are on the agenda.
- The attendees' survey is run (set up, printed, typed in from paper) by those who do the
  paperwork and by the members of the session's advisory unit, which hands out the forms;
  its results are read by whoever sees the session.
Agenda items are shown only for petitions the user may see.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from petitions import permissions
from petitions.permissions import Role
from sessions.models import (
    AgendaItem,
    DialogueSession,
    Invitee,
    ReceptionDay,
    SessionAttachment,
    SessionEvent,
    Speech,
    SurveyResponse,
)

PLANNERS = (Role.PARTY_BUILDING,)
PAPERWORK = (Role.PARTY_OFFICE, Role.PARTY_BUILDING)


def can_plan(user) -> bool:
    return permissions.has_role(user, *PLANNERS)


def can_do_paperwork(user) -> bool:
    return permissions.has_role(user, *PAPERWORK)


def visible_sessions(user) -> QuerySet:
    sessions = DialogueSession.objects.all()
    if permissions.can_read_everything(user):
        return sessions
    condition = Q(pk__in=[])
    units = permissions.department_ids(user)
    if units:
        invited = Invitee.objects.filter(department__in=units).values("invitation__session_id")
        condition |= (
            Q(participating_units__in=units) | Q(advisory_unit__in=units) | Q(pk__in=invited)
        )
    petitions = permissions.visible_petitions(user).values("pk")
    if units or permissions.has_role(user, Role.FRONT):
        condition |= Q(
            pk__in=AgendaItem.objects.filter(petition__in=petitions).values("session_id")
        )
    return sessions.filter(pk__in=sessions.filter(condition).values("pk"))


def session_for_user(user, pk: int, *, plan: bool = False, paperwork: bool = False):
    """The session if the user may see it (404 otherwise); 403 when `plan` or `paperwork`
    is asked and the user may only read it."""
    session = get_object_or_404(visible_sessions(user), pk=pk)
    if plan and not can_plan(user):
        raise PermissionDenied
    if paperwork and not can_do_paperwork(user):
        raise PermissionDenied
    return session


def visible_agenda(user, session: DialogueSession) -> QuerySet:
    items = session.agenda_items.select_related(
        "petition", "petition__topic", "petition__residential_unit", "petition__lead_department"
    )
    if permissions.can_read_everything(user):
        return items
    return items.filter(petition__in=permissions.visible_petitions(user).values("pk"))


def visible_timeline(user, session: DialogueSession) -> list[SessionEvent]:
    """The session's timeline. An agenda change names its petitions by their receipt codes,
    some of which the user may not see: its note is shown only to those who read everything
    (the others read the agenda itself, which lists what they may see)."""
    events = list(session.events.select_related("actor"))
    if not permissions.can_read_everything(user):
        for event in events:
            if event.kind == SessionEvent.Kind.AGENDA_CHANGED:
                event.note = ""
    return events


def agenda_item_for_user(user, pk: int, *, plan: bool = False) -> AgendaItem:
    items = AgendaItem.objects.filter(session__in=visible_sessions(user).values("pk"))
    if not permissions.can_read_everything(user):
        items = items.filter(petition__in=permissions.visible_petitions(user).values("pk"))
    item = get_object_or_404(items.select_related("session", "petition"), pk=pk)
    if plan and not can_plan(user):
        raise PermissionDenied
    return item


def invitee_for_user(user, pk: int) -> Invitee:
    invitee = get_object_or_404(
        Invitee.objects.filter(
            invitation__session__in=visible_sessions(user).values("pk")
        ).select_related("invitation__session"),
        pk=pk,
    )
    if not can_do_paperwork(user):
        raise PermissionDenied
    return invitee


def speech_for_user(user, pk: int) -> Speech:
    speech = get_object_or_404(
        Speech.objects.filter(session__in=visible_sessions(user).values("pk")).select_related(
            "session"
        ),
        pk=pk,
    )
    if not can_do_paperwork(user):
        raise PermissionDenied
    return speech


def attachment_for_user(user, pk: int) -> SessionAttachment:
    return get_object_or_404(
        SessionAttachment.objects.filter(session__in=visible_sessions(user).values("pk")), pk=pk
    )


def can_run_survey(user, session: DialogueSession) -> bool:
    if can_do_paperwork(user):
        return True
    return session.advisory_unit_id is not None and (
        session.advisory_unit_id in permissions.department_ids(user)
    )


def survey_session_for_user(user, pk: int, *, manage: bool = False) -> DialogueSession:
    """The session whose survey is asked for (404 when not visible); 403 when `manage` is
    asked by one who may only read its results."""
    session = get_object_or_404(
        visible_sessions(user).select_related("survey", "advisory_unit"), pk=pk
    )
    if manage and not can_run_survey(user, session):
        raise PermissionDenied
    return session


def survey_response_for_user(user, pk: int) -> SurveyResponse:
    response = get_object_or_404(
        SurveyResponse.objects.filter(
            survey__session__in=visible_sessions(user).values("pk")
        ).select_related("survey__session"),
        pk=pk,
    )
    if not can_run_survey(user, response.survey.session):
        raise PermissionDenied
    return response


# The Secretary's reception days and register: the Party Office, Ban Xây dựng Đảng and the
# Secretary keep them; those who read everything read them; nobody else sees them (404).
RECEPTION_KEEPERS = (Role.PARTY_OFFICE, Role.PARTY_BUILDING, Role.SECRETARY)


def can_keep_reception(user) -> bool:
    return permissions.has_role(user, *RECEPTION_KEEPERS)


def reception_access(user, *, manage: bool = False) -> None:
    """404 for whoever may not read the register; 403 when `manage` is asked by a reader."""
    if not permissions.can_read_everything(user):
        raise Http404
    if manage and not can_keep_reception(user):
        raise PermissionDenied


def reception_day_for_user(user, pk: int, *, manage: bool = False) -> ReceptionDay:
    reception_access(user, manage=manage)
    return get_object_or_404(ReceptionDay, pk=pk)
