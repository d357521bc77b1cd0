"""Who sees and does what with sessions: planners plan, the Party Office does the paperwork,
a unit's members read the sessions they take part in and change none, the Front sees the
sessions where its petitions are on the agenda; everyone else gets 404."""

import pytest
from django.urls import reverse

from petitions.models import Department
from sessions import services
from tests.factories import UserFactory
from tests.petitions.helpers import classified
from tests.sessions.helpers import TODAY, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(staff, clock, department):
    clock.set(TODAY)
    session = planned(staff)
    session.participating_units.add(department)
    return session


PAGES = ["detail", "agenda", "preparation"]
PAPERWORK = ["invitation", "announcement"]


@pytest.mark.parametrize("page", PAGES)
def test_a_participating_units_member_reads_the_session(client, session, dept_user, page):
    client.force_login(dept_user)
    assert client.get(reverse(f"sessions:{page}", args=[session.pk])).status_code == 200


@pytest.mark.parametrize("page", PAGES + PAPERWORK)
def test_another_units_member_does_not_find_it(client, session, other_dept_user, page):
    client.force_login(other_dept_user)
    assert client.get(reverse(f"sessions:{page}", args=[session.pk])).status_code == 404


@pytest.mark.parametrize("page", ["edit", "cancel", *PAPERWORK, "announce", "postpone"])
def test_a_units_member_changes_nothing(client, session, dept_user, page):
    client.force_login(dept_user)
    assert client.get(reverse(f"sessions:{page}", args=[session.pk])).status_code == 403


def test_a_units_member_cannot_put_petitions_on_the_agenda(client, session, dept_user, staff):
    petition = classified(staff)
    client.force_login(dept_user)
    response = client.post(
        reverse("sessions:agenda_add", args=[session.pk]), {"ids": [petition.pk]}
    )
    assert response.status_code == 403
    assert not session.agenda_items.exists()


def test_the_party_office_does_the_paperwork_but_does_not_plan(client, session, office):
    client.force_login(office)
    assert client.get(reverse("sessions:invitation", args=[session.pk])).status_code == 200
    assert client.get(reverse("sessions:edit", args=[session.pk])).status_code == 403
    assert client.get(reverse("sessions:new")).status_code == 403


def test_the_front_sees_the_sessions_of_its_petitions_and_only_those_agenda_items(
    client, staff, clock
):
    clock.set(TODAY)
    front_org = Department.objects.get(name="Ủy ban MTTQ Việt Nam xã")
    front = UserFactory(username="mttq_member", roles=["front"], departments=[front_org])
    theirs = classified(staff, submitted_by_department=front_org)
    others = classified(staff)
    with_theirs, without = planned(staff), planned(staff, title="Kỳ khác")
    services.agenda_add(session=with_theirs, petitions=[theirs, others], actor=staff)
    services.agenda_add(session=without, petitions=[others], actor=staff)
    client.force_login(front)
    response = client.get(reverse("sessions:agenda", args=[with_theirs.pk]))
    codes = {item.petition.code for _topic, items in response.context["groups"] for item in items}
    assert codes == {theirs.code}
    assert client.get(reverse("sessions:detail", args=[without.pk])).status_code == 404
    plan = client.get(reverse("sessions:plan"), {"year": 2026})
    assert [s.pk for s in plan.context["sessions"]] == [with_theirs.pk]


def test_the_secretary_and_the_inspection_committee_read_every_session(
    client, session, secretary, inspector
):
    for user in (secretary, inspector):
        client.force_login(user)
        assert client.get(reverse("sessions:detail", args=[session.pk])).status_code == 200
        assert client.get(reverse("sessions:agenda_add", args=[session.pk])).status_code == 405


SESSION_ACTIONS = [
    "announcement_print",
    "invitation_settings",
    "invitee_add",
    "invitees_add_units",
    "invitation_issue",
    "step",
    "attendance",
    "speech_save",
    "minutes_draw_up",
    "minutes_finalise",
    "announce",
    "postpone",
    "cancel",
    "hold",
    "attach",
]


@pytest.mark.parametrize("action", SESSION_ACTIONS)
def test_no_unit_member_acts_on_a_session(client, session, dept_user, other_dept_user, action):
    """A participating unit's member is refused (403); any other unit's does not find the
    session (404); and the session's timeline shows nothing was done."""
    events = session.events.count()
    url = reverse(f"sessions:{action}", args=[session.pk])
    client.force_login(dept_user)
    assert client.post(url, {"reason": "x", "note": "x"}).status_code == 403
    client.force_login(other_dept_user)
    assert client.post(url, {"reason": "x", "note": "x"}).status_code == 404
    assert session.events.count() == events


def test_the_timeline_names_agenda_petitions_only_to_those_who_read_everything(
    client, session, dept_user, staff
):
    """An agenda change's note lists receipt codes; a unit member may not see the petitions
    behind them (the agenda page lists those they may)."""
    petition = classified(staff)
    services.agenda_add(session=session, petitions=[petition], actor=staff)
    client.force_login(dept_user)
    page = client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    assert petition.code not in page
    client.force_login(staff)
    page = client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    assert petition.code in page
