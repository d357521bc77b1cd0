"""An organisation's staff find their own dialogues of the year on their home page (plan
section IV.2): being prepared, held, notices to issue, proposals forwarded, each figure the
length of the list it opens; nothing yet says so and offers to plan one."""

from datetime import date

import pytest
from lxml import html

from conclusions import services
from sessions import services as session_services
from tests.conclusions.figures import list_length
from tests.sessions.organisation_helpers import (
    FARMERS,
    FRONT,
    organisation_held,
    organisation_planned,
    organisation_staff,
)
from tests.sessions.test_forwarding import speak

pytestmark = pytest.mark.django_db


@pytest.fixture
def mttq(db):
    return organisation_staff(FRONT, "mttq_staff")


@pytest.fixture
def nongdan(db):
    return organisation_staff(FARMERS, "nongdan_staff")


def panel(client) -> html.HtmlElement | None:
    found = html.fromstring(client.get("/").content).xpath('//*[@data-testid="own-dialogues"]')
    return found[0] if found else None


def tiles(client) -> dict[str, tuple[str, int]]:
    return {
        tile.get("data-testid"): (tile.get("href"), int(tile.get("data-figure")))
        for tile in panel(client).xpath(".//a[@data-figure]")
    }


@pytest.fixture
def front_year(mttq, nongdan, clock):
    """The Front's year: a dialogue held, concluded and signed, with a proposal forwarded;
    one more being prepared. The Farmers' Union has one of its own."""
    clock.set(date(2026, 11, 25))
    session = organisation_held(mttq, clock)
    road = speak(session, mttq, "Ông Nguyễn Văn Bình", "Đề nghị xã nâng cấp đường ra đồng")
    session_services.proposals_forward(session=session, speeches=[road], actor=mttq)
    conclusion = services.conclusion_draft(session=session, actor=mttq)
    conclusion = services.conclusion_submit(conclusion=conclusion, actor=mttq)
    conclusion = services.conclusion_sign(conclusion=conclusion, actor=mttq)
    organisation_planned(mttq, held_on=date(2026, 12, 20))
    organisation_planned(nongdan, FARMERS, held_on=date(2026, 12, 21))
    return conclusion


def test_each_figure_is_the_length_of_the_list_it_opens(client, mttq, front_year):
    client.force_login(mttq)
    shown = tiles(client)
    assert {name: value for name, (_href, value) in shown.items()} == {
        "tile-own-planned": 1,
        "tile-own-held": 1,
        "tile-own-to-issue": 1,
        "tile-own-forwarded": 1,
    }
    for href, value in shown.values():
        response = client.get(href)
        assert response.status_code == 200, href
        assert list_length(response.content.decode()) == value, href


def test_another_organisations_dialogues_are_not_counted(client, nongdan, front_year):
    client.force_login(nongdan)
    shown = tiles(client)
    assert shown["tile-own-planned"][1] == 1
    assert shown["tile-own-held"][1] == shown["tile-own-forwarded"][1] == 0


def test_nothing_yet_says_so_and_offers_to_plan_a_dialogue(client, mttq):
    client.force_login(mttq)
    found = panel(client)
    assert found.xpath('.//*[@data-testid="own-dialogues-empty"]')
    assert not found.xpath(".//a[@data-figure]")
    (plan,) = found.xpath('.//a[@data-testid="plan-own-dialogue"]')
    assert client.get(plan.get("href")).status_code == 200


def test_only_an_organisations_staff_have_the_panel(client, staff, dept_user, front_user):
    for user in (staff, dept_user, front_user):  # front_user: the Front role, no organisation
        client.force_login(user)
        assert panel(client) is None


def test_the_panel_costs_a_fixed_number_of_queries(
    client, mttq, front_year, django_assert_max_num_queries
):
    client.force_login(mttq)
    client.get("/")  # warm the per-process caches (site configuration, calendar)
    # 14 without the panel: session, user, roles, units, the organisations, calendar, the
    # unit's inbox (its units, two counts), the tasks (one aggregate), the Front's tiles
    # (whether the user entered petitions for no organisation of theirs, the counts), site
    # configuration, the bell; and the panel's 3: its dialogues (one aggregate), the notices
    # to issue, the proposals forwarded.
    with django_assert_max_num_queries(17) as counted:
        assert client.get("/").status_code == 200
    assert sum("dialogue_sessions_dialoguesession" in q["sql"] for q in counted.captured_queries)
