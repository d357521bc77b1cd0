"""A session from its plan to being held: each change a service with its timeline row."""

from datetime import date

import pytest

from doluong_dialogue.rules import RuleError
from sessions import services
from sessions.models import DialogueSession, PreparationStep, SessionEvent
from tests.sessions.helpers import TODAY, announced, planned

pytestmark = pytest.mark.django_db
Status = DialogueSession.Status


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)
    return clock


def test_planning_a_session_writes_its_timeline(staff):
    session = planned(staff)
    assert session.status == Status.PLANNED
    assert session.year == 2026
    assert [e.kind for e in session.events.all()] == [SessionEvent.Kind.PLANNED]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"held_on": date(2026, 11, 20)}, "held_on", "đã qua"),
        ({"kind": "thematic", "topics": []}, "topics", "ít nhất một lĩnh vực"),
        ({"kind": "ad_hoc", "pressing_issue": " "}, "pressing_issue", "vấn đề bức xúc"),
        ({"kind": "ad_hoc", "decided_by": ""}, "decided_by", "quyết định"),
        ({"kind": "periodic", "half_year": 1}, "held_on", "nửa năm"),
        ({"title": "  "}, "title", "tên"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(staff, fields, field, message):
    with pytest.raises(RuleError) as refusal:
        planned(staff, **fields)
    fields_named = {error.field: error.message for error in refusal.value.errors}
    assert field in fields_named
    assert message in fields_named[field].lower()
    assert not DialogueSession.objects.exists()


def test_the_periodic_sessions_of_the_year_are_planned_in_one_action(staff):
    created, skipped = services.sessions_plan_periodic(year=2027, actor=staff)
    assert [(s.half_year, s.held_on) for s in created] == [
        (1, date(2027, 6, 15)),
        (2, date(2027, 12, 15)),
    ]
    assert skipped == []
    # Again: nothing more.
    created, skipped = services.sessions_plan_periodic(year=2027, actor=staff)
    assert created == [] and len(skipped) == 2


def test_a_half_year_that_has_passed_is_not_planned(staff):
    created, skipped = services.sessions_plan_periodic(year=2026, actor=staff)
    assert [s.half_year for s in created] == [2]
    assert created[0].held_on >= date(2026, 12, 7)  # room to announce it 7 days before
    assert "đã qua" in skipped[0]


def test_announcing_needs_seven_days_notice_or_a_reason(staff):
    session = planned(staff, held_on=date(2026, 11, 30))
    with pytest.raises(RuleError, match="ít nhất 7 ngày") as refusal:
        services.session_announce(session=session, actor=staff)
    assert refusal.value.field == "short_notice_reason"
    session = services.session_announce(
        session=session, actor=staff, reason="Vụ việc bức xúc cần đối thoại ngay"
    )
    assert session.status == Status.ANNOUNCED
    assert session.short_notice_reason == "Vụ việc bức xúc cần đối thoại ngay"
    assert "Vụ việc bức xúc" in session.events.latest("id").note


def test_announcing_in_time_needs_no_reason_and_ticks_the_checklist(staff):
    session = announced(staff)
    assert session.announced_on == TODAY
    assert session.preparation_steps.filter(step=PreparationStep.Step.ANNOUNCEMENT).exists()


def test_a_postponed_session_moves_and_must_be_announced_again(staff):
    session = announced(staff)
    with pytest.raises(RuleError) as refusal:
        services.session_postpone(session=session, actor=staff, new_date=TODAY, reason="")
    assert {e.field for e in refusal.value.errors} == {"reason", "new_date"}
    session = services.session_postpone(
        session=session, actor=staff, new_date=date(2027, 1, 8), reason="Trùng lịch họp huyện"
    )
    assert (session.status, session.held_on, session.announced_on) == (
        Status.POSTPONED,
        date(2027, 1, 8),
        None,
    )
    assert "18/12/2026 → 08/01/2027" in session.events.latest("id").note
    assert services.session_announce(session=session, actor=staff).status == Status.ANNOUNCED


def test_an_announced_session_moves_only_by_postponement(staff):
    session = announced(staff)
    data = services.SessionData.of(session)
    data.held_on = date(2026, 12, 21)
    with pytest.raises(RuleError, match="hoãn") as refusal:
        services.session_update(session=session, data=data, actor=staff)
    assert refusal.value.field == "held_on"


def test_a_cancelled_session_keeps_its_reason_and_changes_no_more(staff):
    session = planned(staff)
    with pytest.raises(RuleError):
        services.session_cancel(session=session, actor=staff, reason=" ")
    session = services.session_cancel(session=session, actor=staff, reason="Thiên tai")
    assert session.status == Status.CANCELLED
    with pytest.raises(RuleError):
        services.session_announce(session=session, actor=staff)


def test_a_session_is_held_on_its_day_once_announced(staff, today):
    session = planned(staff)
    with pytest.raises(RuleError, match="đã thông báo"):
        services.session_hold(session=session, actor=staff)
    session = services.session_announce(session=session, actor=staff)
    with pytest.raises(RuleError, match="18/12/2026"):
        services.session_hold(session=session, actor=staff)
    today.set(date(2026, 12, 18))
    assert services.session_hold(session=session, actor=staff).status == Status.HELD


def test_the_checklist_records_who_did_each_step(staff):
    session = planned(staff)
    services.step_done(session=session, step="collection", actor=staff, note="Qua MTTQ")
    step = session.preparation_steps.get(step="collection")
    assert (step.done_by, step.note) == (staff, "Qua MTTQ")
    with pytest.raises(RuleError):
        services.step_done(session=session, step="collection", actor=staff)


def test_a_held_session_is_concluded_then_archived_with_final_minutes(
    staff, office, secretary, client, today
):
    from django.urls import reverse

    from tests.sessions.helpers import held

    session = held(staff, today)
    with pytest.raises(RuleError, match="kết luận"):
        services.session_archive(session=session, actor=office)
    services.session_conclude(session=session, actor=secretary, note="Thông báo số 12-TB/ĐU")
    with pytest.raises(RuleError, match="đã tổ chức"):
        services.session_conclude(session=session, actor=secretary)
    # The dossier is not complete without final minutes; the page says so, and keeps the state.
    client.force_login(office)
    response = client.post(reverse("sessions:archive", args=[session.pk]), follow=True)
    assert "Hoàn thiện biên bản trước khi lưu hồ sơ" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Status.CONCLUDED
    minutes = services.minutes_draw_up(session=session, actor=office)
    services.minutes_update(
        minutes=minutes, actor=office, text=minutes.text, recorder_name="Lê Thị Thu Hà"
    )
    services.minutes_finalise(minutes=minutes, actor=office)
    client.post(reverse("sessions:archive", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == Status.ARCHIVED
    kinds = list(session.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == ["concluded", "minutes_finalised", "archived"]
    # The filed dossier takes no more documents.
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(RuleError, match="đã được lưu trữ"):
        services.attachment_add(
            session=session,
            actor=office,
            upload=SimpleUploadedFile("them.pdf", b"%PDF-1.4", content_type="application/pdf"),
        )
    assert not session.attachments.exists()
