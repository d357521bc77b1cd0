"""Reads of sessions that other pages use."""

from django.db.models import QuerySet

from sessions.models import AgendaItem, DialogueSession


def session_choices() -> list[tuple[int, str]]:
    """The sessions a petition can be put to, newest first: "Title (12/06/2026)"."""
    return [
        (pk, f"{title} ({held_on:%d/%m/%Y})")
        for pk, title, held_on in DialogueSession.objects.order_by("-held_on", "-id").values_list(
            "pk", "title", "held_on"
        )
    ]


def petitions_of_session(petitions: QuerySet, session_id: int) -> QuerySet:
    """The petitions on a session's agenda (a subquery: no join, no duplicates)."""
    on_agenda = AgendaItem.objects.filter(session=session_id).values("petition_id")
    return petitions.filter(pk__in=on_agenda)
