from datetime import date

import pytest

from petitions import services
from petitions.models import Assignment, ExtensionRequest, Petition
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db


def answered(staff, department, dept_user):
    petition, assignment = assigned(staff, department)
    services.answer_submit(assignment=assignment, actor=dept_user, text="Đã xử lý xong.")
    return petition


@pytest.mark.parametrize(
    ("outcome", "extra"),
    [
        ("resolved", {}),
        ("in_progress", {}),
        ("scheduled", {"scheduled_for": date(2027, 3, 31)}),
        ("forwarded", {"note": "Chuyển Sở Tài nguyên và Môi trường"}),
        ("rejected", {"note": "Nội dung không đúng thực tế"}),
    ],
)
def test_a_petition_closes_with_each_outcome(staff, department, dept_user, outcome, extra):
    petition = answered(staff, department, dept_user)
    services.petition_close(petition=petition, actor=staff, outcome=outcome, **extra)
    petition.refresh_from_db()
    assert (petition.status, petition.outcome) == (Petition.Status.CLOSED, outcome)
    assert petition.closed_at is not None
    assert petition.events.latest("id").kind == "closed"


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ("scheduled", "thời hạn sẽ giải quyết"),
        ("rejected", "lý do không có cơ sở"),
        ("forwarded", "cấp trên"),
        ("duplicate", "gộp kiến nghị"),
    ],
)
def test_outcomes_that_need_more_say_so(staff, outcome, message):
    petition = classified(staff)
    with pytest.raises(services.InvalidTransition, match=message):
        services.petition_close(petition=petition, actor=staff, outcome=outcome)


def test_closing_an_assigned_petition_cancels_its_open_assignment(staff, department):
    petition, assignment = assigned(staff, department)
    services.petition_close(petition=petition, actor=staff, outcome="resolved")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CANCELLED
    assert not Petition.objects.overdue(on=date(2030, 1, 1)).filter(pk=petition.pk).exists()


def test_closing_refuses_a_pending_extension_request(staff, department, dept_user):
    petition, assignment = assigned(staff, department)
    request = services.extension_request(
        assignment=assignment, actor=dept_user, new_deadline=date(2027, 1, 20), reason="Cần thêm"
    )
    services.petition_close(petition=petition, actor=staff, outcome="resolved")
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.REFUSED
    assert not Petition.objects.with_pending_extension().exists()


def test_reopening_needs_a_reason_and_is_recorded(staff):
    petition = classified(staff)
    services.petition_close(petition=petition, actor=staff, outcome="resolved")
    with pytest.raises(services.InvalidTransition, match="lý do mở lại"):
        services.petition_reopen(petition=petition, actor=staff, reason="")
    services.petition_reopen(petition=petition, actor=staff, reason="Người dân phản ánh lại")
    petition.refresh_from_db()
    assert (petition.status, petition.outcome) == (Petition.Status.CLASSIFIED, "")
    assert petition.events.latest("id").note == "Người dân phản ánh lại"


def test_a_closed_petition_cannot_be_closed_again(staff):
    petition = received(staff)
    services.petition_close(
        petition=petition, actor=staff, outcome="rejected", note="Không có cơ sở"
    )
    with pytest.raises(services.InvalidTransition, match="đã kết thúc"):
        services.petition_close(petition=petition, actor=staff, outcome="resolved")


def test_a_routed_out_complaint_keeps_its_legal_channel(staff):
    petition = received(staff)
    services.petition_route_out(
        petition=petition, actor=staff, legal_channel_note="Chuyển Thanh tra theo Luật Tố cáo"
    )
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ROUTED_OUT
    assert petition.kind == Petition.Kind.COMPLAINT


def test_acknowledgement_sending_date_is_checked(staff, clock):
    clock.set(date(2026, 11, 25))
    petition = received(staff)
    with pytest.raises(services.InvalidTransition, match="từ ngày tiếp nhận"):
        services.petition_acknowledge(petition=petition, actor=staff, sent_on=date(2026, 10, 1))
    services.petition_acknowledge(petition=petition, actor=staff, sent_on=date(2026, 11, 10))
    petition.refresh_from_db()
    assert petition.acknowledged_on == date(2026, 11, 10)
    assert not Petition.objects.acknowledgement_pending().exists()
