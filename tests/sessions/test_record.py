"""At the session: attendance and each speaker, saved once however often it is sent."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from doluong_dialogue.rules import RuleError
from petitions.models import Petition
from sessions import services
from sessions.models import AgendaItem, Speech
from tests.petitions.helpers import classified
from tests.sessions.helpers import TODAY, held, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(staff, clock):
    clock.set(TODAY)
    return held(staff, clock)


def speak(session, actor, client_id=None, **fields):
    data = {"speaker": "Nguyễn Văn Thưởng", "raised": "Đường liên xóm hỏng nặng", **fields}
    return services.speech_save(
        session=session,
        actor=actor,
        client_id=client_id or uuid.uuid4(),
        data=services.SpeechData(**data),
    )


def test_a_speech_sent_twice_is_saved_once(session, office):
    client_id = uuid.uuid4()
    speech, created = speak(session, office, client_id)
    again, created_again = speak(session, office, client_id, answer="Sẽ sửa trong quý I")
    assert (created, created_again) == (True, False)
    assert again.pk == speech.pk
    assert Speech.objects.get().answer == "Sẽ sửa trong quý I"


def test_the_same_words_typed_again_under_another_form_are_refused(session, office):
    speak(session, office)
    with pytest.raises(RuleError, match="đã được ghi") as refusal:
        speak(session, office)
    assert refusal.value.field == "raised"
    assert Speech.objects.count() == 1


def test_a_new_petition_raised_at_the_session_joins_the_agenda(session, office):
    speech, _ = speak(session, office, new_petition=True, speaker_from="Xóm Yên Lạc")
    petition = speech.petition
    assert petition.channel == Petition.Channel.SESSION
    assert petition.received_on == session.held_on
    assert petition.petitioner_name == "Nguyễn Văn Thưởng"
    item = AgendaItem.objects.get(session=session, petition=petition)
    assert item.raised_at_session and item.dialogued
    # Corrected later under the same id: no second petition.
    speak(session, office, speech.client_id, new_petition=True, answer="Ghi nhận")
    assert Petition.objects.count() == 1


def test_speaking_about_an_agenda_petition_marks_it_dialogued(session, staff, office):
    petition = classified(staff)
    services.agenda_add(session=session, petitions=[petition], actor=staff)
    item = session.agenda_items.get()
    speech, _ = speak(session, office, agenda_item=item)
    item.refresh_from_db()
    assert item.dialogued
    assert speech.petition == petition


def test_a_speech_needs_its_speaker_and_what_was_raised(session, office):
    with pytest.raises(RuleError) as refusal:
        speak(session, office, speaker=" ", raised="")
    assert {error.field for error in refusal.value.errors} == {"speaker", "raised"}


def test_nothing_is_recorded_before_the_session_is_held(staff, office, clock):
    clock.set(TODAY)
    session = planned(staff)
    with pytest.raises(RuleError, match="đang diễn ra"):
        speak(session, office)


def test_the_page_saves_a_speech_as_json_and_once(client, session, office):
    client.force_login(office)
    url = reverse("sessions:speech_save", args=[session.pk])
    form = {
        "client_id": str(uuid.uuid4()),
        "speaker": "Trần Thị Lài",
        "raised": "Rác thải tồn đọng",
        "dialogued": "on",
    }
    first = client.post(url, form, HTTP_ACCEPT="application/json")
    second = client.post(url, form, HTTP_ACCEPT="application/json")
    assert first.status_code == second.status_code == 200
    assert first.json()["created"] and not second.json()["created"]
    assert "Trần Thị Lài" in first.json()["html"]
    assert Speech.objects.count() == 1
    refused = client.post(
        url, {**form, "client_id": str(uuid.uuid4())}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400
    assert "đã được ghi" in refused.json()["errors"]["raised"][0]


def test_without_a_script_the_form_posts_and_keeps_what_was_typed(client, session, office):
    client.force_login(office)
    url = reverse("sessions:speech_save", args=[session.pk])
    response = client.post(
        url, {"client_id": str(uuid.uuid4()), "speaker": "", "raised": "Giữ lại"}
    )
    assert response.status_code == 200
    assert "Giữ lại" in response.content.decode()
    ok = client.post(
        url, {"client_id": str(uuid.uuid4()), "speaker": "Bà Lan", "raised": "Đèn hỏng"}
    )
    assert ok.status_code == 302


def test_the_record_page_costs_the_same_queries_however_many_speeches(
    client, session, office, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("sessions:record", args=[session.pk])
    for n in range(3):
        speak(session, office, raised=f"Ý kiến {n}")
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for n in range(3, 20):
        speak(session, office, raised=f"Ý kiến {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_attendance_is_recorded_at_the_session(session, office):
    from petitions.models import Department

    units = list(Department.objects.filter(kind="front")[:2])
    services.attendance_record(session=session, actor=office, attendance=148, units=units)
    session.refresh_from_db()
    assert session.attendance == 148
    assert set(session.attending_units.all()) == set(units)
    assert date(2026, 12, 18) == session.held_on
