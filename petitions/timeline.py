"""A petition's timeline as its reader may see it."""

from petitions.models import Petition, PetitionEvent


def petition_timeline(petition: Petition, *, show_identity: bool) -> list[PetitionEvent]:
    """Every event, oldest first. A file's name may name a hidden petitioner, so the note of
    an attachment event is withheld from whoever may not see the identity."""
    events = list(petition.events.select_related("actor", "department"))
    if not show_identity:
        for event in events:
            if event.kind == PetitionEvent.Kind.ATTACHMENT_ADDED:
                event.note = ""
    return events
