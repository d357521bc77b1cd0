"""Reads of sessions that pages compose: the year's plan and calendar, the carry-over of
petitions from earlier sessions, the preparation board."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from doluong_dialogue.deadlines import DeadlineReader, DeadlineState
from petitions import permissions
from petitions.models import Assignment, Petition
from sessions.models import AgendaItem, DialogueSession

Status = DialogueSession.Status
HELD_STATUSES = (Status.HELD, Status.CONCLUDED, Status.ARCHIVED)
# Closed, but not yet done: a later session takes it up again.
UNRESOLVED_OUTCOMES = (Petition.Outcome.IN_PROGRESS, Petition.Outcome.SCHEDULED)


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


# --- The year's plan ---------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: date | None  # None: a cell before the 1st or after the last day of the month
    sessions: list[DialogueSession] = field(default_factory=list)


@dataclass
class CalendarMonth:
    month: int
    weeks: list[list[CalendarDay]]

    @property
    def has_sessions(self) -> bool:
        return any(cell.sessions for week in self.weeks for cell in week)


def year_calendar(year: int, sessions: list[DialogueSession]) -> list[CalendarMonth]:
    """Twelve months of weeks (Monday first), each day with its sessions."""
    by_day = defaultdict(list)
    for session in sessions:
        by_day[session.held_on].append(session)
    months = []
    for month in range(1, 13):
        weeks = [
            [CalendarDay(day if day.month == month else None, by_day.get(day, [])) for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append(CalendarMonth(month, weeks))
    return months


# --- Carry-over ------------------------------------------------------------------------------


@dataclass
class CarryOver:
    petition: Petition
    waited: int  # earlier sessions it was on the agenda of
    last_session: str
    not_dialogued: bool
    hamlets: list[str]  # where it was raised, itself and the duplicates merged into it


def _unresolved() -> Q:
    return Q(petition__status__in=Petition.OPEN_STATUSES) | Q(
        petition__status=Petition.Status.CLOSED, petition__outcome__in=UNRESOLVED_OUTCOMES
    )


def carry_over(session: DialogueSession, user) -> list[CarryOver]:
    """Petitions of earlier sessions still unresolved, or not dialogued there, that are not on
    this session's agenda: offered first, the longest waiting first. Four queries."""
    items = (
        AgendaItem.objects.filter(
            session__held_on__lt=session.held_on,
            session__status__in=HELD_STATUSES,
            petition__duplicate_of__isnull=True,
        )
        .exclude(petition__status=Petition.Status.ROUTED_OUT)
        .exclude(petition__in=session.agenda_items.values("petition_id"))
        .filter(_unresolved() | Q(dialogued=False))
    )
    if not permissions.can_read_everything(user):
        items = items.filter(petition__in=permissions.visible_petitions(user).values("pk"))
    waits = defaultdict(list)
    for petition_id, title, held_on, dialogued in items.order_by("session__held_on").values_list(
        "petition_id", "session__title", "session__held_on", "dialogued"
    ):
        waits[petition_id].append((title, held_on, dialogued))
    if not waits:
        return []
    petitions = Petition.objects.filter(pk__in=waits).select_related(
        "topic", "residential_unit", "lead_department"
    )
    hamlets = defaultdict(set)
    for primary, unit_kind, unit_name in Petition.objects.filter(
        duplicate_of__in=waits, residential_unit__isnull=False
    ).values_list("duplicate_of", "residential_unit__kind", "residential_unit__name"):
        hamlets[primary].add((unit_kind, unit_name))
    rows = []
    for petition in petitions:
        if petition.residential_unit_id:
            hamlets[petition.pk].add(
                (petition.residential_unit.kind, petition.residential_unit.name)
            )
        history = waits[petition.pk]
        rows.append(
            CarryOver(
                petition=petition,
                waited=len(history),
                last_session=f"{history[-1][0]} ({history[-1][1]:%d/%m/%Y})",
                not_dialogued=not history[-1][2],
                hamlets=sorted(
                    f"{'Xóm' if kind == 'xom' else 'Khối'} {name}"
                    for kind, name in hamlets[petition.pk]
                ),
            )
        )
    rows.sort(key=lambda row: (-row.waited, not row.petition.is_pressing, row.petition.received_on))
    return rows


# --- The preparation board -----------------------------------------------------------------


@dataclass
class BoardRow:
    item: AgendaItem
    assignment: Assignment | None
    prepared: bool  # the unit's answer is in (or the petition has its outcome)
    deadline: DeadlineState


def preparation_board(session: DialogueSession, user, *, reader: DeadlineReader) -> list[BoardRow]:
    """For each agenda petition: whether its unit has prepared the answer, and who still owes
    one, by when. Three queries whatever the agenda's length, and the calendar once."""
    from sessions.permissions import visible_agenda

    latest = (
        Assignment.objects.exclude(
            status__in=[Assignment.Status.CANCELLED, Assignment.Status.DECLINED]
        )
        .select_related("department")
        .order_by("-id")
    )
    items = visible_agenda(user, session).prefetch_related(
        Prefetch("petition__assignments", queryset=latest, to_attr="live_assignments")
    )
    rows = []
    for item in items.order_by("petition__topic__order", "order", "id"):
        assignment = next(iter(item.petition.live_assignments), None)
        answered = assignment is not None and assignment.status in (
            Assignment.Status.ANSWERED,
            Assignment.Status.ACCEPTED,
        )
        rows.append(
            BoardRow(
                item=item,
                assignment=assignment,
                prepared=answered or item.petition.has_outcome,
                deadline=reader.of(assignment) if assignment else DeadlineState(),
            )
        )
    return rows
