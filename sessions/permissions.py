"""Who may see and do what with dialogue sessions, on top of petitions/permissions.py.

- Those who read everything (staff, the Secretary, the Inspection Committee) see every session.
- Ban Xây dựng Đảng plans: creates sessions, builds agendas, keeps the preparation checklist.
- The Party Office runs the paperwork: invitations, the announcement, the record of the
  session and its minutes (Ban Xây dựng Đảng may do it too).
- A unit's members read the sessions their unit takes part in (participating, advising,
  invited, or answering a petition on the agenda) and edit none of them.
- The Front sees the sessions where petitions it submitted are on the agenda.
- The Front and each mass organisation hold dialogues with their own members (plan section
  IV.2): the organisation's own staff (its members with the Front role) plan, hold and
  record those sessions and nobody else changes them; staff of another organisation do not
  see them (404); those who read everything read them; a unit sees one only when it is
  assigned to it (participating, advising, invited). The Party committee's sessions are
  changed by the Party's staff alone.
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
from petitions.models import Department
from petitions.permissions import Role
from sessions.models import (
    AgendaItem,
    DialogueSession,
    Invitee,
    ReceptionDay,
    ReceptionVisit,
    SessionAttachment,
    SessionEvent,
    Speech,
    SurveyResponse,
)

PLANNERS = (Role.PARTY_BUILDING,)
PAPERWORK = (Role.PARTY_OFFICE, Role.PARTY_BUILDING)


def organisation_ids(user) -> frozenset[int]:
    """The organisations (Front units) whose own dialogues the user runs: the units of kind
    FRONT the user is a member of, for a user with the Front role."""
    units = permissions.submitting_department_ids(user)
    if not units:
        return frozenset()
    cached = getattr(user, "_dialogue_organisation_ids", None)
    if cached is None:
        cached = frozenset(
            Department.objects.filter(pk__in=units, kind=Department.Kind.FRONT).values_list(
                "pk", flat=True
            )
        )
        user._dialogue_organisation_ids = cached
    return cached


def user_organisations(user) -> list[Department]:
    ids = organisation_ids(user)
    return list(Department.objects.filter(pk__in=ids)) if ids else []


def _runs(user, session: DialogueSession) -> bool:
    return session.organiser_id in organisation_ids(user)


def can_plan_party(user) -> bool:
    """Plan the Party committee's own sessions (the periodic ones among them)."""
    return permissions.has_role(user, *PLANNERS)


def can_plan(user, session: DialogueSession | None = None) -> bool:
    """Plan `session` (edit it, its agenda), or with no session, plan a new one: Ban Xây
    dựng Đảng the Party committee's sessions, an organisation's staff their own."""
    if session is None:
        return permissions.has_role(user, *PLANNERS) or bool(organisation_ids(user))
    if session.organiser_id is not None:
        return _runs(user, session)
    return permissions.has_role(user, *PLANNERS)


def can_do_paperwork(user, session: DialogueSession | None = None) -> bool:
    """Invitations, the announcement, the record and the minutes of `session`: the Party
    Office and Ban Xây dựng Đảng for the Party committee's, an organisation's staff for
    their own. With no session: whether the user does any such paperwork."""
    if session is None:
        return permissions.has_role(user, *PAPERWORK) or bool(organisation_ids(user))
    if session.organiser_id is not None:
        return _runs(user, session)
    return permissions.has_role(user, *PAPERWORK)


def visible_sessions(user) -> QuerySet:
    sessions = DialogueSession.objects.all()
    if permissions.can_read_everything(user):
        return sessions
    condition = Q(pk__in=[])
    organisations = organisation_ids(user)
    if organisations:
        condition |= Q(organiser__in=organisations)
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
    if plan and not can_plan(user, session):
        raise PermissionDenied
    if paperwork and not can_do_paperwork(user, session):
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
    if plan and not can_plan(user, item.session):
        raise PermissionDenied
    return item


def invitee_for_user(user, pk: int) -> Invitee:
    invitee = get_object_or_404(
        Invitee.objects.filter(
            invitation__session__in=visible_sessions(user).values("pk")
        ).select_related("invitation__session"),
        pk=pk,
    )
    if not can_do_paperwork(user, invitee.invitation.session):
        raise PermissionDenied
    return invitee


def speech_for_user(user, pk: int) -> Speech:
    speech = get_object_or_404(
        Speech.objects.filter(session__in=visible_sessions(user).values("pk")).select_related(
            "session"
        ),
        pk=pk,
    )
    if not can_do_paperwork(user, speech.session):
        raise PermissionDenied
    return speech


def attachment_for_user(user, pk: int) -> SessionAttachment:
    return get_object_or_404(
        SessionAttachment.objects.filter(session__in=visible_sessions(user).values("pk")), pk=pk
    )


def can_run_survey(user, session: DialogueSession) -> bool:
    if can_do_paperwork(user, session):
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


def can_see_id_numbers(user) -> bool:
    """A visitor's ID number is personal data (Nghị định 13/2023/NĐ-CP): only the reception
    staff (the Party Office), the Secretary and Ban Xây dựng Đảng see it in full; every other
    reader of the register sees it masked."""
    return permissions.has_role(user, Role.PARTY_OFFICE, Role.SECRETARY, Role.PARTY_BUILDING)


def reception_access(user, *, manage: bool = False) -> None:
    """404 for whoever may not read the register; 403 when `manage` is asked by a reader."""
    if not permissions.can_read_everything(user):
        raise Http404
    if manage and not can_keep_reception(user):
        raise PermissionDenied


def reception_day_for_user(user, pk: int, *, manage: bool = False) -> ReceptionDay:
    reception_access(user, manage=manage)
    return get_object_or_404(ReceptionDay, pk=pk)


def reception_visit_for_user(user, pk: int, *, manage: bool = False) -> ReceptionVisit:
    reception_access(user, manage=manage)
    return get_object_or_404(ReceptionVisit.objects.select_related("day"), pk=pk)
