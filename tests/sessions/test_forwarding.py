"""An organisation forwards what its members raised that needs the commune into the commune's
petition flow, in one action, once; Ban Xây dựng Đảng reads per period who held dialogues,
how many took part and what was forwarded by topic, each figure equal to the list it opens."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from doluong_dialogue.rules import RuleError
from petitions.models import Petition, PetitionEvent, Topic
from sessions import selectors, services
from sessions.models import SessionEvent
from tests.sessions.helpers import TODAY
from tests.sessions.organisation_helpers import (
    FARMERS,
    FRONT,
    organisation,
    organisation_held,
    organisation_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mttq(db):
    return organisation_staff(FRONT, "mttq_staff")


@pytest.fixture
def nongdan(db):
    return organisation_staff(FARMERS, "nongdan_staff")


def speak(session, actor, speaker, raised):
    speech, _created = services.speech_save(
        session=session,
        actor=actor,
        client_id=uuid.uuid4(),
        data=services.SpeechData(speaker=speaker, raised=raised, speaker_from="Xóm Yên Thịnh"),
    )
    return speech


@pytest.fixture
def dialogue(mttq, clock):
    clock.set(TODAY)
    session = organisation_held(mttq, clock)
    services.attendance_record(session=session, actor=mttq, attendance=64)
    return session


def test_forwarded_proposals_enter_the_commune_flow_through_the_organisation(dialogue, mttq):
    road = speak(dialogue, mttq, "Ông Nguyễn Văn Bình", "Đề nghị xã nâng cấp đường ra đồng")
    speak(dialogue, mttq, "Bà Lê Thị Hoa", "Hội cần thêm lớp tập huấn trồng nấm")
    topic = Topic.objects.get(name__startswith="Giao thông")
    [petition] = services.proposals_forward(
        session=dialogue, speeches=[road], actor=mttq, topic=topic
    )
    assert petition.channel == Petition.Channel.FRONT
    assert petition.submitted_by_department == organisation(FRONT)
    assert petition.kind == Petition.Kind.PROPOSAL
    assert petition.petitioner_name == "Ông Nguyễn Văn Bình"
    assert petition.topic == topic
    assert petition.status == Petition.Status.CLASSIFIED
    road.refresh_from_db()
    assert road.petition == petition
    received = petition.events.get(kind=PetitionEvent.Kind.RECEIVED)
    assert dialogue.title in received.note
    assert dialogue.events.filter(kind=SessionEvent.Kind.FORWARDED, note=petition.code).exists()
    # The petition list's session filter finds it: the link back to the dialogue.
    assert list(selectors.petitions_of_session(Petition.objects.all(), dialogue.pk)) == [petition]


def test_the_petition_page_leads_back_to_the_dialogue(client, dialogue, mttq, staff, nongdan):
    road = speak(dialogue, mttq, "Ông Nguyễn Văn Bình", "Đề nghị xã nâng cấp đường ra đồng")
    [petition] = services.proposals_forward(session=dialogue, speeches=[road], actor=mttq)
    client.force_login(staff)
    page = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert [origin.url for origin in page.context["origins"]] == [f"/sessions/{dialogue.pk}/"]
    client.force_login(mttq)
    page = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert f'href="/sessions/{dialogue.pk}/"' in page.content.decode()


def test_forwarding_twice_does_nothing_more(dialogue, mttq):
    road = speak(dialogue, mttq, "Ông Nguyễn Văn Bình", "Đề nghị xã nâng cấp đường ra đồng")
    water = speak(dialogue, mttq, "Bà Lê Thị Hoa", "Kênh tưới xóm Yên Thịnh bị bồi lấp")
    first = services.proposals_forward(session=dialogue, speeches=[road, water], actor=mttq)
    again = services.proposals_forward(session=dialogue, speeches=[road, water], actor=mttq)
    assert len(first) == 2
    assert again == []
    assert Petition.objects.count() == 2
    assert dialogue.events.filter(kind=SessionEvent.Kind.FORWARDED).count() == 1


def test_forwarding_twice_from_the_page_does_nothing_more(client, dialogue, mttq):
    road = speak(dialogue, mttq, "Ông Nguyễn Văn Bình", "Đề nghị xã nâng cấp đường ra đồng")
    client.force_login(mttq)
    url = reverse("sessions:forward", args=[dialogue.pk])
    assert client.post(url, {"ids": [road.pk]}).status_code == 302
    with translation.override("en"):
        again = client.post(url, {"ids": [road.pk]}, follow=True)
    assert [str(message) for message in again.context["messages"]][-1] == (
        "Those proposals were forwarded already: nothing more was forwarded."
    )
    assert Petition.objects.count() == 1
    nothing = client.post(url, {"topic": ""})
    assert nothing.status_code == 200
    assert nothing.context["form"].errors["ids"]


def test_only_an_organisations_held_dialogue_forwards(mttq, staff, clock):
    from tests.sessions.helpers import held, planned

    clock.set(TODAY)
    with pytest.raises(RuleError):
        services.proposals_forward(session=planned(staff), speeches=[], actor=staff)
    with pytest.raises(RuleError):
        services.proposals_forward(
            session=held(staff, clock, title="Kỳ của Đảng ủy"), speeches=[], actor=staff
        )


def test_a_proposal_of_another_session_is_not_forwarded(dialogue, mttq, nongdan, clock):
    clock.set(TODAY)
    other = organisation_held(nongdan, clock, FARMERS)
    theirs = speak(other, nongdan, "Ông Phạm Văn Hải", "Giá phân bón tăng cao")
    assert services.proposals_forward(session=dialogue, speeches=[theirs], actor=mttq) == []
    assert not Petition.objects.exists()


def test_the_party_building_committee_reads_the_rollup(
    client, dialogue, mttq, nongdan, staff, clock
):
    traffic = Topic.objects.get(name__startswith="Giao thông")
    land = Topic.objects.get(name__startswith="Quản lý đất đai")
    services.proposals_forward(
        session=dialogue,
        speeches=[
            speak(dialogue, mttq, "Ông Bình", "Nâng cấp đường ra đồng"),
            speak(dialogue, mttq, "Bà Hoa", "Lắp đèn đường xóm Yên Thịnh"),
        ],
        actor=mttq,
        topic=traffic,
    )
    clock.set(TODAY)
    farmers = organisation_held(nongdan, clock, FARMERS)
    services.attendance_record(session=farmers, actor=nongdan, attendance=40)
    services.proposals_forward(
        session=farmers,
        speeches=[speak(farmers, nongdan, "Ông Hải", "Cấp giấy chứng nhận đất vườn")],
        actor=nongdan,
        topic=land,
    )
    services.proposals_forward(
        session=farmers,
        speeches=[speak(farmers, nongdan, "Bà Sen", "Hỗ trợ giống lúa mới")],
        actor=nongdan,
    )
    client.force_login(staff)
    page = client.get(reverse("sessions:organisations_rollup"), {"year": 2026})
    assert page.status_code == 200
    rollup = page.context["rollup"]
    rows = {row.organisation.name: row for row in rollup.rows}
    assert (rows[FRONT].held, rows[FRONT].attendance, rows[FRONT].forwarded) == (1, 64, 2)
    assert (rows[FARMERS].held, rows[FARMERS].attendance, rows[FARMERS].forwarded) == (1, 40, 2)
    assert rows["Đoàn Thanh niên"].held == 0
    by_topic = {line.topic: line.total for line in rollup.topics}
    assert by_topic == {traffic: 2, land: 1, None: 1}

    def listed(**params):
        return client.get(reverse("petitions:list"), params).context["page"].count

    assert listed(forwarded=rollup.code) == rollup.forwarded == 4
    assert listed(forwarded=rollup.code, channel="front") == rows[FRONT].forwarded
    assert listed(forwarded=rollup.code, channel="farmers") == rows[FARMERS].forwarded
    assert listed(forwarded=rollup.code, topic=traffic.pk) == by_topic[traffic]
    assert listed(forwarded=rollup.code, topic=land.pk) == by_topic[land]
    # The other half of the year had none.
    first_half = client.get(reverse("sessions:organisations_rollup"), {"year": 2026, "half": 1})
    assert first_half.context["rollup"].forwarded == 0


@pytest.mark.parametrize("who", ["mttq", "dept_user"])
def test_the_rollup_is_not_found_by_the_organisations_or_units(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("sessions:organisations_rollup")).status_code == 404


def test_the_rollup_refuses_no_period(client, staff):
    client.force_login(staff)
    assert client.get(reverse("sessions:organisations_rollup"), {"year": "abc"}).status_code == 200
    assert client.get(reverse("sessions:organisations_rollup"), {"half": "9"}).status_code == 200
