"""Every URL of every app, as a visitor and as each demo account, with objects of the user's
own unit and of another unit: the status each answers is the one its rule in expectations.py
gives, and no response (page, export, PDF, Word file, dossier, search result) shows a unit
member the receipt codes of other units' petitions (unless published), or a hidden
petitioner's name to anyone but Ban Xây dựng Đảng, the Secretary, whoever entered the
petition and the organisation that submitted it (petitions/permissions.py:
can_see_identity). An organisation's staff never read another organisation's own dialogue
(its title, what its members raised), and a reception visitor's ID number is shown in full
only to the Party Office, the Secretary and Ban Xây dựng Đảng (sessions/permissions.py:
can_see_id_numbers).

The demo commune is seeded once for the module (tests/crawler/seeded.py); what a POST changes
is rolled back before the next request. `-s` prints the summary line."""

import time
import unicodedata
from collections import Counter
from contextlib import ExitStack
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User

from conclusions import public
from conclusions.demo.reference import ACCOUNTS
from doluong_dialogue import clock
from petitions.models import Petition, PetitionUnit
from sessions.models import DialogueSession, ReceptionVisit
from tests.crawler import samples as demo
from tests.crawler.contents import text_of
from tests.crawler.crawl import documents_drawn_in_one_line, request, routes, url_of
from tests.crawler.expectations import (
    EXPECTED,
    LOGIN,
    SKIPPED,
    Who,
    sees_every_identity,
    sees_id_numbers,
    who_of,
)
from tests.crawler.samples import NOT_CRAWLED, SORTS

pytestmark = pytest.mark.django_db

USERNAMES = (None, *(account[0] for account in ACCOUNTS), "quantri")
LOGIN_URL = "/accounts/login/"

# Pages that search, tried with search terms too.
SEARCHED = ("petitions:list", "petitions:export")


def _route_names() -> list:
    return [
        route
        for route in routes()
        if not route.pattern.startswith(NOT_CRAWLED) and route.name not in SKIPPED
    ]


def test_every_url_has_an_expectation_and_every_parameter_a_sample():
    names = {route.name for route in _route_names()}
    assert not names - set(EXPECTED), "declare who may open these URLs in expectations.py"
    assert not set(EXPECTED) - names, "expectations.py names URLs that no longer exist"
    with_parameters = {route.name for route in _route_names() if route.converters}
    assert not with_parameters - set(SORTS), "say in SORTS what these URLs take"


# --- What each user may not read ------------------------------------------------------------


def _reach_by_petition() -> dict[int, set]:
    units: dict[int, set] = {}
    # The units assignments name (a submitting organisation's reach is `_submitted_by`).
    assigned = PetitionUnit.objects.assigned()
    for petition_id, unit in assigned.values_list("petition_id", "department_id"):
        units.setdefault(petition_id, set()).add(unit)
    return units


class Secrets:
    """The receipt codes a unit member may not read (petitions of other units, not published)
    and the hidden petitioners' names."""

    def __init__(self) -> None:
        self.reach = _reach_by_petition()
        self.petitions = list(
            Petition.objects.values(
                "pk", "code", "petitioner_name", "hide_identity", "created_by",
                "submitted_by_department",
            )
        )  # fmt: skip
        self.published = set(public.published_petitions().values_list("pk", flat=True))
        # A hidden petitioner who shares a name with a shown one or with a user cannot be told
        # apart in a page: only names nobody else bears are looked for.
        shown = {p["petitioner_name"] for p in self.petitions if not p["hide_identity"]}
        shown |= {f"{u.last_name} {u.first_name}" for u in User.objects.all()}
        self.hidden = [
            p for p in self.petitions if p["hide_identity"] and p["petitioner_name"] not in shown
        ]

    def _submitted_by(self, who: Who, user_pk, petition) -> bool:
        return petition["created_by"] == user_pk or (
            "front" in who.roles and petition["submitted_by_department"] in who.units
        )

    def codes_hidden_from(self, who: Who, user_pk) -> list[str]:
        if who.anonymous or who.has(*_READ_ALL):
            return []
        hidden = []
        for petition in self.petitions:
            units = self.reach.get(petition["pk"], set())
            if petition["pk"] in self.published or units & who.units:
                continue
            if self._submitted_by(who, user_pk, petition):
                continue
            hidden.append(petition["code"])
        return hidden

    def dialogues_hidden_from(self, who: Who) -> list[str]:
        """What another organisation's own dialogue says (its title, what its members raised
        and kept within it), for an organisation's staff."""
        if not who.organisations or who.has(*_READ_ALL):
            return []
        hidden = []
        for session in DialogueSession.objects.of_organisations().exclude(
            organiser__in=who.organisations
        ):
            if demo.session_units(session) & who.units:
                continue
            hidden.append(session.title)
            hidden += [speech.raised for speech in session.speeches.filter(petition=None)]
        return hidden

    def id_numbers_hidden_from(self, who: Who) -> list[str]:
        """The reception visitors' ID numbers of this month's register, in full, for all but
        those who may read them."""
        if sees_id_numbers(who):
            return []
        today = clock.today()
        visits = ReceptionVisit.objects.filter(
            day__held_on__year=today.year, day__held_on__month=today.month
        ).exclude(id_number="")
        return list(visits.values_list("id_number", flat=True).distinct())

    def names_hidden_from(self, who: Who, user_pk) -> list[str]:
        if sees_every_identity(who):
            return []
        return [
            unicodedata.normalize("NFC", p["petitioner_name"])
            for p in self.hidden
            if not self._submitted_by(who, user_pk, p)
        ]


_READ_ALL = ("party_building", "party_office", "secretary", "deputy_secretary", "inspection")


# --- The crawl ------------------------------------------------------------------------------


def test_every_url_answers_each_user_as_its_rule_says_and_shows_nothing_it_should_not(
    demo_commune, client
):
    samples = demo.build()
    secrets = Secrets()
    assert secrets.hidden, "the demo has hidden petitioners to look for"
    users = {name: User.objects.get(username=name) for name in USERNAMES if name}
    targets = []
    for route in _route_names():
        fills = samples.get(SORTS[route.name], []) if route.converters else [demo.Sample("", {})]
        assert fills, f"no object to fill {route.name} with"
        targets += [(route.name, sample, url_of(route.name, sample.kwargs)) for sample in fills]
    # Search results and their export: by a hidden petitioner's name, a receipt code's prefix
    # and a common word.
    terms = [secrets.hidden[0]["petitioner_name"], "KN-2026", "đường"]
    for name in SEARCHED:
        targets += [
            (
                name,
                demo.Sample(f"search:{term}", {}),
                f"{url_of(name, {})}?{urlencode({'q': term})}",
            )
            for term in terms
        ]

    wrong, leaks, requests, slow = [], [], 0, Counter()
    started = time.monotonic()
    for username in USERNAMES:
        user = users.get(username)
        client.logout()
        if user:
            client.force_login(user)
        who = who_of(user)
        codes = secrets.codes_hidden_from(who, user and user.pk)
        names = secrets.names_hidden_from(who, user and user.pk)
        names += secrets.dialogues_hidden_from(who) + secrets.id_numbers_hidden_from(who)
        drawing = ExitStack()
        if not (codes or names):
            drawing.enter_context(documents_drawn_in_one_line())
        for name, sample, url in targets:
            began = time.monotonic()
            answered = request(client, url)
            requests += 1
            expected = EXPECTED[name](who, sample)
            if expected == LOGIN:
                good = answered.status == 302 and answered.location.startswith(LOGIN_URL)
            else:
                good = answered.status in expected and not (
                    answered.status == 302 and answered.location.startswith(LOGIN_URL)
                )
            if not good:
                said = LOGIN if expected == LOGIN else sorted(expected)
                wrong.append(
                    f"{username or 'visitor'} {answered.method} {url} ({name}, {sample.label}):"
                    f" {answered.status} {answered.location}, expected {said}"
                )
            if answered.status == 200 and (codes or names):
                text = text_of(answered.body, answered.content_type)
                if sample.label.startswith("search:"):
                    # The page repeats what was searched for (whether it found it is
                    # tests/petitions/test_search.py's matter): the term itself is no leak.
                    text = text.replace(sample.label.removeprefix("search:"), "")
                shown = [code for code in codes if code in text]
                shown += [person for person in names if person in text]
                if shown:
                    leaks.append(f"{username or 'visitor'} {url}: {', '.join(shown[:5])}")
            slow[name] += time.monotonic() - began
        drawing.close()
    elapsed = time.monotonic() - started
    print(
        f"\ncrawled {len(targets)} URLs × {len(USERNAMES)} roles = {requests} requests,"  # noqa: RUF001
        f" {len(leaks)} leaks ({elapsed:.0f} s; slowest: "
        + ", ".join(f"{url} {seconds:.1f} s" for url, seconds in slow.most_common(3))
        + ")"
    )
    assert not (wrong or leaks), "\n".join(
        [f"{len(wrong)} unexpected answers:", *wrong, f"{len(leaks)} leaks:", *leaks]
    )
