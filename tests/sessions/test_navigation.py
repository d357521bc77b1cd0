"""The main menu: who finds the reception schedule in it, and which item a page lights up."""

from datetime import time

import pytest
from django.urls import reverse
from lxml import html

from sessions import reception
from tests.conclusions.test_organisation_notice import concluded
from tests.sessions.helpers import TODAY
from tests.sessions.organisation_helpers import FRONT, organisation_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def mttq(db):
    return organisation_staff(FRONT, "mttq_staff")


def menu(client, url) -> tuple[list[str], list[str]]:
    """The main menu's links and the one marked active, as (hrefs, active hrefs)."""
    tree = html.fromstring(client.get(url).content)
    links = tree.xpath('//div[@id="main-nav"]/ul[contains(@class, "me-auto")]//a[@href]')
    active = tree.xpath(
        '//div[@id="main-nav"]/ul[contains(@class, "me-auto")]/li/a[contains(@class, "active")]'
    )
    return [a.get("href") for a in links], [a.get("href") or a.text_content() for a in active]


@pytest.mark.parametrize("who", ["secretary", "office", "staff", "inspector"])
def test_those_who_may_open_the_reception_schedule_find_it_in_the_menu(client, request, who):
    client.force_login(request.getfixturevalue(who))
    links, _ = menu(client, reverse("home"))
    assert reverse("sessions:reception") in links


@pytest.mark.parametrize("who", ["dept_user", "mttq"])
def test_others_do_not(client, request, who):
    client.force_login(request.getfixturevalue(who))
    links, _ = menu(client, reverse("home"))
    assert reverse("sessions:reception") not in links


def test_reception_pages_light_up_the_reception_item(client, secretary, clock):
    clock.set(TODAY)
    day = reception.reception_day_schedule(
        held_on=TODAY, starts_at=time(7, 30), location="Trụ sở", actor=secretary
    )
    client.force_login(secretary)
    for url in (reverse("sessions:reception"), reverse("sessions:reception_day", args=[day.pk])):
        assert menu(client, url)[1] == [reverse("sessions:reception")]
    assert menu(client, reverse("sessions:plan"))[1] == [reverse("sessions:plan")]


def test_planning_a_session_lights_up_sessions_not_taking_in(client, staff):
    client.force_login(staff)
    assert menu(client, reverse("sessions:new"))[1] == [reverse("sessions:plan")]
    _, active = menu(client, reverse("petitions:new"))
    assert len(active) == 1 and reverse("sessions:plan") not in active


def test_an_organisations_conclusion_belongs_to_its_dialogue_for_its_staff(client, mttq, clock):
    conclusion = concluded(mttq, clock)
    client.force_login(mttq)
    url = reverse("conclusions:detail", args=[conclusion.pk])
    assert menu(client, url)[1] == [reverse("sessions:plan")]


def test_the_party_committees_conclusions_keep_their_item(client, staff, mttq, clock):
    conclusion = concluded(mttq, clock)
    client.force_login(staff)
    url = reverse("conclusions:detail", args=[conclusion.pk])
    assert menu(client, url)[1] == [reverse("conclusions:list")]
