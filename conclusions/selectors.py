"""Reads of the conclusions' pages that repeat or take some work."""

from dataclasses import dataclass

from django.db.models import QuerySet

from conclusions.effects import unit_addresses
from conclusions.models import Conclusion, Directive
from petitions.models import Department, Petition
from sessions import permissions as session_permissions


def petitions_in_order() -> QuerySet:
    return Petition.objects.order_by("code")


def sessions_to_conclude(user) -> list:
    """Held sessions the user sees that have no conclusion yet, the earliest first."""
    from conclusions.permissions import can_draft

    sessions = (
        session_permissions.visible_sessions(user)
        .filter(status="held", conclusion__isnull=True)
        .order_by("held_on", "id")
    )
    return [session for session in sessions if can_draft(user, session)]


@dataclass(frozen=True)
class Progress:
    percent: int
    done: int
    total: int
    overdue: int = 0


def overall_progress(directives: list[Directive], *, reader=None) -> Progress:
    """The mean of the directives' progress (a completed one counts 100)."""
    if not directives:
        return Progress(percent=0, done=0, total=0)
    values = [100 if d.status == Directive.Status.DONE else d.progress for d in directives]
    overdue = 0
    if reader is not None:
        overdue = sum(1 for d in directives if reader.of(d).overdue)
    return Progress(
        percent=round(sum(values) / len(values)),
        done=sum(1 for d in directives if d.status == Directive.Status.DONE),
        total=len(directives),
        overdue=overdue,
    )


@dataclass(frozen=True)
class Recipient:
    unit: Department
    addresses: list[str]


def recipients_with_addresses(conclusion: Conclusion) -> list[Recipient]:
    return [
        Recipient(unit=unit, addresses=sorted(unit_addresses(unit)))
        for unit in conclusion.recipient_units.prefetch_related("members")
    ]
