"""Hostile input over every form: each form a demo account (or a visitor) is offered, found
by opening every page it may open, is sent what hypothesis draws from hostile values (dates out
of range, huge text, control characters, NFC and NFD mixed, HTML and script, formula prefixes,
executables named .pdf, broken and oversized files). Never a server error; a rejected form
saves nothing; what a form saved shows no script unescaped on the page it leads to.

The Front's Excel import gets broken workbooks and hostile cells the same way."""

import io
import re
import zipfile
from collections import Counter
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conclusions.models import Directive
from petitions.models import Assignment, Petition
from sessions.models import Survey
from tests.crawler import samples as demo
from tests.crawler.contents import text_of
from tests.crawler.crawl import routes, url_of
from tests.crawler.expectations import EXPECTED, LOGIN, SKIPPED, Who, who_of
from tests.crawler.samples import NOT_CRAWLED, SORTS
from tests.hostile import values
from tests.hostile.forms import Form, forms_of

pytestmark = pytest.mark.django_db

# One account of each kind, and a visitor for the public forms.
USERS = (None, "bxd", "vpdu", "bithu", "ubkt", "kinhte", "mttq")
# Forms that end the session or leave the application are not attacked.
LEFT_ALONE = ("logout", "login", "password_change", "admin:")
TRIED = Counter()
SERVER_ERRORS = Counter()
ERRORS: list[str] = []  # what the running test found
# Each of the many forms gets a share of the profile's examples (tests/conftest.py).
EXAMPLES = settings(max_examples=max(4, settings.default.max_examples // 4))
RAW_SCRIPT = re.compile(rb"<script>xss\(\)|<img src=x onerror", re.I)


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    print(f"\nhostile inputs tried: {TRIED.total()}, server errors: {SERVER_ERRORS.total()}")


def _counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for app in ("petitions", "dialogue_sessions", "conclusions", "doluong_dialogue")
        for model in apps.get_app_config(app).get_models()
    }


def _is_executable(upload) -> bool:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head == values.ELF[:4]


def _expected_to_open(who: Who, name: str, sample) -> bool:
    expected = EXPECTED[name](who, sample)
    return expected != LOGIN and 200 in expected


def _open_items() -> list[tuple[str, str]]:
    """Pages whose forms the crawl's samples do not reach: the survey's (on the session that
    has one), and where a unit answers and reports, on items still open (an assignment and a
    directive led by Phòng Kinh tế)."""
    assignment = (
        Assignment.objects.filter(department__name=demo.UNIT).running().order_by("pk").first()
    )
    directive = (
        Directive.objects.filter(lead__name=demo.UNIT, status__in=["open", "reported"])
        .order_by("pk")
        .first()
    )
    pages = []
    survey = Survey.objects.order_by("pk").first()
    if survey:
        for page in ("survey/edit/", "survey/paper/"):
            pages.append(("vpdu", f"/sessions/{survey.session_id}/{page}"))
    if assignment:
        pages.append(("kinhte", f"/petitions/assignments/{assignment.pk}/"))
    if directive:
        pages.append(("kinhte", f"/conclusions/directives/{directive.pk}/"))
    return pages


def _targets(client) -> list[tuple[str | None, str, Form]]:
    """Every (user, page, form) the demo offers, one per distinct form and user."""
    samples = demo.build()
    found, seen, pages = [], set(), set()
    for username in USERS:
        client.logout()
        user = User.objects.get(username=username) if username else None
        if user:
            client.force_login(user)
        who = who_of(user)
        for route in routes():
            if route.pattern.startswith(NOT_CRAWLED) or route.name in SKIPPED:
                continue
            fills = samples.get(SORTS[route.name], []) if route.converters else [None]
            for sample in fills:
                sample = sample or demo.Sample("", {})
                # Objects in other states may offer other forms (a petition to classify,
                # one to close); once a page gave a form, its other objects are not opened.
                if (username, route.name) in pages or not _expected_to_open(
                    who, route.name, sample
                ):
                    continue
                url = url_of(route.name, sample.kwargs)
                response = client.get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for form in forms_of(response.content.decode(), url):
                    try:
                        target = resolve(form.action.split("?")[0])
                    except Resolver404:
                        continue
                    if (target.view_name or "").startswith(LEFT_ALONE):
                        continue
                    pages.add((username, route.name))
                    key = (username, target.view_name, form.signature)
                    if key not in seen:
                        seen.add(key)
                        found.append((username, url, form))
    for username, url in _open_items():
        client.force_login(User.objects.get(username=username))
        for form in forms_of(client.get(url).content.decode(), url):
            found.append((username, url, form))
    return found


def _draw(data, form: Form) -> dict:
    sent = {}
    for field in form.fields.values():
        if field.kind == "file":
            name, content, kind = data.draw(values.files())
            sent[field.name] = SimpleUploadedFile(name, content, content_type=kind)
        elif field.kind in ("select", "checkbox", "radio") and field.options:
            sent[field.name] = data.draw(st.one_of(st.sampled_from(field.options), values.text()))
        elif field.kind == "date":
            sent[field.name] = data.draw(values.date_text())
        elif field.value:  # what the page filled in, or something else
            sent[field.name] = data.draw(st.one_of(st.just(field.value), values.text()))
        else:
            sent[field.name] = data.draw(values.text())
    return sent


def _send(client, form: Form, sent: dict):
    if form.method == "post":
        return client.post(form.action, sent)
    return client.get(form.action, {k: v for k, v in sent.items() if isinstance(v, str)})


def _check(client, username, page, form, sent) -> None:
    """One hostile submission, rolled back afterwards."""
    with transaction.atomic():
        before = _counts() if form.method == "post" else None
        response = _send(client, form, sent)
        TRIED[form.action] += 1
        where = f"{username or 'visitor'} {form.method.upper()} {form.action} (from {page})"
        shown = {k: (v if isinstance(v, str) else v.name)[:80] for k, v in sent.items()}
        if response.status_code >= 500:
            SERVER_ERRORS[form.action] += 1
            ERRORS.append(f"{where}: {response.status_code} with {shown!r}")
        elif before is not None and any(
            getattr(v, "name", None) is not None and _is_executable(v) for v in sent.values()
        ):
            grown = {k for k, v in _counts().items() if "Attachment" in k and v != before[k]}
            if grown:
                ERRORS.append(f"{where}: an executable was stored as {grown}")
        elif response.status_code == 200 and before is not None:
            body = response.content
            rejected = b"is-invalid" in body or b"alert-danger" in body
            if rejected and _counts() != before:
                changed = {k for k, v in _counts().items() if before[k] != v}
                ERRORS.append(f"{where}: rejected but saved {changed} with {shown!r}")
        if response.status_code == 302 and response.get("Location", "").startswith("/"):
            landing = client.get(response["Location"])
            if landing.status_code >= 500:
                SERVER_ERRORS[response["Location"]] += 1
                ERRORS.append(f"{where}: the page after saving answered {landing.status_code}")
            elif RAW_SCRIPT.search(landing.content):
                ERRORS.append(f"{where}: a script shows unescaped on {response['Location']}")
        if response.status_code == 200 and RAW_SCRIPT.search(response.content):
            ERRORS.append(f"{where}: a script shows unescaped in the answer")
        transaction.set_rollback(True)


def test_no_form_answers_hostile_input_with_a_server_error_or_a_half_saved_record(
    demo_commune,
):
    ERRORS.clear()
    client = Client(raise_request_exception=False)
    targets = _targets(client)
    print(f"\n{len(targets)} forms: " + ", ".join(sorted({f.action for _u, _p, f in targets})))
    assert len(targets) > 40, [form.action for _user, _page, form in targets]
    for username, page, form in targets:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))

        _attack(client, username, page, form)()
    assert not ERRORS, "\n".join(ERRORS)


def _attack(client, username, page, form):
    @EXAMPLES
    @given(st.data())
    def attack(data):
        _check(client, username, page, form, _draw(data, form))

    return attack


# --- The Front's Excel import -------------------------------------------------------------------

cells = st.one_of(
    values.text(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.none(),
)
# What openpyxl itself refuses to write into a cell (XML 1.0 forbids them).
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _upload(client, workbook: bytes, name: str = "danh-sach.xlsx"):
    """Upload a list as the Front does; it is only read and shown, saved on confirmation."""
    with transaction.atomic():
        before = _counts()["petitions.Petition"]
        response = client.post(
            "/petitions/import/",
            {"file": SimpleUploadedFile(name, workbook), "channel": "front"},
        )
        TRIED["import"] += 1
        if response.status_code >= 500:
            SERVER_ERRORS["import"] += 1
            ERRORS.append(f"import of {name}: {response.status_code}")
        if _counts()["petitions.Petition"] != before:
            ERRORS.append(f"import of {name}: petitions saved before the list was confirmed")
        if RAW_SCRIPT.search(response.content):
            ERRORS.append(f"import of {name}: a script shows unescaped")
        if response.status_code == 302:
            shown = client.get(response["Location"])
            if shown.status_code >= 500 or RAW_SCRIPT.search(shown.content):
                ERRORS.append(f"import of {name}: the list's page fails or shows a script")
        transaction.set_rollback(True)
    return response


@pytest.fixture
def front_client(demo_commune):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="mttq"))
    return client


def test_a_broken_workbook_is_refused_with_a_message(front_client):
    ERRORS.clear()
    for name, content, _kind in values.FILES:
        _upload(front_client, content, name if name.endswith(".xlsx") else name + ".xlsx")
    assert not ERRORS, "\n".join(ERRORS)


def test_hostile_cells_in_the_fronts_list_are_read_without_a_server_error(front_client):
    ERRORS.clear()
    header = [
        cell.value
        for cell in next(
            load_workbook(
                io.BytesIO(front_client.get("/petitions/import/template.xlsx").content)
            ).active.iter_rows(max_row=1)
        )
    ]

    @given(rows=st.lists(st.lists(cells, min_size=1, max_size=14), max_size=5))
    def attack(rows):
        rows = [[UNWRITABLE.sub("", v) if isinstance(v, str) else v for v in row] for row in rows]
        _upload(front_client, values.xlsx_with([header, *rows]))

    attack()
    assert not ERRORS, "\n".join(ERRORS)


# --- Documents made from hostile text -----------------------------------------------------------

WORD_XML = ("word/document.xml", "word/styles.xml", "[Content_Types].xml")


def _owed_petition(client):
    """A petition whose acknowledgement letter is still to send: both its PDF and Word copy."""
    for petition in Petition.objects.order_by("pk"):
        if client.get(f"/petitions/{petition.pk}/acknowledgement.docx").status_code == 200:
            return petition
    raise AssertionError("the demo owes no acknowledgement letter")


def test_a_letter_made_from_hostile_text_prints_it_as_text(demo_commune):
    """The acknowledgement letter quotes the petitioner's name and the petition's summary:
    its PDF shows markup as the characters typed, and its Word copy is well-formed XML."""
    ERRORS.clear()
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="bxd"))
    petition = _owed_petition(client)

    @EXAMPLES
    @given(name=values.text(), summary=values.text())
    def attack(name, summary):
        with transaction.atomic():
            # Stored as a form would store it: Django's fields refuse NUL (PostgreSQL cannot
            # hold it), so it is not put straight into the database here either.
            name, summary = name.replace("\x00", "")[:200], summary.replace("\x00", "")[:300]
            Petition.objects.filter(pk=petition.pk).update(petitioner_name=name, summary=summary)
            TRIED["documents"] += 1
            pdf = client.get(f"/petitions/{petition.pk}/acknowledgement.pdf")
            word = client.get(f"/petitions/{petition.pk}/acknowledgement.docx")
            for response in (pdf, word):
                if response.status_code >= 500:
                    SERVER_ERRORS["documents"] += 1
                    ERRORS.append(f"{response.status_code} for {name!r:.80} / {summary!r:.80}")
            shown = pdf.status_code == 200 and text_of(pdf.content).replace("\n", "")
            if shown and values.SCRIPT in summary and values.SCRIPT not in shown:
                ERRORS.append(f"the PDF does not show {values.SCRIPT} as typed")
            if word.status_code == 200:
                with zipfile.ZipFile(io.BytesIO(word.content)) as archive:
                    for part in WORD_XML:
                        try:
                            ElementTree.fromstring(archive.read(part))
                        except ElementTree.ParseError as error:
                            ERRORS.append(
                                f"{part} is not well-formed ({error}) for {summary!r:.80}"
                            )
            transaction.set_rollback(True)

    attack()
    assert not ERRORS, "\n".join(ERRORS)
