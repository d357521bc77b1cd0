"""The sessions' figures for the home pages, each counted as the list its link opens filters
(sessions/views/plan.py LIST_FILTERS, the petition list's "agenda_owed" filter)."""

from datetime import date

from django.db.models import Q, QuerySet

from petitions.models import Petition
from sessions.models import AgendaItem, DialogueSession, Invitation


def invitations_waiting(sessions: QuerySet) -> QuerySet:
    """Being prepared, and their invitations not issued (drafted or not yet started)."""
    return sessions.to_prepare().exclude(invitation__status=Invitation.Status.ISSUED)


def upcoming(sessions: QuerySet, *, on: date) -> QuerySet:
    return sessions.upcoming(on=on)


def agenda_answers_owed(petitions: QuerySet) -> QuerySet:
    """Petitions on the agenda of a session being prepared that a unit still has to answer."""
    on_agendas = AgendaItem.objects.filter(
        session__status__in=DialogueSession.PLANNING_STATUSES
    ).values("petition_id")
    return petitions.filter(Q(pk__in=on_agendas) & Q(status=Petition.WAITING_FOR_UNIT))


def session_figures(sessions: QuerySet, *, on: date) -> dict[str, int]:
    return {
        "to_prepare": sessions.to_prepare().count(),
        "upcoming": upcoming(sessions, on=on).count(),
        "invitations_waiting": invitations_waiting(sessions).count(),
        "minutes_waiting": sessions.minutes_waiting().count(),
    }
