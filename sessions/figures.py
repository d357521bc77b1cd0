"""The sessions' figures for the home pages, each counted as the list its link opens filters
(sessions/views/plan.py LIST_FILTERS, the petition list's "agenda_owed" filter)."""

from datetime import date

from django.db.models import Count, Q, QuerySet

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


# --- An organisation's own dialogues (plan section IV.2), on its staff's home page ----------
#
# Each figure counts the list its link opens: the year plan's "own_planned" and "own_held"
# (sessions/views/plan.py ORGANISATION_LISTS), the conclusions' "to_issue", the petition
# list's "forwarded" of the year.


def own_dialogues(sessions: QuerySet, organisations, *, year: int) -> QuerySet:
    """The dialogues of `year` the user's organisations hold with their own members."""
    return sessions.filter(organiser__in=organisations).of_year(year)


ORGANISATION_LISTS = {
    "own_planned": lambda sessions: sessions.to_prepare(),
    "own_held": lambda sessions: sessions.held(),
}


def organisation_dialogue_figures(sessions: QuerySet) -> dict[str, int]:
    """`sessions`: own_dialogues(...); one query."""
    return sessions.aggregate(
        planned=Count("pk", filter=Q(status__in=DialogueSession.PLANNING_STATUSES)),
        held=Count("pk", filter=Q(status__in=DialogueSession.HELD_STATUSES)),
    )
