"""The minutes: drawn up from what was recorded, edited, then frozen."""

import uuid
from datetime import time

import pytest

from doluong_dialogue.rules import RuleError
from sessions import services
from sessions.models import Minutes
from tests.sessions.helpers import TODAY, held

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(staff, office, clock):
    clock.set(TODAY)
    session = held(staff, clock, starts_at=time(7, 30))
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


def test_the_final_minutes_are_numbered_and_printed_as_a_party_document(
    client, session, office, tmp_path, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from doluong_dialogue.documents import RenderedDocument
    from tests.documents.conftest import flowing, pdf_text

    minutes = services.minutes_draw_up(session=session, actor=office)
    services.minutes_update(
        minutes=minutes, actor=office, text=minutes.text, recorder_name="Lê Thị Thu Hà"
    )
    client.force_login(office)
    word = client.get(reverse("sessions:minutes_docx", args=[session.pk]))
    assert word.status_code == 200
    assert word["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    with django_capture_on_commit_callbacks(execute=True):
        minutes = services.minutes_finalise(minutes=Minutes.objects.get(), actor=office)
    assert minutes.number == 1
    record = RenderedDocument.objects.get(builder="sessions.minutes")
    assert record.status == "ready"
    text = flowing(pdf_text(record.file.read(), tmp_path))
    for expected in (
        "ĐẢNG ỦY XÃ ĐÔ LƯƠNG",
        "Số 01-BB/ĐU",
        "Đô Lương, ngày 18 tháng 12 năm 2026",
        "BIÊN BẢN",
        "Đảng ủy xã Đô Lương tổ chức đối thoại chuyên đề về quản lý đất đai",
        "I. THÀNH PHẦN",
        "Ông/bà Lê Đình Hòe (Xóm Phú Thịnh) nêu: Đề nghị công khai đơn giá bồi thường",
        "NGƯỜI GHI BIÊN BẢN",
        "Lê Thị Thu Hà",
        "CHỦ TRÌ HỘI NGHỊ",
        "Phan Đình Toàn",
    ):
        assert expected in text, expected
    # Once final, the minutes have only their PDF.
    assert client.get(reverse("sessions:minutes_docx", args=[session.pk])).status_code == 302
    pdf = client.get(reverse("sessions:minutes_pdf", args=[session.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:4] == b"%PDF"
