from datetime import date

import pytest

from petitions import services
from petitions.models import Answer, Assignment, ExtensionRequest, Petition
from tests.petitions.helpers import assigned

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(clock):
    clock.set(date(2026, 11, 25))
    return clock


def test_an_answer_on_time_is_recorded_as_on_time(staff, department, dept_user, today):
    petition, assignment = assigned(staff, department)
    services.answer_submit(assignment=assignment, actor=dept_user, text="Đã khảo sát, sẽ sửa.")
    assignment.refresh_from_db()
    petition.refresh_from_db()
    assert assignment.status == Assignment.Status.ANSWERED
    assert assignment.done_on_time is True
    assert petition.status == Petition.Status.ANSWERED


def test_a_late_answer_is_recorded_as_late(staff, department, dept_user, today):
    _petition, assignment = assigned(staff, department)
    today.set(date(2026, 12, 15))
    services.answer_submit(assignment=assignment, actor=dept_user, text="Trả lời muộn.")
    assignment.refresh_from_db()
    assert assignment.done_on_time is False


def test_an_empty_answer_is_refused(staff, department, dept_user, today):
    _petition, assignment = assigned(staff, department)
    with pytest.raises(services.InvalidTransition, match="không được để trống"):
        services.answer_submit(assignment=assignment, actor=dept_user, text="   ")


def test_staff_accept_an_answer(staff, department, dept_user, today):
    _petition, assignment = assigned(staff, department)
    answer = services.answer_submit(assignment=assignment, actor=dept_user, text="Trả lời.")
    services.answer_accept(answer=answer, actor=staff)
    answer.refresh_from_db()
    assignment.refresh_from_db()
    assert answer.status == Answer.Status.ACCEPTED
    assert assignment.status == Assignment.Status.ACCEPTED
    with pytest.raises(services.InvalidTransition, match="đã được xem xét"):
        services.answer_accept(answer=answer, actor=staff)


def test_an_answer_returned_for_rework_reopens_the_assignment(staff, department, dept_user, today):
    petition, assignment = assigned(staff, department)
    answer = services.answer_submit(assignment=assignment, actor=dept_user, text="Sơ sài.")
    with pytest.raises(services.InvalidTransition, match="làm lại"):
        services.answer_return(answer=answer, actor=staff, comment="")
    services.answer_return(answer=answer, actor=staff, comment="Bổ sung thời gian thực hiện.")
    assignment.refresh_from_db()
    petition.refresh_from_db()
    assert assignment.status == Assignment.Status.OPEN
    assert assignment.done_on_time is None
    assert petition.status == Petition.Status.ASSIGNED
    second = services.answer_submit(assignment=assignment, actor=dept_user, text="Đầy đủ.")
    assert second.status == Answer.Status.SUBMITTED


def test_an_approved_extension_moves_the_deadline(staff, department, dept_user, today):
    petition, assignment = assigned(staff, department)
    request = services.extension_request(
        assignment=assignment,
        actor=dept_user,
        new_deadline=date(2026, 12, 18),
        reason="Chờ kết quả khảo sát hiện trường",
    )
    with pytest.raises(services.InvalidTransition, match="đang chờ quyết định"):
        services.extension_request(
            assignment=assignment, actor=dept_user, new_deadline=date(2026, 12, 20), reason="x"
        )
    services.extension_decide(request=request, actor=staff, approve=True)
    assignment.refresh_from_db()
    petition.refresh_from_db()
    assert assignment.deadline == petition.deadline == date(2026, 12, 18)
    assert assignment.working_days is None  # no longer recounted from the calendar


def test_a_refused_extension_needs_a_reason_and_keeps_the_deadline(
    staff, department, dept_user, today
):
    _petition, assignment = assigned(staff, department)
    request = services.extension_request(
        assignment=assignment, actor=dept_user, new_deadline=date(2026, 12, 18), reason="Bận"
    )
    with pytest.raises(services.InvalidTransition, match="lý do không đồng ý"):
        services.extension_decide(request=request, actor=staff, approve=False)
    services.extension_decide(request=request, actor=staff, approve=False, note="Việc đơn giản")
    request.refresh_from_db()
    assignment.refresh_from_db()
    assert request.status == ExtensionRequest.Status.REFUSED
    assert assignment.deadline == date(2026, 12, 9)


def test_an_extension_must_be_later_than_the_deadline(staff, department, dept_user, today):
    _petition, assignment = assigned(staff, department)
    with pytest.raises(services.InvalidTransition, match="phải sau"):
        services.extension_request(
            assignment=assignment, actor=dept_user, new_deadline=date(2026, 12, 1), reason="x"
        )
