"""The one clock every app reads: the date and time in the commune (Asia/Ho_Chi_Minh).

Services take `on=` where the day matters, defaulting to `today()`; demo data and tests pass
the day they mean instead of replacing this module's functions.
"""

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def now() -> datetime:
    return timezone.now()
