"""What a deadline means on a given day: one meaning for every app, in working days."""

from datetime import date

import pytest

from doluong_dialogue.deadlines import DeadlineReader, deadline_calendar, due_soon_until
from doluong_dialogue.models import CalendarException

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 12, 4)
MONDAY = date(2026, 12, 7)


def test_overdue_days_are_counted_in_working_days():
    reader = DeadlineReader(on=MONDAY)
    assert reader.state(FRIDAY, running=True).overdue_days == 1
    assert reader.state(date(2026, 11, 30), running=True).overdue_days == 5


def test_a_deadline_just_passed_over_a_weekend_is_one_day_late():
    reader = DeadlineReader(on=date(2026, 12, 5))  # Saturday after a Friday deadline
    assert reader.state(FRIDAY, running=True).overdue_days == 1


def test_days_off_are_not_counted_as_late():
    # Tết 2026: 16-20/02 off; a deadline of Friday 13/02 read on Monday 23/02 is 1 day late.
    reader = DeadlineReader(on=date(2026, 2, 23))
    assert reader.state(date(2026, 2, 13), running=True).overdue_days == 1


def test_due_today_and_due_soon():
    reader = DeadlineReader(on=FRIDAY)
    assert reader.state(FRIDAY, running=True).due_today
    assert reader.state(date(2026, 12, 9), running=True).due_soon  # 3 working days
    assert not reader.state(date(2026, 12, 10), running=True).due_soon
    assert due_soon_until(FRIDAY) == date(2026, 12, 9)


def test_a_deadline_that_is_done_or_not_running_is_neither_late_nor_soon():
    reader = DeadlineReader(on=MONDAY)
    assert reader.state(FRIDAY, running=False).overdue_days == 0
    assert reader.state(None, running=True) == reader.state(None, running=False)


def test_the_reader_reads_the_calendar_once_for_a_whole_page(django_assert_num_queries):
    reader = DeadlineReader(on=MONDAY)
    with django_assert_num_queries(1):
        for day in range(1, 30):
            reader.state(date(2026, 11, day), running=True)
        reader.state(date(2026, 12, 9), running=True)


def test_the_hint_calendar_names_each_day_off():
    CalendarException.objects.create(day=date(2026, 12, 31), kind="day_off", note="Nghỉ bù Tết")
    calendar = deadline_calendar(on=date(2026, 12, 1), days=80)
    days_off = calendar["daysOff"]
    assert days_off["2026-12-05"] == "Thứ Bảy"
    assert days_off["2026-12-06"] == "Chủ nhật"
    assert days_off["2026-12-31"] == "Nghỉ bù Tết"
    assert "2026-12-01" not in days_off
    assert days_off["2027-01-01"]  # New Year's Day, by its name
    assert calendar["fromShown"] == "01/12/2026"
    assert "{days}" in calendar["texts"]["working"]
