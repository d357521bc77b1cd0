from datetime import date

import pytest

from doluong_dialogue.models import CalendarException
from doluong_dialogue.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_ten_working_days_after_monday_20_april_2026_is_thursday_7_may():
    # Skips Giỗ Tổ in lieu (27/04), 30/04, 01/05 and two weekends.
    assert add_working_days(date(2026, 4, 20), 10) == date(2026, 5, 7)
    assert working_days_between(date(2026, 4, 20), date(2026, 5, 7)) == 10


def test_lunar_new_year_days_are_skipped():
    assert [is_working_day(date(2026, 2, day)) for day in range(16, 21)] == [False] * 5
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_make_up_working_saturday_22_august_2026_counts_as_a_working_day():
    assert is_working_day(date(2026, 8, 22))
    assert add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    # ...while Monday 31/08, the day it pays for, and Quốc khánh are off.
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_weekends_and_24_november_are_not_working_days():
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 22))  # Sunday
    assert not is_working_day(date(2026, 11, 24))  # Ngày Văn hóa Việt Nam
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)


def test_an_extra_day_off_from_the_table_is_skipped():
    CalendarException.objects.create(
        day=date(2026, 11, 25), kind=CalendarException.Kind.DAY_OFF, note="Nghỉ thêm"
    )
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 26)
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 27)) == 2


def test_counting_backwards_and_the_inverse():
    assert add_working_days(date(2026, 5, 7), -10) == date(2026, 4, 20)
    assert working_days_between(date(2026, 5, 7), date(2026, 4, 20)) == -10
    assert add_working_days(date(2026, 3, 4), 0) == date(2026, 3, 4)
    start = date(2026, 1, 2)
    for days in (1, 5, 10, 30, 90):
        assert working_days_between(start, add_working_days(start, days)) == days


def test_a_long_count_across_the_year_end():
    # 01/01/2027 is Tết Dương lịch; the calendar reaches into the next year.
    assert add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
