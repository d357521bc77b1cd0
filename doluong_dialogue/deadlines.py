"""Working-day deadlines, one meaning for every app.

Anything with a deadline — an assignment to a unit today, a directive of a conclusion
tomorrow — extends `DeadlineItem` and gets the same QuerySet: `.running()`, `.overdue(on=)`,
`.due_soon(on=)`, `.due_today(on=)`, `.done_on_time()`, `.done_late()`. Overdue is computed
from the stored deadline and the day asked about, never stored; whether an item was done on
time is recorded when it is done. How many days an item is overdue is counted in working days,
as its deadline was.

When the calendar of days off changes, `deadlines_recompute` recounts every deadline that
was counted in working days; each app registers how its items are recounted and what it
writes on their timeline (`register_recompute`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import ClassVar

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doluong_dialogue import clock, workdays

# "Due soon": the deadline falls within this many working days from today.
DUE_SOON_WORKING_DAYS = 3


def due_soon_until(on: date) -> date:
    return workdays.add_working_days(on, DUE_SOON_WORKING_DAYS)


# --- Conditions, for any date column ------------------------------------------------------


def overdue_q(field: str, on: date) -> Q:
    return Q(**{f"{field}__lt": on})


def due_soon_q(field: str, on: date, until: date | None = None) -> Q:
    """Due from `on` to `until` (by default `due_soon_until(on)`, which reads the calendar;
    a page that has a `DeadlineReader` passes its `soon`)."""
    return Q(**{f"{field}__gte": on, f"{field}__lte": until or due_soon_until(on)})


def due_today_q(field: str, on: date) -> Q:
    return Q(**{field: on})


# --- The shared model -----------------------------------------------------------------------


class DeadlineQuerySet(models.QuerySet):
    def running(self) -> "DeadlineQuerySet":
        """Waiting to be done: the only items a deadline applies to."""
        return self.filter(self.model.running_condition())

    def overdue(self, *, on: date) -> "DeadlineQuerySet":
        return self.filter(self.model.overdue_condition(on))

    def due_soon(self, *, on: date, until: date | None = None) -> "DeadlineQuerySet":
        return self.filter(self.model.due_soon_condition(on, until))

    def due_today(self, *, on: date) -> "DeadlineQuerySet":
        return self.filter(self.model.running_condition() & due_today_q("deadline", on))

    def done_on_time(self) -> "DeadlineQuerySet":
        return self.filter(done_on_time=True)

    def done_late(self) -> "DeadlineQuerySet":
        return self.filter(done_on_time=False)


class DeadlineItem(models.Model):
    """Something to be done by a deadline counted in working days.

    A concrete model says which of its states are running (`RUNNING_STATUSES` of its `status`
    field) and which field holds the day the count starts (`COUNTED_FROM`).
    """

    RUNNING_STATUSES: ClassVar[tuple[str, ...]] = ()
    COUNTED_FROM: ClassVar[str] = ""

    deadline = models.DateField(_("deadline"))
    # The working days the deadline was counted in; None for a date chosen by hand. A calendar
    # change recounts only the counted ones.
    working_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_on_time = models.BooleanField(_("done on time"), null=True)

    class Meta:
        abstract = True

    # The conditions behind the QuerySet methods, for counting several at once
    # (`Count("pk", filter=Assignment.overdue_condition(on))`).

    @classmethod
    def running_condition(cls) -> Q:
        return Q(status__in=cls.RUNNING_STATUSES)

    @classmethod
    def overdue_condition(cls, on: date) -> Q:
        return cls.running_condition() & overdue_q("deadline", on)

    @classmethod
    def due_soon_condition(cls, on: date, until: date | None = None) -> Q:
        return cls.running_condition() & due_soon_q("deadline", on, until)

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING_STATUSES

    @property
    def counted_from(self) -> date:
        return getattr(self, self.COUNTED_FROM)

    def mark_done(self, *, at: datetime | None = None) -> None:
        """Record when it was done and whether that was on time (the local day counts)."""
        self.done_at = at or clock.now()
        self.done_on_time = timezone.localdate(self.done_at) <= self.deadline

    def mark_running_again(self) -> None:
        self.done_at = None
        self.done_on_time = None


def deadline_in_working_days(start: date, days: int) -> date:
    return workdays.add_working_days(start, days)


# --- What a deadline means on a page --------------------------------------------------------


@dataclass(frozen=True)
class DeadlineState:
    """What the badges say about a deadline: overdue by N working days, due today or soon."""

    overdue_days: int = 0
    due_today: bool = False
    due_soon: bool = False

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


class DeadlineReader:
    """Reads deadlines as of one day, for a whole page: the calendar of days off is read once.

    `reader.state(deadline, running)` → a `DeadlineState`; `reader.soon` is the last day that
    counts as due soon. Overdue days are working days after the deadline up to and including
    `on` (a deadline of Friday read on Monday is one working day overdue).
    """

    # A page's deadlines rarely lie further back than this, nor "soon" further ahead; a date
    # outside reads the calendar again.
    BEHIND = timedelta(days=366 * 2)
    AHEAD = timedelta(days=60)

    def __init__(self, on: date | None = None) -> None:
        self.on = on or clock.today()
        self._calendar: workdays.WorkingCalendar | None = None

    @property
    def calendar(self) -> workdays.WorkingCalendar:
        if self._calendar is None:
            self._calendar = workdays.WorkingCalendar(self.on - self.BEHIND, self.on + self.AHEAD)
        return self._calendar

    @cached_property
    def soon(self) -> date:
        return self.calendar.add(self.on, DUE_SOON_WORKING_DAYS)

    def overdue_days(self, deadline: date) -> int:
        """Working days after the deadline up to today; at least 1 once the deadline has
        passed (read on the Saturday after a Friday deadline, an item is 1 day late)."""
        if deadline >= self.on:
            return 0
        if deadline < self.calendar.first:
            return max(1, workdays.working_days_between(deadline, self.on))
        return max(1, self.calendar.working_days_between(deadline, self.on))

    def state(self, deadline: date | None, running: bool) -> DeadlineState:
        if not running or deadline is None:
            return DeadlineState()
        if deadline < self.on:
            return DeadlineState(overdue_days=self.overdue_days(deadline))
        if deadline == self.on:
            return DeadlineState(due_today=True)
        return DeadlineState(due_soon=deadline <= self.soon)

    def of(self, item: DeadlineItem) -> DeadlineState:
        return self.state(item.deadline, item.is_running)


# --- Recounting after a calendar change ------------------------------------------------------

Recount = Callable[..., int]
_recounts: dict[str, Recount] = {}


def register_recompute(name: str, recount: Recount) -> None:
    """`recount(actor=...)` recounts one kind of item and returns how many it moved; it
    writes a timeline row on each item it moves. Apps register theirs in `ready()`."""
    _recounts[name] = recount


@transaction.atomic
def deadlines_recompute(*, actor=None) -> int:
    """After the calendar of days off changed: recount every deadline counted in working days
    (a date chosen by hand or granted by an extension stays as it is)."""
    return sum(recount(actor=actor) for recount in _recounts.values())


def recount_items(queryset, *, moved: Callable[..., None], actor=None) -> int:
    """Recount the running items of `queryset` that were counted in working days; call
    `moved(item, old_deadline, actor=actor)` for each one whose deadline changed."""
    changed = 0
    items = queryset.running().filter(working_days__isnull=False).select_for_update()
    for item in items:
        deadline = deadline_in_working_days(item.counted_from, item.working_days)
        if deadline == item.deadline:
            continue
        old, item.deadline = item.deadline, deadline
        item.save(update_fields=["deadline"])
        moved(item, old, actor=actor)
        changed += 1
    return changed


def deadline_calendar(on: date | None = None, *, days: int = 400) -> dict:
    """What a deadline field's hint needs to count working days in the browser: the first
    day, the last day known, and every day off in between with why it is off
    (templates/_deadline_hint.html)."""
    first = on or clock.today()
    last = first + timedelta(days=days)
    calendar = workdays.WorkingCalendar(first, last)
    days_off = {}
    day = first
    while day <= last:
        if not calendar.is_working_day(day):
            days_off[day.isoformat()] = str(calendar.day_off_name(day))
        day += timedelta(days=1)
    return {
        "from": first.isoformat(),
        "fromShown": f"{first:%d/%m/%Y}",
        "until": last.isoformat(),
        "daysOff": days_off,
        "texts": {
            "working": str(_("Due {date}: {days} working days from today.")),
            "dayOff": str(
                _("{date} is a day off ({reason}): choose a working day ({days} working days).")
            ),
            "past": str(_("{date} is before today: choose a later date.")),
        },
    }
