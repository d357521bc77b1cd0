"""The one clock every app reads: the date and time in the commune (Asia/Ho_Chi_Minh).

Services take `on=` where the day matters, defaulting to `today()`; demo data and tests pass
the day they mean instead of replacing this module's functions.
"""

from datetime import UTC, date, datetime, time

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def now() -> datetime:
    return timezone.now()


def moment(on: date | None = None) -> datetime:
    """When something done "on" a day happened: now for today, or 08:00 local time of an
    earlier day that a command or the demo data records."""
    if on is None or on == today():
        return now()
    return timezone.make_aware(datetime.combine(on, time(8, 0)))


def localtime(moment: datetime) -> datetime:
    """A stored moment in the commune's time zone."""
    return timezone.localtime(moment)


def start_of_day(on: date) -> datetime:
    """Midnight at the start of `on` in the commune: moments of that day are from it to the
    next day's (a bound on the stored moment, which an index answers). The first day a date
    can hold starts at the first moment (its local midnight is before it in UTC)."""
    if on == date.min:
        return datetime.min.replace(tzinfo=UTC)
    return timezone.make_aware(datetime.combine(on, time.min))
