"""The minutes: drawn up from what was recorded, edited, then frozen."""

import uuid

import pytest

from doluong_dialogue.rules import RuleError
from sessions import services
from sessions.models import Minutes
from tests.sessions.helpers import TODAY, held

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(staff, office, clock):
    clock.set(TODAY)
    session = held(staff, clock, starts_at=__import__("datetime").time(7, 30))
    services.attendance_record(session=session, actor=office, attendance=120)
    services.speech_save(
        session=session,
        actor=office,
        client_id=uuid.uuid4(),
        data=services.SpeechData(
            speaker="Lê Đình Hòe",
            speaker_from="Xóm Phú Thịnh",
            raised="Đề nghị công khai đơn giá bồi thường",
            answer="UBND xã sẽ niêm yết tại nhà văn hóa xóm trong tháng 1/2027",
            answered_by="Đồng chí Chủ tịch UBND xã",
        ),
    )
    return session


def test_the_minutes_are_drawn_up_from_what_was_recorded(session, office):
    minutes = services.minutes_draw_up(session=session, actor=office)
    assert "Vào hồi 07 giờ 30, thứ Sáu, ngày 18 tháng 12 năm 2026" in minutes.text
    assert "Tổng số người tham dự: 120" in minutes.text
    assert "Ông/bà Lê Đình Hòe (Xóm Phú Thịnh) nêu" in minutes.text
    assert "Đồng chí Chủ tịch UBND xã trả lời: UBND xã sẽ niêm yết" in minutes.text


def test_final_minutes_no_longer_change(session, office):
    minutes = services.minutes_draw_up(session=session, actor=office)
    with pytest.raises(RuleError) as refusal:
        services.minutes_finalise(minutes=minutes, actor=office)
    assert refusal.value.field == "recorder_name"
    services.minutes_update(
        minutes=minutes,
        actor=office,
        text=minutes.text + "\nBổ sung.",
        recorder_name="Lê Thị Thu Hà",
    )
    minutes = services.minutes_finalise(minutes=Minutes.objects.get(), actor=office)
    assert minutes.is_final
    for change in (
        lambda: services.minutes_update(minutes=minutes, actor=office, text="Khác"),
        lambda: services.minutes_draw_up(session=session, actor=office, again=True),
        lambda: services.minutes_finalise(minutes=minutes, actor=office),
    ):
        with pytest.raises(RuleError):
            change()
    assert Minutes.objects.get().text.endswith("Bổ sung.")
