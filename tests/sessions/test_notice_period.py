"""How long before a session its people are told. The Party committee's dialogue with the
people: at least 7 days (Luật Tổ chức chính quyền địa phương 2025, Điều 43; plan section
II.6.1), or a reason for the short notice. An organisation's dialogue with its own members
(plan section IV.2): no notice period. Either way the distance reads naturally."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from doluong_dialogue.rules import RuleError
from sessions import services
from tests.sessions.helpers import TODAY, planned
from tests.sessions.organisation_helpers import FRONT, organisation_planned, organisation_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def mttq(db):
    return organisation_staff(FRONT, "mttq_staff")


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)


@pytest.mark.parametrize(
    ("days", "when"),
    [(0, "The session is today"), (1, "The session is tomorrow"), (3, "The session is in 3 days")],
)
def test_the_party_committees_short_notice_is_refused_in_plain_words(staff, days, when):
    session = planned(staff, held_on=TODAY + timedelta(days=days))
    with translation.override("en"), pytest.raises(RuleError) as refusal:
        services.session_announce(session=session, actor=staff)
    assert str(refusal.value).startswith(f"{when}: residents must be told at least 7 days")
    assert refusal.value.field == "short_notice_reason"


@pytest.mark.parametrize("days", [0, 1, 3])
def test_an_organisations_own_dialogue_needs_no_notice_period(mttq, days):
    session = organisation_planned(mttq, held_on=TODAY + timedelta(days=days))
    session = services.session_announce(session=session, actor=mttq)
    assert session.status == session.Status.ANNOUNCED
    assert session.short_notice_reason == ""


def test_announced_on_the_day_the_timeline_says_so(mttq):
    session = organisation_planned(mttq, held_on=TODAY)
    with translation.override("en"):
        services.session_announce(session=session, actor=mttq)
    assert session.events.latest("id").note == "on the day of the session"


def test_an_organisations_dialogue_is_not_announced_after_its_day(mttq, clock):
    session = organisation_planned(mttq, held_on=date(2026, 11, 26))
    clock.set(date(2026, 11, 27))
    with pytest.raises(RuleError):
        services.session_announce(session=session, actor=mttq)


def test_the_announce_page_of_an_organisations_dialogue_asks_for_no_reason(client, mttq):
    session = organisation_planned(mttq, held_on=TODAY)
    client.force_login(mttq)
    url = reverse("sessions:announce", args=[session.pk])
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The session is today." in page
    assert "no minimum notice" in page
    assert 'name="short_notice_reason"' not in page
    assert "Còn 0 ngày" not in page
    assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.status == session.Status.ANNOUNCED


def test_the_announce_page_of_the_party_committees_session_keeps_the_rule(client, staff):
    session = planned(staff, held_on=TODAY + timedelta(days=1))
    client.force_login(staff)
    with translation.override("en"):
        page = client.get(reverse("sessions:announce", args=[session.pk])).content.decode()
    assert "The session is tomorrow. Residents are told at least 7 days before" in page
    assert 'name="short_notice_reason"' in page
