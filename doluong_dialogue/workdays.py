"""The working-day calendar that every deadline is counted in.

Weekends are off; so are Vietnamese public holidays (the `holidays` package: Tết
Dương lịch, lunar Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, 24/11 and the days
given in lieu) and the extra days off in `CalendarException`. A make-up working
Saturday in that table counts as a working day.

Counting starts the day after `start`: 10 working days after Monday 20/04/2026 is
Thursday 07/05/2026.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=32)
def holiday_names(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holiday_names(year))


def _exceptions(first: date, last: date) -> tuple[dict[date, str], set[date]]:
    from doluong_dialogue.models import CalendarException

    days_off: dict[date, str] = {}
    working: set[date] = set()
    rows = CalendarException.objects.filter(day__range=(first, last)).values_list(
        "day", "kind", "note"
    )
    for day, kind, note in rows:
        if kind == CalendarException.Kind.WORKING_DAY:
            working.add(day)
        else:
            days_off[day] = note
    return days_off, working


class WorkingCalendar:
    """The calendar over a span of dates, with the exceptions read in one query."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.last = first, last
        self.days_off_notes, self.working = _exceptions(first, last)
        self.days_off = set(self.days_off_notes)

    def is_working_day(self, day: date) -> bool:
        if day in self.working:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return day not in holiday_names(day.year)

    def add(self, start: date, days: int) -> date:
        """`add_working_days` within this span (None past its end: ask `add_working_days`)."""
        step = timedelta(days=1 if days >= 0 else -1)
        remaining, day = abs(days), start
        while remaining:
            day += step
            if not self.first <= day <= self.last:
                return add_working_days(start, days)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (both within the span)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def day_off_name(self, day: date) -> str:
        """Why a day is off ("Tết Nguyên Đán", "Thứ Bảy", an extra day off's note), or ""."""
        if self.is_working_day(day):
            return ""
        if day in self.days_off:
            return self.days_off_notes[day] or str(_("Extra day off"))
        if day in holiday_names(day.year):
            return holiday_names(day.year)[day]
        return str(_("Saturday") if day.weekday() == 5 else _("Sunday"))


def _span(start: date, days: int) -> tuple[date, date]:
    # Generous: even Tết and a run of weekends never stretch 10 working days past 3 weeks.
    reach = timedelta(days=abs(days) * 2 + 30)
    return (start, start + reach) if days >= 0 else (start - reach, start)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (before it when `days` is negative)."""
    step = timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    first, last = _span(start, days)
    calendar = WorkingCalendar(first, last)
    day = start
    while remaining:
        day += step
        if not first <= day <= last:
            first, last = _span(day, remaining if days >= 0 else -remaining)
            calendar = WorkingCalendar(first, last)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    The inverse of `add_working_days`: working_days_between(d, add_working_days(d, n)) == n.
    """
    if end == start:
        return 0
    first, last = min(start, end), max(start, end)
    return WorkingCalendar(first, last).working_days_between(start, end)


def is_working_day(day: date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)
