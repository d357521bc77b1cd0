"""Directives ("5 rõ"): who leads, who supports, what, by when, how it is reported."""

from datetime import date

import pytest

from conclusions import services
from conclusions.services import DirectiveData
from doluong_dialogue.rules import RuleError
from petitions.models import Department
from tests.conclusions.helpers import SESSION_DAY, drafted

pytestmark = pytest.mark.django_db


@pytest.fixture
def conclusion(staff, office, clock, department):
    return drafted(staff, office, clock, department)


def refusal(conclusion, staff, **fields) -> dict[str, str]:
    data = {"lead": None, "task": "Sửa đường", "deadline": date(2027, 1, 29), **fields}
    with pytest.raises(RuleError) as refused:
        services.directive_add(conclusion=conclusion, data=DirectiveData(**data), actor=staff)
    return {error.field: error.message for error in refused.value.errors}


def test_a_directive_needs_its_lead_unit_and_its_task(conclusion, staff):
    errors = refusal(conclusion, staff, lead=None, task="  ")
    assert set(errors) >= {"lead", "task"}


def test_a_directive_needs_a_deadline_after_the_session(conclusion, staff, department):
    assert "deadline" in refusal(conclusion, staff, lead=department, deadline=None)
    errors = refusal(conclusion, staff, lead=department, deadline=SESSION_DAY)
    assert "18/12/2026" in errors["deadline"]
    errors = refusal(conclusion, staff, lead=department, deadline=date(2027, 1, 5), working_days=10)
    assert "working_days" in errors


def test_the_lead_unit_must_have_someone_to_report(conclusion, staff):
    empty = Department.objects.get(name="Đoàn Thanh niên")
    assert "lead" in refusal(conclusion, staff, lead=empty)


def test_the_lead_is_not_also_supporting(conclusion, staff, department):
    errors = refusal(conclusion, staff, lead=department, supporting=[department])
    assert "supporting" in errors


def test_only_the_sessions_petitions_are_linked(conclusion, staff, department):
    from tests.petitions.helpers import classified

    stranger = classified(staff)
    errors = refusal(conclusion, staff, lead=department, petitions=[stranger])
    assert stranger.code in errors["petitions"]


def test_a_deadline_in_working_days_is_counted_from_the_issue(conclusion, staff, department):
    directive = services.directive_add(
        conclusion=conclusion,
        data=DirectiveData(lead=department, task="Lắp lại đèn đường", working_days=10),
        actor=staff,
    )
    # Written on Friday 18/12/2026: ten working days give Friday 01/01/2027 … a holiday, so
    # the count skips it.
    assert directive.working_days == 10
    assert directive.deadline > date(2026, 12, 31)
