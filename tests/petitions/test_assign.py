from datetime import date

import pytest
from django.core import mail

from doluong_dialogue.deadlines import deadlines_recompute
from doluong_dialogue.models import SideEffect, SiteConfiguration
from petitions import services
from petitions.models import Assignment, Petition, PetitionEvent
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def today_is_wednesday(clock):
    clock.set(WEDNESDAY)


def test_the_default_deadline_is_ten_working_days_from_assignment(staff, department):
    petition, assignment = assigned(staff, department)
    assert assignment.assigned_on == WEDNESDAY
    assert assignment.deadline == date(2026, 12, 9)
    assert assignment.working_days == 10
    assert (petition.status, petition.deadline, petition.lead_department) == (
        Petition.Status.ASSIGNED,
        date(2026, 12, 9),
        department,
    )


def test_the_default_number_of_working_days_is_a_setting(staff, department):
    SiteConfiguration.objects.filter(pk=1).update(answer_working_days=5)
    _petition, assignment = assigned(staff, department)
    assert assignment.deadline == date(2026, 12, 2)


def test_a_deadline_before_receipt_or_today_is_refused(staff, department):
    petition = classified(staff)
    with pytest.raises(services.InvalidTransition, match="Thời hạn không được trước"):
        services.petition_assign(
            petition=petition, actor=staff, department=department, deadline=date(2026, 10, 1)
        )
    assert not Assignment.objects.exists()


def test_only_a_classified_petition_is_assigned(staff, department):
    petition = received(staff)
    with pytest.raises(services.InvalidTransition):
        services.petition_assign(petition=petition, actor=staff, department=department)


def test_supporting_departments_are_recorded_without_the_lead(staff, department, other_department):
    petition = classified(staff)
    assignment = services.petition_assign(
        petition=petition,
        actor=staff,
        department=department,
        supporting=[department, other_department],
    )
    assert list(assignment.supporting_departments.all()) == [other_department]
    assert "Phòng Văn hóa - Xã hội" in petition.events.latest("id").note


def test_the_lead_department_is_emailed_once_after_commit(
    staff, department, dept_user, django_capture_on_commit_callbacks
):
    department.email = "kinhte@doluong.example"
    department.save()
    with django_capture_on_commit_callbacks(execute=True):
        _petition, assignment = assigned(staff, department)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    members = set(department.members.values_list("email", flat=True))
    assert dept_user.email in members
    assert set(message.to) == {"kinhte@doluong.example", *members}
    assert "Giao trả lời" in message.subject
    assert "09/12/2026" in message.subject
    from doluong_dialogue import side_effects

    effect = SideEffect.objects.get(key=f"assignment-email:{assignment.pk}")
    assert side_effects.run(effect.pk) is None  # a retried task sends nothing more
    assert side_effects.sweep().done == 0  # nor does the sweep
    assert len(mail.outbox) == 1


def test_bulk_assignment_reports_what_it_skipped(staff, department):
    ready = classified(staff)
    not_ready = received(staff)
    done, skipped = services.petitions_assign_bulk(
        petitions=[ready, not_ready], actor=staff, department=department
    )
    assert done == [ready]
    assert [petition for petition, _reason in skipped] == [not_ready]


def test_not_our_remit_returns_the_petition_for_reassignment(staff, department, dept_user):
    petition, assignment = assigned(staff, department)
    with pytest.raises(services.InvalidTransition, match="nêu lý do"):
        services.assignment_decline(assignment=assignment, actor=dept_user, reason="  ")
    services.assignment_decline(
        assignment=assignment, actor=dept_user, reason="Thuộc thẩm quyền Công an xã"
    )
    petition.refresh_from_db()
    assert petition.status == Petition.Status.RETURNED
    assert petition.lead_department is None
    assert petition.deadline is None
    # Staff must reassign it.
    services.petition_assign(petition=petition, actor=staff, department=department)


def test_a_calendar_change_recounts_open_deadlines_counted_in_working_days(staff, department):
    from doluong_dialogue.models import CalendarException

    _petition, assignment = assigned(staff, department)
    CalendarException.objects.create(day=date(2026, 12, 1), kind="day_off", note="Nghỉ bù")
    assert deadlines_recompute(actor=staff) >= 1
    assignment.refresh_from_db()
    assert assignment.deadline == date(2026, 12, 10)
    assert Petition.objects.get(pk=assignment.petition_id).deadline == date(2026, 12, 10)
    # The move is on the petition's timeline, with the old and the new date.
    event = PetitionEvent.objects.filter(kind=PetitionEvent.Kind.DEADLINE_RECOUNTED).get()
    assert event.petition_id == assignment.petition_id
    assert "09/12/2026 → 10/12/2026" in event.note
    # Counting again changes nothing and writes nothing.
    assert deadlines_recompute(actor=staff) == 0
    assert PetitionEvent.objects.filter(kind=PetitionEvent.Kind.DEADLINE_RECOUNTED).count() == 1


def test_overdue_is_computed_from_the_stored_deadline_and_today(staff, department):
    petition, assignment = assigned(staff, department)
    assert list(Petition.objects.overdue(on=date(2026, 12, 10))) == [petition]
    assert list(Assignment.objects.overdue(on=date(2026, 12, 10))) == [assignment]
    assert not Petition.objects.overdue(on=date(2026, 12, 9)).exists()


def test_a_broker_that_is_down_does_not_undo_or_break_the_assignment(
    staff, department, dept_user, django_capture_on_commit_callbacks, caplog
):
    from doluong_dialogue import side_effects
    from tests.broker import celery_using, free_port

    with celery_using(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        with django_capture_on_commit_callbacks(execute=True):
            _petition, assignment = assigned(staff, department)
        assert Assignment.objects.filter(pk=assignment.pk).exists()
        assert "Could not queue" in caplog.text
        assert len(mail.outbox) == 0
        side_effects.sweep()  # what Celery beat runs every minute
    assert len(mail.outbox) == 1
    assert dept_user.email in mail.outbox[0].to
