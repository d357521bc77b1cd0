"""The public pages (no login): issued conclusions, petitions' status per topic, and the
lookup by receipt code, showing nothing that names or points to a petitioner."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conclusions import public, services
from conclusions.views import public as public_views
from petitions import services as petition_services
from petitions.models import Petition, ResidentialUnit, Topic
from tests.conclusions.helpers import submitted
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db

NAME = "Hoàng Thị Mến"
PHONE = "0912345678"
ADDRESS = "Số nhà 17, đường Trạm Bơm"
NAMED_IN_CONTENT = "ông Phan Văn Quýnh lấn chiếm"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(staff, office, secretary, clock, department, django_capture_on_commit_callbacks):
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    clock.set(date(2026, 12, 21))
    with django_capture_on_commit_callbacks(execute=True):
        return services.conclusion_issue(conclusion=conclusion, actor=office)


@pytest.fixture
def hamlet(db):
    return ResidentialUnit.objects.create(name="Yên Thịnh (thử nghiệm)")


def personal(**fields):
    return {
        "petitioner_name": NAME,
        "petitioner_phone": PHONE,
        "petitioner_address": ADDRESS,
        "summary": "Lấn chiếm hành lang kênh N5",
        "content": f"Đề nghị xử lý việc {NAMED_IN_CONTENT} hành lang kênh N5.",
        **fields,
    }


def closed(staff, department, **fields) -> Petition:
    petition, _assignment = assigned(staff, department, **fields)
    return petition_services.petition_close(
        petition=petition,
        actor=staff,
        outcome=Petition.Outcome.SCHEDULED,
        scheduled_for=date(2027, 3, 31),
        note="UBND xã đã làm việc với ông Phan Văn Quýnh",
    )


def assert_nothing_personal(html: str) -> None:
    for secret in (NAME, PHONE, ADDRESS, NAMED_IN_CONTENT, "Lấn chiếm hành lang", "Phan Văn"):
        assert secret not in html


# ---------------------------------------------------------------- anonymous access


@pytest.mark.parametrize(
    "name", ["public:index", "public:topics", "public:lookup"], ids=["index", "topics", "lookup"]
)
def test_public_pages_open_without_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'data-testid="public-tabs"' in response.content.decode()


def test_anonymous_home_and_login_page_link_to_the_public_pages(client, issued):
    home = client.get(reverse("home")).content.decode()
    assert reverse("public:conclusion", args=[issued.pk]) in home
    assert reverse("public:lookup") in home
    login = client.get(reverse("login")).content.decode()
    assert 'data-testid="public-link"' in login
    assert reverse("public:index") in login


# ---------------------------------------------------------------- conclusions


def test_issued_conclusion_is_listed_with_its_publication_in_time(client, issued):
    html = client.get(reverse("public:index")).content.decode()
    assert "01-TB/ĐU" in html
    assert issued.summary in html
    # Held on 18/12/2026, issued on 21/12/2026: within 10 days.
    assert 'data-testid="in-time"' in html and 'data-testid="late"' not in html
    assert "21/12/2026" in html and "18/12/2026" in html


def test_issued_late_is_said(client, issued):
    type(issued).objects.filter(pk=issued.pk).update(issued_on=date(2027, 1, 5))
    html = client.get(reverse("public:index")).content.decode()
    assert 'data-testid="late"' in html
    assert 'data-testid="in-time"' not in html


def test_issued_conclusion_page_shows_sections_directives_and_pdf(client, issued):
    response = client.get(reverse("public:conclusion", args=[issued.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert issued.summary in html
    directive = issued.directives.get()
    assert directive.lead.name in html
    assert directive.deadline.strftime("%d/%m/%Y") in html
    assert 'data-testid="public-pdf"' in html
    pdf = client.get(reverse("public:notice_pdf", args=[issued.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content)[:4] == b"%PDF"


def test_a_signed_but_not_issued_conclusion_is_not_public(
    client, staff, office, secretary, clock, department, django_capture_on_commit_callbacks
):
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    assert client.get(reverse("public:conclusion", args=[conclusion.pk])).status_code == 404
    assert client.get(reverse("public:notice_pdf", args=[conclusion.pk])).status_code == 404
    assert "01-TB/ĐU" not in client.get(reverse("public:index")).content.decode()


# ---------------------------------------------------------------- petitions per topic


def test_topic_pages_show_status_and_outcome_but_nothing_personal(
    client, staff, department, hamlet
):
    petition = closed(staff, department, residential_unit=hamlet, **personal())
    hidden = classified(staff, **personal(hide_identity=True, petitioner_name="Đặng Văn Ẩn"))
    topic = petition.topic

    listing = client.get(reverse("public:topics")).content.decode()
    assert topic.name in listing
    assert_nothing_personal(listing)

    response = client.get(reverse("public:topic", args=[topic.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert petition.code in html
    assert hamlet.name in html
    assert "02/11/2026" in html  # received
    assert str(Petition.Outcome.SCHEDULED.label) in html or "Will be resolved" in html
    assert "31/03/2027" in html  # to be resolved by
    assert_nothing_personal(html)
    assert "UBND xã đã làm việc" not in html  # the closing note is staff's text
    # A petitioner who asked to stay unnamed is not listed at all.
    assert hidden.code not in html
    assert "Đặng Văn Ẩn" not in html


def test_topic_counts_per_public_status(staff, department):
    closed(staff, department)
    assigned(staff, department)
    classified(staff)
    received(staff)  # not classified: not published
    classified(staff, hide_identity=True)  # hidden: not counted
    complaint = classified(staff)
    Petition.objects.filter(pk=complaint.pk).update(kind=Petition.Kind.COMPLAINT)
    (row,) = public.topics_with_counts()
    assert {status: number for status, _label, number in row.counts} == {
        "received": 1,
        "in_hand": 1,
        "closed": 1,
    }
    assert row.total == 3


def test_topic_page_filters_by_status(client, staff, department):
    done = closed(staff, department)
    waiting, _ = assigned(staff, department)
    url = reverse("public:topic", args=[done.topic_id])
    html = client.get(url, {"trang-thai": "closed"}).content.decode()
    assert done.code in html and waiting.code not in html


def test_topic_without_published_petitions_is_404(client, staff):
    received(staff)
    topic = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    assert client.get(reverse("public:topic", args=[topic.pk])).status_code == 404


def test_public_pages_query_counts_do_not_grow_with_rows(client, staff, department, issued):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    topic = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    urls = [
        reverse("public:index"),
        reverse("public:topics"),
        reverse("public:topic", args=[topic.pk]),
        reverse("public:conclusion", args=[issued.pk]),
    ]
    few = [count(url) for url in urls]
    for _ in range(4):
        closed(staff, department)
        assigned(staff, department)
    more = [count(url) for url in urls]
    assert more == few


# ---------------------------------------------------------------- lookup by receipt code


def test_lookup_normalises_the_code_and_shows_status_only(client, staff, department, hamlet):
    petition = closed(staff, department, residential_unit=hamlet, **personal())
    typed = " " + petition.code.lower().replace("-", " ") + " "
    response = client.post(reverse("public:lookup"), {"code": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="lookup-result"' in html
    assert petition.code in html
    assert "31/03/2027" in html
    assert_nothing_personal(html)
    assert hamlet.name not in html  # not even the hamlet: the code may be a hidden one's


def test_lookup_finds_a_hidden_identity_petition_for_its_petitioner(client, staff):
    petition = classified(staff, **personal(hide_identity=True))
    html = client.post(reverse("public:lookup"), {"code": petition.code}).content.decode()
    assert 'data-testid="lookup-result"' in html
    assert_nothing_personal(html)


@pytest.mark.parametrize(
    "typed", ["KN-2026-999999", "KN-2026-000001' OR 1=1 --", "<script>x</script>", "   "]
)
def test_unknown_or_forged_code_is_a_form_error(client, staff, typed):
    received(staff)
    response = client.post(reverse("public:lookup"), {"code": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="lookup-result"' not in html
    assert "invalid-feedback" in html or "is-invalid" in html
    assert "<script>x</script>" not in html


def test_unknown_code_message(client, settings):
    response = client.post(reverse("public:lookup"), {"code": "KN-2026-424242"})
    form = response.context["form"]
    with translation.override(settings.LANGUAGE_CODE):
        expected = translation.gettext(
            "No petition has this receipt code. Check the code on your acknowledgement."
        )
    assert form.errors["code"] == [expected]
    assert expected in response.content.decode()


def test_lookups_are_throttled_per_address(client, staff, monkeypatch):
    petition = received(staff)
    monkeypatch.setattr(public_views, "LOOKUP_LIMIT", 3)
    for n in range(3):
        response = client.post(reverse("public:lookup"), {"code": f"KN-2026-{n:06d}"})
        assert response.status_code == 200
    blocked = client.post(reverse("public:lookup"), {"code": petition.code})
    assert blocked.status_code == 429
    assert 'data-testid="lookup-result"' not in blocked.content.decode()
    # Another address is not held back.
    other = client.post(
        reverse("public:lookup"), {"code": petition.code}, REMOTE_ADDR="203.0.113.9"
    )
    assert other.status_code == 200
    assert 'data-testid="lookup-result"' in other.content.decode()


def test_normalise_code():
    assert public.normalise_code(" kn 2026 000123 ") == "KN-2026-000123"
    assert public.normalise_code("Kn-2026-000123") == "KN-2026-000123"
    assert public.normalise_code("kn2026000123") == "KN-2026-000123"
