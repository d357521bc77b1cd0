"""Reads of sessions that pages compose: the year's plan and calendar, the carry-over of
petitions from earlier sessions, the preparation board."""

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from doluong_dialogue import clock
from doluong_dialogue.deadlines import DeadlineReader, DeadlineState
from petitions import permissions
from petitions.models import Assignment, Department, Petition, Topic
from sessions import permissions as session_permissions
from sessions.models import AgendaItem, DialogueSession, Speech

Status = DialogueSession.Status
HELD_STATUSES = DialogueSession.HELD_STATUSES
# Closed, but not yet done: a later session takes it up again.
UNRESOLVED_OUTCOMES = (Petition.Outcome.IN_PROGRESS, Petition.Outcome.SCHEDULED)


def session_choices(user) -> list[tuple[int, str]]:
    """The sessions the user sees, newest first: "Title (12/06/2026)" (another organisation's
    own dialogue is not named to an organisation's staff)."""
    sessions = session_permissions.visible_sessions(user).order_by("-held_on", "-id")
    return [
        (pk, f"{title} ({held_on:%d/%m/%Y})")
        for pk, title, held_on in sessions.values_list("pk", "title", "held_on")
    ]


def petitions_of_session(petitions: QuerySet, session_id: int) -> QuerySet:
    """The petitions on a session's agenda, and those forwarded from what was said at it (an
    organisation's dialogue): subqueries, no join, no duplicates."""
    on_agenda = AgendaItem.objects.filter(session=session_id).values("petition_id")
    forwarded = Speech.objects.filter(session=session_id, petition__isnull=False).values(
        "petition_id"
    )
    return petitions.filter(Q(pk__in=on_agenda) | Q(pk__in=forwarded))


# --- The organisations' dialogues, rolled up for the commune (plan section IV.2) --------------


def period_bounds(year: int, half: int | None) -> tuple[date, date]:
    """The days of a year, or of one half of it."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    if half == 2:
        return date(year, 7, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def period_code(year: int, half: int | None) -> int:
    """The period as the petition list's filter value: 20260 the year, 20261 its first half."""
    return year * 10 + (half or 0)


# The roll-up's periods the petition list filters by: this year and the ones before it. Made
# without a query, so the list page reads no more than before.
PERIOD_YEARS = 5


def period_choices() -> list[tuple[int, str]]:
    this_year = clock.today().year
    choices = []
    for year in range(this_year, this_year - PERIOD_YEARS, -1):
        choices.append((period_code(year, None), str(year)))
        for half in (1, 2):
            label = DialogueSession.HalfYear(half).label
            choices.append((period_code(year, half), f"{label} {year}"))
    return choices


def organisation_sessions_held(*, start: date, end: date) -> QuerySet:
    return DialogueSession.objects.of_organisations().filter(
        held_on__range=(start, end), status__in=HELD_STATUSES
    )


def forwarded_in_period(petitions: QuerySet, code: int) -> QuerySet:
    """The petitions forwarded from the organisations' dialogues held in the period `code`
    (period_code): the list behind every figure of the roll-up."""
    start, end = period_bounds(code // 10, code % 10 or None)
    speeches = Speech.objects.filter(
        session__in=organisation_sessions_held(start=start, end=end).values("pk"),
        petition__isnull=False,
    ).values("petition_id")
    return petitions.filter(pk__in=speeches)


def forwarded_from(user, petition) -> list:
    """The dialogue and the speaker a petition was forwarded from, for its page: a link to
    the session when the user may open it, one query."""
    from django.urls import reverse

    from petitions.origins import Origin
    from sessions.permissions import visible_sessions

    speeches = Speech.objects.filter(
        petition=petition, session__in=visible_sessions(user).values("pk")
    ).select_related("session__organiser")
    return [
        Origin(
            label=(
                f"{speech.session.organiser_name or speech.session.title} — "
                f"{speech.session.title} ({speech.session.held_on:%d/%m/%Y}): {speech.speaker}"
            ),
            url=reverse("sessions:detail", args=[speech.session_id]),
        )
        for speech in speeches
    ]


def received_at_reception(user, petition) -> list:
    """The reception day and register line a petition was received at, for its page: a link
    to the day's register for those who may read the register (one query, none for a
    petition of another channel)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from petitions.origins import Origin
    from sessions.models import ReceptionVisit

    if petition.channel != Petition.Channel.RECEPTION or not permissions.can_read_everything(user):
        return []
    visits = ReceptionVisit.objects.filter(petition=petition).select_related("day")
    return [
        Origin(
            label=_("Citizen reception of %(day)s, register line %(number)s")
            % {"day": f"{visit.day.held_on:%d/%m/%Y}", "number": visit.number},
            url=reverse("sessions:reception_day", args=[visit.day_id]),
        )
        for visit in visits
    ]


@dataclass
class OrganisationRow:
    organisation: Department
    sessions: list[DialogueSession]
    attendance: int
    forwarded: int

    @property
    def held(self) -> int:
        return len(self.sessions)


@dataclass
class TopicRow:
    topic: Topic | None
    counts: list[int]  # one per organisation, in the rows' order
    total: int


@dataclass
class Rollup:
    year: int
    half: int | None
    rows: list[OrganisationRow]
    topics: list[TopicRow]

    @property
    def code(self) -> int:
        return period_code(self.year, self.half)

    @property
    def listed(self) -> bool:
        """Whether the petition list filters by this period (the figures link to it)."""
        return self.code in dict(period_choices())

    @property
    def attendance(self) -> int:
        return sum(row.attendance for row in self.rows)

    @property
    def forwarded(self) -> int:
        return sum(row.forwarded for row in self.rows)

    @property
    def held(self) -> int:
        return sum(row.held for row in self.rows)


def organisations_rollup(*, year: int, half: int | None = None) -> Rollup:
    """Which organisations held dialogues in the period, how many people took part, and
    what they forwarded to the commune by topic (plan section IV.2: "tổng hợp báo cáo nội
    dung đề xuất theo chủ đề"). Every figure counts the list it links to."""
    start, end = period_bounds(year, half)
    held = list(
        organisation_sessions_held(start=start, end=end)
        .select_related("organiser")
        .order_by("held_on", "id")
    )
    forwarded = forwarded_in_period(Petition.objects.all(), period_code(year, half))
    by_unit_topic = Counter(
        forwarded.values_list("submitted_by_department_id", "topic_id").order_by()
    )
    units = Department.objects.active().filter(kind=Department.Kind.FRONT)
    rows = []
    for unit in units:
        sessions = [session for session in held if session.organiser_id == unit.pk]
        count = sum(n for (unit_id, _t), n in by_unit_topic.items() if unit_id == unit.pk)
        rows.append(
            OrganisationRow(
                organisation=unit,
                sessions=sessions,
                attendance=sum(session.attendance or 0 for session in sessions),
                forwarded=count,
            )
        )
    topic_ids = {topic_id for (_u, topic_id) in by_unit_topic}
    topics = {topic.pk: topic for topic in Topic.objects.filter(pk__in=topic_ids)}
    ordered = sorted(topics.values(), key=lambda topic: (topic.order, topic.name))
    if None in topic_ids:
        ordered.append(None)
    topic_rows = []
    for topic in ordered:
        key = topic.pk if topic else None
        counts = [by_unit_topic.get((row.organisation.pk, key), 0) for row in rows]
        topic_rows.append(TopicRow(topic=topic, counts=counts, total=sum(counts)))
    return Rollup(year=year, half=half, rows=rows, topics=topic_rows)


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
