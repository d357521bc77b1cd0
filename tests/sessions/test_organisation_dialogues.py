"""The Front and each mass organisation plan, hold and record dialogues with their own
members (plan section IV.2): their own staff run them with their own head in the chair; staff
of another organisation do not find them; those who read everything read them; a unit sees
one only when assigned to it."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from doluong_dialogue.rules import RuleError
from petitions.models import Department
from sessions import services
from sessions.models import DialogueSession
from tests.sessions.helpers import TODAY, planned
from tests.sessions.organisation_helpers import (
    FARMERS,
    FRONT,
    organisation,
    organisation_held,
    organisation_planned,
    organisation_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mttq(db):
    return organisation_staff(FRONT, "mttq_staff")


@pytest.fixture
def nongdan(db):
    return organisation_staff(FARMERS, "nongdan_staff")


@pytest.fixture
def front_session(mttq, clock):
    clock.set(TODAY)
    return organisation_planned(mttq)


# --- Services --------------------------------------------------------------------------------


def test_an_organisations_dialogue_is_chaired_by_its_own_head(front_session):
    assert front_session.organiser == organisation(FRONT)
    assert front_session.chair == DialogueSession.Chair.ORGANISATION
    assert front_session.chair_name == "Thái Văn Lợi"
    assert front_session.secretary_name == ""
    assert front_session.presiding == [("Chủ tịch Ủy ban MTTQ Việt Nam xã", "Thái Văn Lợi")]


def test_the_party_committees_session_has_no_organiser(staff, clock):
    clock.set(TODAY)
    session = planned(staff)
    assert session.organiser is None
    assert session.chair == DialogueSession.Chair.SECRETARY


def test_an_organisations_dialogue_needs_its_heads_name(mttq, clock):
    clock.set(TODAY)
    with pytest.raises(RuleError) as refusal:
        planned(mttq, organiser=organisation(FRONT), organiser_head_name="  ")
    assert refusal.value.field == "organiser_head_name"


def test_only_a_front_unit_organises_its_own_dialogue(staff, clock):
    clock.set(TODAY)
    with pytest.raises(RuleError) as refusal:
        planned(
            staff,
            organiser=Department.objects.get(name="Phòng Kinh tế"),
            organiser_head_name="Ai đó",
        )
    assert refusal.value.field == "organiser"


def test_a_session_keeps_its_organiser(front_session, mttq):
    data = services.SessionData.of(front_session)
    data.organiser = organisation(FARMERS)
    with pytest.raises(RuleError) as refusal:
        services.session_update(session=front_session, data=data, actor=mttq)
    assert refusal.value.field == "organiser"


def test_at_an_organisations_dialogue_nothing_becomes_a_petition_on_the_spot(mttq, clock):
    clock.set(TODAY)
    session = organisation_held(mttq, clock)
    with pytest.raises(RuleError) as refusal:
        services.speech_save(
            session=session,
            actor=mttq,
            client_id=uuid.uuid4(),
            data=services.SpeechData(
                speaker="Bà Lê Thị Hoa", raised="Đường ra đồng lầy lội", new_petition=True
            ),
        )
    assert refusal.value.field == "new_petition"


# --- Pages and permissions --------------------------------------------------------------------

READ = ["detail", "agenda", "preparation", "survey"]
MANAGE = ["edit", "invitation", "announcement", "announce", "cancel"]


@pytest.mark.parametrize("page", READ + MANAGE)
def test_the_organisations_own_staff_run_its_dialogue(client, front_session, mttq, page):
    client.force_login(mttq)
    assert client.get(reverse(f"sessions:{page}", args=[front_session.pk])).status_code == 200


@pytest.mark.parametrize("page", READ + MANAGE + ["forward"])
def test_another_organisations_staff_do_not_find_it(client, front_session, nongdan, page):
    client.force_login(nongdan)
    assert client.get(reverse(f"sessions:{page}", args=[front_session.pk])).status_code == 404


@pytest.mark.parametrize("who", ["staff", "office", "secretary", "inspector"])
def test_those_who_read_everything_read_it_and_change_nothing(client, front_session, request, who):
    client.force_login(request.getfixturevalue(who))
    for page in READ:
        assert client.get(reverse(f"sessions:{page}", args=[front_session.pk])).status_code == 200
    for page in MANAGE:
        assert client.get(reverse(f"sessions:{page}", args=[front_session.pk])).status_code == 403


def test_a_unit_sees_it_only_when_assigned(client, front_session, dept_user, department):
    client.force_login(dept_user)
    url = reverse("sessions:detail", args=[front_session.pk])
    assert client.get(url).status_code == 404
    front_session.participating_units.add(department)
    assert client.get(url).status_code == 200
    assert client.get(reverse("sessions:edit", args=[front_session.pk])).status_code == 403


def test_organisation_staff_do_not_manage_the_party_committees_sessions(client, staff, mttq, clock):
    clock.set(TODAY)
    session = planned(staff)
    session.participating_units.add(organisation(FRONT))
    client.force_login(mttq)
    assert client.get(reverse("sessions:detail", args=[session.pk])).status_code == 200
    for page in MANAGE:
        assert client.get(reverse(f"sessions:{page}", args=[session.pk])).status_code == 403


def test_the_year_plan_lists_only_ones_own_organisations_dialogues(
    client, front_session, nongdan, clock
):
    farmers = organisation_planned(nongdan, FARMERS)
    client.force_login(nongdan)
    sessions = client.get(reverse("sessions:plan"), {"year": 2026}).context["sessions"]
    assert [s.pk for s in sessions] == [farmers.pk]


def test_the_petition_lists_session_filter_names_only_the_sessions_one_sees(
    client, front_session, nongdan, staff, clock
):
    farmers = organisation_planned(nongdan, FARMERS)
    client.force_login(nongdan)
    response = client.get(reverse("petitions:list"))
    choices = dict(response.context["form"].fields["session"].choices)
    assert farmers.pk in choices
    assert front_session.pk not in choices
    assert front_session.title not in response.content.decode()
    client.force_login(staff)
    choices = dict(client.get(reverse("petitions:list")).context["form"].fields["session"].choices)
    assert {farmers.pk, front_session.pk} <= set(choices)


def test_organisation_staff_plan_their_own_dialogue_from_the_form(client, mttq, clock):
    clock.set(TODAY)
    client.force_login(mttq)
    page = client.get(reverse("sessions:new"))
    assert "organiser" in page.context["form"].fields
    assert "secretary_name" not in page.context["form"].fields
    response = client.post(
        reverse("sessions:new"),
        {
            "kind": "thematic",
            "title": "Đối thoại với cán bộ, hội viên Mặt trận về giao thông nông thôn",
            "held_on": "18/12/2026",
            "starts_at": "08:00",
            "location": "Nhà văn hóa xóm Yên Thịnh",
            "topics": [organisation_topic().pk],
            "organiser": organisation(FRONT).pk,
            "organiser_head_name": "Thái Văn Lợi",
        },
    )
    assert response.status_code == 302
    session = DialogueSession.objects.get()
    assert session.organiser == organisation(FRONT)
    assert session.chair_name == "Thái Văn Lợi"


def test_organisation_staff_cannot_plan_for_another_organisation(client, mttq, clock):
    clock.set(TODAY)
    client.force_login(mttq)
    with translation.override("en"):
        response = client.post(
            reverse("sessions:new"),
            {
                "kind": "thematic",
                "title": "Mượn danh Hội Nông dân",
                "held_on": "18/12/2026",
                "topics": [organisation_topic().pk],
                "organiser": organisation(FARMERS).pk,
                "organiser_head_name": "Ai đó",
            },
        )
    assert response.status_code == 200
    assert "organiser" in response.context["form"].errors
    assert not DialogueSession.objects.exists()


def test_organisation_staff_do_not_plan_the_periodic_sessions(client, mttq):
    client.force_login(mttq)
    assert client.post(reverse("sessions:plan_periodic")).status_code == 403


def organisation_topic():
    from petitions.models import Topic

    return Topic.objects.get(name__startswith="Giao thông")


# --- The organisation's own documents -----------------------------------------------------------


def test_the_organisations_invitation_and_minutes_are_its_own(mttq, clock):
    from sessions import documents
    from sessions.models import Invitee

    clock.set(TODAY)
    session = organisation_planned(mttq)
    invitation = services.invitation_of(session)
    services.invitee_add(
        invitation=invitation, actor=mttq, kind=Invitee.Kind.PERSON, name="Chi hội xóm Yên Thịnh"
    )
    invitation = services.invitation_issue(invitation=invitation, actor=mttq)
    invitee = invitation.invitees.get()
    letter = documents.invitation_document(invitation, invitee)
    assert letter.number_line == "Số: 01/GM-MTTQ"
    assert letter.issuer.heading[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    text = " ".join(" ".join(run.text for run in block.runs) for block in letter.body[1:])
    assert "Ủy ban MTTQ Việt Nam xã tổ chức" in text
    assert "Chủ tịch Ủy ban MTTQ Việt Nam xã" in text
    assert "Đảng ủy" not in text

    services.session_announce(session=session, actor=mttq)
    clock.set(session.held_on)
    services.session_hold(session=session, actor=mttq)
    minutes = services.minutes_draw_up(session=session, actor=mttq, recorder_name="Hồ Thị Vân")
    minutes = services.minutes_finalise(minutes=minutes, actor=mttq)
    record = documents.minutes_document(minutes)
    assert record.number_line == "Số: 01/BB-MTTQ"
    assert [s.name for s in record.signatures] == ["Hồ Thị Vân", "Thái Văn Lợi"]
    assert "Ủy ban MTTQ Việt Nam xã tổ chức" in minutes.text


def test_the_party_committees_own_numbers_are_not_taken_by_an_organisation(mttq, staff, clock):
    from doluong_dialogue import documents

    clock.set(TODAY)
    session = organisation_planned(mttq)
    invitation = services.invitation_of(session)
    services.invitee_add(invitation=invitation, actor=mttq, kind="person", name="Chi hội A")
    services.invitation_issue(invitation=invitation, actor=mttq)
    from django.db import transaction

    with transaction.atomic():
        assert documents.next_number("GM") == 1


def test_the_page_names_the_organisations_chair_by_its_own_title(client, front_session, mttq):
    client.force_login(mttq)
    page = client.get(reverse("sessions:detail", args=[front_session.pk])).content.decode()
    assert "Thái Văn Lợi, Chủ tịch Ủy ban MTTQ Việt Nam xã" in page


def test_the_organisations_minutes_and_announcement_address_its_own_members(mttq, clock):
    from sessions import announcement_text

    clock.set(TODAY)
    session = organisation_planned(mttq, name=FARMERS)
    for text in (
        announcement_text.loudspeaker_text(session),
        announcement_text.social_text(session),
    ):
        assert "Kính mời cán bộ, hội viên" in text
        assert "đảng viên" not in text
    services.session_announce(session=session, actor=mttq)
    clock.set(session.held_on)
    services.session_hold(session=session, actor=mttq)
    services.attendance_record(session=session, actor=mttq, attendance=58)
    minutes = services.minutes_draw_up(session=session, actor=mttq, recorder_name="Hồ Thị Vân")
    assert "Tổng số người tham dự: 58 cán bộ, hội viên." in minutes.text
