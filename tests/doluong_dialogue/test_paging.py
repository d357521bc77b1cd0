from datetime import date, timedelta

import pytest

from doluong_dialogue.models import CalendarException
from doluong_dialogue.paging import Page, capped_count, page_number, paginate

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 1, 1)


@pytest.fixture(autouse=True)
def no_seeded_days():
    CalendarException.objects.all().delete()  # the data migration adds the 2026 make-up day


def make_days(n: int) -> None:
    CalendarException.objects.bulk_create(
        CalendarException(day=FIRST_DAY + timedelta(days=i), kind="day_off") for i in range(n)
    )


def days():
    return CalendarException.objects.order_by("day")


def day_numbers(page: Page) -> list[int]:
    return [(row.day - FIRST_DAY).days for row in page.rows]


def test_capped_count_is_exact_up_to_the_cap_and_none_beyond():
    make_days(6)
    assert capped_count(days(), cap=6) == 6
    assert capped_count(days(), cap=5) is None
    assert capped_count(days().filter(day__lt=FIRST_DAY + timedelta(days=3)), cap=5) == 3


def test_capped_count_reads_at_most_cap_plus_one_rows(django_assert_num_queries):
    make_days(6)
    with django_assert_num_queries(1) as captured:
        capped_count(days(), cap=4)
    assert "LIMIT 5" in captured.captured_queries[0]["sql"]


def test_a_first_page_that_is_not_full_needs_no_count_query(django_assert_num_queries):
    make_days(3)
    with django_assert_num_queries(2):  # ids, rows
        page = paginate(days(), 1, per_page=5)
    assert page.count == 3
    assert page.num_pages == 1
    assert not page.has_next
    assert not page.has_other_pages


def test_a_full_first_page_counts(django_assert_num_queries):
    make_days(7)
    with django_assert_num_queries(3):  # ids, count, rows
        page = paginate(days(), 1, per_page=5)
    assert page.count == 7
    assert page.num_pages == 2
    assert page.has_next
    assert day_numbers(page) == [0, 1, 2, 3, 4]


def test_a_later_page_keeps_the_order_of_the_queryset(django_assert_num_queries):
    make_days(12)
    with django_assert_num_queries(3):  # count, ids, rows
        page = paginate(CalendarException.objects.order_by("-day"), "2", per_page=5)
    assert day_numbers(page) == [6, 5, 4, 3, 2]
    assert page.start_index == 6
    assert page.end_index == 10
    assert page.has_previous
    assert page.has_next


def test_above_the_cap_the_count_is_unknown_and_only_previous_next_are_offered():
    make_days(12)
    page = paginate(days(), 2, per_page=3, cap=10)
    assert page.count is None
    assert page.count_capped
    assert page.num_pages is None
    assert page.page_range == []
    assert page.has_next
    assert day_numbers(page) == [3, 4, 5]


def test_deep_pages_past_the_cap_still_work():
    make_days(12)
    page = paginate(days(), 4, per_page=3, cap=5)
    assert day_numbers(page) == [9, 10, 11]
    assert not page.has_next


def test_a_page_past_the_end_shows_the_last_page():
    make_days(7)
    page = paginate(days(), 9, per_page=5)
    assert page.out_of_range
    assert page.requested == 9
    assert page.number == 2
    assert day_numbers(page) == [5, 6]


def test_a_page_past_the_end_of_an_uncounted_list_is_empty_and_says_so():
    make_days(12)
    page = paginate(days(), 9, per_page=3, cap=5)
    assert page.out_of_range
    assert page.rows == []
    assert page.has_previous


def test_an_empty_list_is_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = paginate(days(), 1, per_page=5)
    assert page.rows == []
    assert page.count == 0
    assert page.num_pages == 1


def test_a_list_counted_empty_is_not_read_again(django_assert_num_queries):
    make_days(3)  # what a count given as 0 would not see: the count is the caller's
    for number in (1, 4):
        with django_assert_num_queries(0):
            page = paginate(days(), number, per_page=5, count=0)
        assert page.rows == []
        assert page.count == 0 and page.num_pages == 1
        assert page.out_of_range == (number > 1)


def test_rows_can_be_fetched_another_way_and_keep_the_page_order():
    make_days(6)
    fetched = []

    def rows(ids):
        fetched.extend(ids)
        return CalendarException.objects.filter(pk__in=ids).order_by("-day")

    page = paginate(days(), 1, per_page=4, rows=rows)
    assert len(fetched) == 4
    assert day_numbers(page) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("typed", "number"), [(None, 1), ("", 1), ("abc", 1), ("-3", 1), ("0", 1), ("7", 7), (4, 4)]
)
def test_anything_but_a_positive_page_number_is_the_first_page(typed, number):
    assert page_number(typed) == number


@pytest.mark.parametrize(
    ("number", "last", "links"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 9, [1, 2, 3, None, 9]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (4, 20, [1, 2, 3, 4, 5, 6, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_numbered_links_surround_the_current_page(number, last, links):
    page = Page(rows=[], number=number, per_page=10, count=last * 10, cap=10_000, has_next=False)
    assert page.page_range == links


def test_a_count_the_caller_already_has_is_not_counted_again(django_assert_num_queries):
    make_days(12)
    with django_assert_num_queries(2):  # ids, rows
        page = paginate(days(), 1, per_page=5, count=12)
    assert page.num_pages == 3
    with django_assert_num_queries(2):
        page = paginate(days(), 9, per_page=5, count=12)
    assert page.out_of_range
    assert day_numbers(page) == [10, 11]
    with django_assert_num_queries(2):
        page = paginate(days(), 2, per_page=5, count=None)  # more than the cap
    assert page.count_capped
    assert day_numbers(page) == [5, 6, 7, 8, 9]
