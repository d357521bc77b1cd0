"""Every figure on a home page equals the length of the list its link opens.

The demo commune holds petitions in every state; each demo account's home page is read, and
every figure's link is opened as that account.
"""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from conclusions.demo.reference import ACCOUNTS

pytestmark = pytest.mark.django_db


class Figures(HTMLParser):
    """The (href, value) of every element that carries a figure (`data-figure`)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-figure" in attrs:
            self.found.append((attrs["href"], int(attrs["data-figure"])))


class ListCount(HTMLParser):
    """The length of a list page: its `result-count` element's `data-count`."""

    def __init__(self) -> None:
        super().__init__()
        self.count: int | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("data-testid") == "result-count" and attrs.get("data-count"):
            self.count = int(attrs["data-count"])


def figures_of(html: str) -> list[tuple[str, int]]:
    parser = Figures()
    parser.feed(html)
    return parser.found


def list_length(html: str) -> int:
    parser = ListCount()
    parser.feed(html)
    if parser.count is None:
        return 0  # an empty list shows its empty state, with no count
    return parser.count


def test_every_home_figure_equals_the_list_its_link_opens(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth.models import User

    checked = 0
    session_figures = []
    conclusion_figures = {}
    for username, *_rest in ACCOUNTS:
        client.force_login(User.objects.get(username=username))
        figures = figures_of(client.get("/").content.decode())
        assert figures, f"{username}'s home page shows no figure"
        for href, value in figures:
            response = client.get(href)
            assert response.status_code == 200, href
            assert list_length(response.content.decode()) == value, (username, href)
            checked += 1
            if href.startswith("/sessions/") or "agenda_owed" in href:
                session_figures.append(value)
            if href.startswith("/conclusions/"):
                conclusion_figures[(username, href)] = value
    # The demo has something in most states: the check is not vacuous.
    assert checked > 30
    # The sessions' tiles (to prepare, answers owed, invitations and minutes waiting, upcoming)
    # are among them, most with something in them.
    assert len(session_figures) >= 5 and sum(1 for value in session_figures if value) >= 3
    # So are the conclusions' tiles: the demo has a notice to sign, one to issue, a returned
    # draft, reports to review and overdue directives.
    shown = {
        (user, href.split("?")[0]): value for (user, href), value in conclusion_figures.items()
    }
    assert len(conclusion_figures) >= 6
    assert sum(1 for value in conclusion_figures.values() if value) >= 5, shown


def test_the_overdue_table_adds_up_to_the_overdue_figure(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="bithu"))
    response = client.get("/")
    rows = response.context["overdue_by_unit"]
    assert rows, "the demo has overdue petitions"
    assert sum(row["count"] for row in rows) == response.context["counts"]["overdue"]
