"""Every URL of every app, as a visitor and as each demo account, with objects of the user's
own unit and of another unit: the status each answers is the one its rule in expectations.py
gives, and no response (page, export, PDF, Word file, dossier, search result) shows a unit
member the receipt codes of other units' petitions (unless published), or a hidden
petitioner's name to anyone who does not read everything, but for the organisation that
submitted the petition (petitions/permissions.py: can_see_identity).

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
from petitions.models import Petition, PetitionUnit
from petitions.permissions import department_ids, roles_of
from tests.crawler import samples as demo
from tests.crawler.contents import text_of
from tests.crawler.crawl import documents_drawn_in_one_line, request, routes, url_of
from tests.crawler.expectations import EXPECTED, LOGIN, SKIPPED, Who

pytestmark = pytest.mark.django_db

USERNAMES = (None, *(account[0] for account in ACCOUNTS), "quantri")
LOGIN_URL = "/accounts/login/"
NOT_CRAWLED = ("admin/", "static/", "media/", "__")

# Pages that search, tried with search terms too.
SEARCHED = ("petitions:list", "petitions:export")

# The sort of object each URL with parameters takes (samples.py fills them).
SORTS = {
    **dict.fromkeys(
        [
            "conclusions:detail", "conclusions:directive_add", "conclusions:notice_docx",
            "conclusions:edit", "conclusions:issue", "conclusions:return", "conclusions:sign",
            "conclusions:submit", "conclusions:notice_pdf", "public:conclusion",
            "public:notice_pdf",
        ],
        "conclusion",
    ),
    **dict.fromkeys(
        [
            "conclusions:directive", "conclusions:directive_edit",
            "conclusions:directive_remove", "conclusions:report_submit",
        ],
        "directive",
    ),
    **dict.fromkeys(
        [
            "conclusions:for_session", "conclusions:draft", "conclusions:dossier",
            "conclusions:dossier_build", "conclusions:dossier_zip",
        ],
        "session",
    ),
    **dict.fromkeys(["conclusions:flag", "conclusions:flag_decide"], "flag"),
    "conclusions:flag_new": "unit",
    "conclusions:report_file": "report_file",
    **dict.fromkeys(["conclusions:report_accept", "conclusions:report_return"], "report"),
    "conclusions:letter_new": "urge",
    **dict.fromkeys(
        [
            "conclusions:letter", "conclusions:letter_pdf", "conclusions:letter_docx",
            "conclusions:letter_issue",
        ],
        "letter",
    ),
    "public:topic": "topic",
    **dict.fromkeys(["documents:retry", "documents:status"], "document"),
    "notification_open": "notification",
    **dict.fromkeys(
        [
            "petitions:detail", "petitions:acknowledge", "petitions:acknowledgement_docx",
            "petitions:acknowledgement_pdf", "petitions:assign", "petitions:classify",
            "petitions:close", "petitions:edit", "petitions:merge", "petitions:reopen",
            "petitions:route_out",
        ],
        "petition",
    ),
    "petitions:answer_review": "answer",
    **dict.fromkeys(
        [
            "petitions:assignment", "petitions:assignment_answer",
            "petitions:assignment_decline", "petitions:assignment_extension",
        ],
        "assignment",
    ),
    "petitions:attachment": "attachment",
    "petitions:extension_decide": "extension",
    **dict.fromkeys(["petitions:import_result", "petitions:import_confirm"], "import_token"),
    # Every page of one session.
    **dict.fromkeys(
        [
            "sessions:detail",
            "sessions:agenda",
            "sessions:agenda_add",
            "sessions:announce",
            "sessions:announcement",
            "sessions:announcement_print",
            "sessions:announcement_docx",
            "sessions:announcement_pdf",
            "sessions:archive",
            "sessions:cancel",
            "sessions:attach",
            "sessions:edit",
            "sessions:hold",
            "sessions:invitation",
            "sessions:invitation_docx",
            "sessions:invitee_add",
            "sessions:invitation_issue",
            "sessions:invitation_settings",
            "sessions:invitees_add_units",
            "sessions:minutes",
            "sessions:minutes_docx",
            "sessions:minutes_pdf",
            "sessions:minutes_draw_up",
            "sessions:minutes_finalise",
            "sessions:postpone",
            "sessions:preparation",
            "sessions:step",
            "sessions:record",
            "sessions:attendance",
            "sessions:speech_save",
            "sessions:survey",
            "sessions:survey_create",
            "sessions:survey_edit",
            "sessions:survey_results_download",
            "sessions:survey_paper",
            "sessions:survey_form_docx",
            "sessions:survey_form_pdf",
            "sessions:survey_results_pdf",
        ],
        "session",
    ),
    "sessions:survey_paper_undo": "survey_paper",
    **dict.fromkeys(["sessions:agenda_move", "sessions:agenda_remove"], "agenda"),
    "sessions:attachment": "session_file",
    "sessions:invitation_pdf": "invitation_pdf",
    "sessions:invitee_remove": "invitee",
    "sessions:speech_delete": "speech",
    "sessions:reception_day": "reception_day",
    "verify:document": "verify_code",
    "survey:answer": "survey_code",
}  # fmt: skip


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


def _who(user) -> Who:
    if user is None:
        return Who(None, frozenset(), frozenset())
    return Who(user.username, roles_of(user), department_ids(user))


def _reach_by_petition() -> dict[int, set]:
    units: dict[int, set] = {}
    for petition_id, unit in PetitionUnit.objects.values_list("petition_id", "department_id"):
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

    def names_hidden_from(self, who: Who, user_pk) -> list[str]:
        if who.has(*_READ_ALL):
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
        who = _who(user)
        codes = secrets.codes_hidden_from(who, user and user.pk)
        names = secrets.names_hidden_from(who, user and user.pk)
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
        + ", ".join(f"{url} {seconds:.1f} s" for url, seconds in slow.most_common(12))
        + ")"
    )
    assert not (wrong or leaks), "\n".join(
        [f"{len(wrong)} unexpected answers:", *wrong, f"{len(leaks)} leaks:", *leaks]
    )
