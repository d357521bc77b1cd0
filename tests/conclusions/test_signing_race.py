"""Two signatures at the same moment on PostgreSQL, each through its own connection: two
notices get two numbers that follow each other; one notice signed twice gets one number."""

import threading
from datetime import date

import pytest

from conclusions import services
from conclusions.models import Conclusion
from doluong_dialogue.rules import RuleError
from tests.conclusions.helpers import held_session
from tests.documents.test_numbers import in_thread

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def submitted_for(staff, office, clock, department, title):
    session, *_ = held_session(staff, office, clock, department, title=title)
    conclusion = services.conclusion_draft(session=session, actor=staff)
    return services.conclusion_submit(conclusion=conclusion, actor=staff)


def sign_together(conclusions, secretary):
    start = threading.Barrier(len(conclusions))

    def signing(conclusion):
        def work():
            start.wait(timeout=10)
            return services.conclusion_sign(conclusion=conclusion, actor=secretary).number

        return work

    runs = [in_thread(signing(conclusion)) for conclusion in conclusions]
    for thread, _outcome in runs:
        thread.join(timeout=30)
    return [outcome for _thread, outcome in runs]


def test_two_notices_signed_at_once_get_consecutive_numbers(
    reference_data, staff, office, secretary, clock, department
):
    first = submitted_for(staff, office, clock, department, "Kỳ thứ nhất")
    clock.set(date(2026, 11, 25))
    second = submitted_for(staff, office, clock, department, "Kỳ thứ hai")
    outcomes = sign_together([first, second], secretary)
    assert sorted(outcome["value"] for outcome in outcomes) == [1, 2]
    assert sorted(Conclusion.objects.values_list("number", flat=True)) == [1, 2]


def test_one_notice_signed_twice_at_once_has_one_number(
    reference_data, staff, office, secretary, clock, department
):
    conclusion = submitted_for(staff, office, clock, department, "Kỳ duy nhất")
    outcomes = sign_together([conclusion, conclusion], secretary)
    numbers = [outcome["value"] for outcome in outcomes if "value" in outcome]
    refusals = [outcome["error"] for outcome in outcomes if "error" in outcome]
    assert numbers == [1]
    assert len(refusals) == 1 and isinstance(refusals[0], RuleError)
    assert Conclusion.objects.get().number == 1
