"""Each type of document is numbered 1, 2, 3 … within the current term: no gap, no repeat,
also when two people issue documents at the same moment."""

import threading

import pytest
from django.db import connection, connections, transaction

from doluong_dialogue.documents import DocumentCounter, current_term, next_number
from doluong_dialogue.models import SiteConfiguration


def issue(code: str) -> int:
    with transaction.atomic():
        return next_number(code)


@pytest.mark.django_db
def test_numbers_follow_each_other_per_type():
    assert [issue("GM"), issue("GM"), issue("TB"), issue("GM")] == [1, 2, 1, 3]


@pytest.mark.django_db
def test_a_new_term_starts_every_type_again_from_1():
    assert str(current_term()) == "2025-2030"
    issue("GM")
    issue("GM")
    site = SiteConfiguration.load()
    site.term_start_year = 2030
    site.save()
    assert str(current_term()) == "2030-2035"
    assert issue("GM") == 1
    assert DocumentCounter.objects.get(code="GM", term_start=2025).last_number == 2


@pytest.mark.django_db
def test_a_number_whose_document_was_not_saved_is_given_again():
    issue("BB")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("BB") == 2
        raise RuntimeError("the document failed to save")
    assert issue("BB") == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused(reference_data):
    # Autocommit would release the counter at once: the number could not be kept with
    # the document that uses it.
    with pytest.raises(RuntimeError):
        next_number("GM")


def in_thread(work):
    """Run `work` in a thread of its own, with its own database connection."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # reported to the test below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_caller_waits_for_the_first_and_gets_the_next_number(reference_data):
    issue("GM")  # the counter row exists
    first_has_number = threading.Event()
    first_may_commit = threading.Event()

    def first():
        with transaction.atomic():
            number = next_number("GM")
            first_has_number.set()
            first_may_commit.wait(timeout=60)
            return number

    first_thread, first_outcome = in_thread(first)
    assert first_has_number.wait(timeout=60)
    second_thread, second_outcome = in_thread(lambda: issue("GM"))
    # The second caller is held on the counter row until the first commits.
    while not waiting_for_a_lock():
        assert second_thread.is_alive() and "value" not in second_outcome
    first_may_commit.set()
    first_thread.join(timeout=60)
    second_thread.join(timeout=60)
    assert "error" not in first_outcome and "error" not in second_outcome
    assert (first_outcome["value"], second_outcome["value"]) == (2, 3)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_callers_get_every_number_once_even_for_a_new_counter(reference_data):
    start = threading.Barrier(2)

    def many():
        start.wait(timeout=60)
        return [issue("TB") for _ in range(15)]

    runs = [in_thread(many) for _ in range(2)]
    for thread, _outcome in runs:
        thread.join(timeout=120)
    assert all("error" not in outcome for _thread, outcome in runs)
    numbers = runs[0][1]["value"] + runs[1][1]["value"]
    assert sorted(numbers) == list(range(1, 31))
    assert DocumentCounter.objects.get(code="TB").last_number == 30
