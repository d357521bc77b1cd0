"""Bad input on the sessions' pages: a clear Vietnamese message, what was typed kept, no 500."""

from datetime import date

import pytest
from django.urls import reverse

from sessions import services
from sessions.models import AgendaItem, DialogueSession
from tests.petitions.helpers import classified
from tests.sessions.helpers import TODAY, planned

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)
    return clock


def page_text(response) -> str:
    return response.content.decode()


def test_a_session_dated_in_the_past_is_refused_and_the_form_kept(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("sessions:new"),
        {
            "kind": "ad_hoc",
            "title": "Đối thoại về nước sạch xóm Yên Lạc",
            "held_on": "20/11/2026",
            "starts_at": "07:30",
            "pressing_issue": "Giếng khoan nhiễm phèn",
            "decided_by": "Thường trực Đảng ủy",
            "chair": "secretary",
        },
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "đã qua" in text
    assert 'value="Đối thoại về nước sạch xóm Yên Lạc"' in text
    assert "Giếng khoan nhiễm phèn" in text
    assert not DialogueSession.objects.exists()


def test_a_date_that_does_not_exist_is_named(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("sessions:new"),
        {"kind": "thematic", "title": "Kỳ thử", "held_on": "31/02/2027", "chair": "secretary"},
    )
    assert response.status_code == 200
    assert "Không có ngày 31/02/2027: tháng 2 năm 2027 có 28 ngày." in page_text(response)


def test_a_short_notice_without_its_reason_is_refused(client, staff, office):
    session = planned(staff, held_on=date(2026, 11, 30))
    client.force_login(office)
    url = reverse("sessions:announce", args=[session.pk])
    response = client.post(url, {"short_notice_reason": ""})
    assert response.status_code == 200
    assert "ít nhất 7 ngày" in page_text(response)
    session.refresh_from_db()
    assert session.status == DialogueSession.Status.PLANNED
    client.post(url, {"short_notice_reason": "Sự việc bức xúc, cần đối thoại ngay"})
    session.refresh_from_db()
    assert session.status == DialogueSession.Status.ANNOUNCED


def test_an_invitee_without_a_name_is_refused_keeping_the_position(client, staff, office):
    session = planned(staff)
    client.force_login(office)
    response = client.post(
        reverse("sessions:invitee_add", args=[session.pk]),
        {"kind": "person", "name": "", "position": "Trưởng xóm Yên Lạc"},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "tên" in text.lower() and "is-invalid" in text
    assert 'value="Trưởng xóm Yên Lạc"' in text
    assert not services.invitation_of(session).invitees.exists()


def test_a_petition_put_twice_on_the_same_agenda_is_named_not_added_again(client, staff):
    session = planned(staff)
    petition = classified(staff)
    client.force_login(staff)
    url = reverse("sessions:agenda_add", args=[session.pk])
    client.post(url, {"ids": [petition.pk]})
    response = client.post(url, {"ids": [petition.pk]}, follow=True)
    assert response.status_code == 200
    assert "đã có trong chương trình" in page_text(response)
    assert AgendaItem.objects.filter(session=session, petition=petition).count() == 1


def test_an_id_past_what_a_column_holds_is_an_invalid_choice_not_a_server_error(client, staff):
    """Units and topics are chosen by id; a number past 64 bits made SQLite overflow."""
    session = planned(staff)
    huge = "99999999999999999999999"
    client.force_login(staff)
    response = client.post(
        reverse("sessions:new"),
        {"kind": "thematic", "title": "Đối thoại", "topics": huge, "participating_units": huge},
    )
    assert response.status_code == 200
    assert "topics" in response.context["form"].errors
    response = client.post(reverse("sessions:attendance", args=[session.pk]), {"units": huge})
    assert response.status_code == 200
    assert "units" in response.context["attendance_form"].errors
