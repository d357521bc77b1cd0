"""Telling the residents: the loudspeaker and social-network texts and the printed notice,
which follows the session's details."""

import io
from datetime import time

import pytest
from django.urls import reverse
from docx import Document

from doluong_dialogue.documents.models import RenderedDocument
from sessions import services
from sessions.announcement_text import loudspeaker_text, social_text
from tests.documents.conftest import flowing, pdf_text
from tests.sessions.helpers import TODAY, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(staff, clock):
    clock.set(TODAY)
    return planned(staff, starts_at=time(7, 30), location="Nhà văn hóa xóm Yên Thịnh")


def test_the_texts_say_when_where_and_what(session):
    spoken = loudspeaker_text(session)
    assert "vào hồi 7 giờ 30 phút, thứ Sáu, ngày 18 tháng 12 năm 2026" in spoken
    assert "tại Nhà văn hóa xóm Yên Thịnh" in spoken
    assert "quản lý đất đai" in spoken.lower()
    posted = social_text(session)
    assert posted.startswith("THÔNG BÁO: ĐỐI THOẠI CHUYÊN ĐỀ VỀ QUẢN LÝ ĐẤT ĐAI")
    assert "Địa điểm: Nhà văn hóa xóm Yên Thịnh" in posted


def test_announcing_makes_the_printed_notice(
    session, staff, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.session_announce(session=session, actor=staff)
    record = RenderedDocument.objects.get(builder="sessions.announcement")
    assert record.status == "ready"
    text = flowing(pdf_text(record.file.read(), tmp_path))
    for expected in (
        "ĐẢNG ỦY XÃ ĐÔ LƯƠNG",
        "THÔNG BÁO",
        "Về việc tổ chức hội nghị tiếp xúc, đối thoại với Nhân dân",
        "Đô Lương, ngày 25 tháng 11 năm 2026",
        "tại Nhà văn hóa xóm Yên Thịnh",
        "Nơi nhận:",
        "Lưu Văn phòng Đảng ủy.",
    ):
        assert expected in text, expected


def test_the_printed_notice_follows_a_change_of_place(
    session, staff, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.session_announce(session=session, actor=staff)
    first = RenderedDocument.objects.get(builder="sessions.announcement")
    client.force_login(staff)
    page = reverse("sessions:announcement", args=[session.pk])
    assert client.get(page).context["pdf"] == first
    data = services.SessionData.of(session)
    data.location = "Hội trường UBND xã"
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, data=data, actor=staff)
    again = RenderedDocument.objects.get(builder="sessions.announcement")
    assert again.version != first.version and again.revision == first.revision + 1
    assert client.get(page).context["pdf"] == again
    pdf = client.get(reverse("sessions:announcement_pdf", args=[session.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content)[:4] == b"%PDF"


def test_before_announcing_the_notice_is_printed_on_request(
    session, staff, client, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = reverse("sessions:announcement", args=[session.pk])
    assert client.get(page).context["pdf"] is None
    assert client.get(reverse("sessions:announcement_pdf", args=[session.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sessions:announcement_print", args=[session.pk]))
    assert response.status_code == 302
    assert client.get(page).context["pdf"].status == "ready"


def test_the_notice_is_offered_in_word(session, staff, client):
    client.force_login(staff)
    response = client.get(reverse("sessions:announcement_docx", args=[session.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "THÔNG BÁO" in text and "Nhà văn hóa xóm Yên Thịnh" in text
