"""An organisation concludes its own dialogue (plan section IV.2) with its own notice: signed
by its head (never the Party Secretary), numbered in its own series from 01 each year, with
its own header in the format it uses (sessions/organisers.py)."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from conclusions import documents, effects, services
from doluong_dialogue.rules import RuleError
from sessions import services as session_services
from tests.documents.conftest import flowing, pdf_text
from tests.sessions.organisation_helpers import (
    FARMERS,
    FRONT,
    YOUTH,
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


def concluded(actor, clock, name=FRONT, *, start=date(2026, 11, 25), **fields):
    """An organisation's dialogue held, a member heard, its conclusion drafted and submitted."""
    clock.set(start)
    session = organisation_held(actor, clock, name, **fields)
    session_services.speech_save(
        session=session,
        actor=actor,
        client_id=uuid.uuid4(),
        data=session_services.SpeechData(
            speaker="Bà Lê Thị Hoa",
            speaker_from="Xóm Yên Thịnh",
            raised="Đề nghị mở lớp tập huấn kỹ năng tuyên truyền cho chi hội",
            answer="Ban Thường trực tổ chức trong quý I năm 2027",
            answered_by="Đồng chí Chủ tịch",
        ),
    )
    conclusion = services.conclusion_draft(session=session, actor=actor)
    return services.conclusion_submit(conclusion=conclusion, actor=actor)


def test_the_organisations_staff_sign_in_its_heads_name_in_its_own_series(mttq, clock):
    conclusion = services.conclusion_sign(conclusion=concluded(mttq, clock), actor=mttq)
    assert (conclusion.series, conclusion.term_start, conclusion.number) == ("TB-MTTQ", 2026, 1)
    assert conclusion.signer_authority == "TM. BAN THƯỜNG TRỰC"
    assert conclusion.signer_title == "CHỦ TỊCH"
    assert conclusion.signer_name == "Thái Văn Lợi"
    assert conclusion.session.status == "concluded"
    assert services.notice_reference(conclusion) == "Số: 01/TB-MTTQ"


def test_each_organisation_numbers_its_notices_from_01_each_year(
    mttq, nongdan, staff, office, secretary, clock, department
):
    from tests.conclusions.helpers import signed

    first = services.conclusion_sign(conclusion=concluded(mttq, clock), actor=mttq)
    second = services.conclusion_sign(
        conclusion=concluded(mttq, clock, title="Đối thoại lần hai"), actor=mttq
    )
    farmers = services.conclusion_sign(conclusion=concluded(nongdan, clock, FARMERS), actor=nongdan)
    party = signed(staff, office, secretary, clock, department)
    next_year = services.conclusion_sign(
        conclusion=concluded(
            mttq, clock, start=date(2027, 1, 4), held_on=date(2027, 1, 15), title="Năm mới"
        ),
        actor=mttq,
    )
    assert [first.number, second.number] == [1, 2]
    assert (farmers.series, farmers.number) == ("TB-HND", 1)
    assert (party.series, party.number, party.term_start) == ("TB", 1, 2025)
    assert (next_year.series, next_year.term_start, next_year.number) == ("TB-MTTQ", 2027, 1)


def test_the_party_secretary_does_not_sign_an_organisations_notice(mttq, secretary, clock):
    conclusion = concluded(mttq, clock)
    with pytest.raises(RuleError):
        services.conclusion_sign(conclusion=conclusion, actor=secretary)


def test_another_organisation_does_not_sign_it(mttq, nongdan, clock):
    conclusion = concluded(mttq, clock)
    with pytest.raises(RuleError):
        services.conclusion_sign(conclusion=conclusion, actor=nongdan)


def test_the_fronts_signed_notice_carries_its_own_header_number_and_signer(
    mttq, clock, tmp_path, django_capture_on_commit_callbacks
):
    conclusion = concluded(mttq, clock)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=mttq)
    record = effects.notice_record(conclusion)
    assert record.status == "ready"
    text = flowing(pdf_text(record.file.read(), tmp_path))
    for expected in (
        "ỦY BAN MTTQ VIỆT NAM",
        "XÃ ĐÔ LƯƠNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/TB-MTTQ",
        "Đô Lương, ngày 18 tháng 12 năm 2026",
        "THÔNG BÁO",
        "Kết luận của đồng chí Chủ tịch Ủy ban MTTQ Việt Nam xã",
        "Bà Lê Thị Hoa (Xóm Yên Thịnh)",
        "Ban Thường trực Ủy ban MTTQ Việt Nam xã thông báo",
        "TM. BAN THƯỜNG TRỰC",
        "CHỦ TỊCH",
        "Thái Văn Lợi",
        "Lưu VT.",
    ):
        assert expected in text, expected
    header = text.split("THÔNG BÁO")[0]
    assert "ĐẢNG" not in header
    for absent in ("ĐẢNG CỘNG SẢN VIỆT NAM", "BÍ THƯ", "-TB/ĐU"):
        assert absent not in text, absent


def test_the_youth_unions_notice_is_in_the_youth_unions_format(clock):
    staff = organisation_staff(YOUTH, "doantn_staff")
    conclusion = services.conclusion_sign(conclusion=concluded(staff, clock, YOUTH), actor=staff)
    doc = documents.notice_document(conclusion)
    assert doc.number_line == "Số: 01-TB/ĐTN"
    assert doc.issuer.heading == ("ĐOÀN TNCS HỒ CHÍ MINH",)
    assert doc.issuer.mark == "***"
    assert doc.issuer.issuing_lines == ["BCH ĐOÀN XÃ ĐÔ LƯƠNG"]
    assert doc.issuer.superior_body == "BCH ĐOÀN TỈNH NGHỆ AN"
    assert [(s.authority, s.title, s.name) for s in doc.signatures] == [
        ("TM. BAN CHẤP HÀNH", "BÍ THƯ", "Nguyễn Văn Trung")
    ]


def test_the_party_committees_notice_keeps_the_party_format(
    staff, office, secretary, clock, department
):
    from tests.conclusions.helpers import signed

    doc = documents.notice_document(signed(staff, office, secretary, clock, department))
    assert doc.number_line == "Số 01-TB/ĐU"
    assert doc.issuer.heading == ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    assert doc.recipient_lines[-1] == "- Lưu Văn phòng Đảng ủy."


def test_the_draft_word_copy_has_the_organisations_header(client, mttq, clock):
    import io

    from docx import Document

    conclusion = concluded(mttq, clock)
    client.force_login(mttq)
    response = client.get(reverse("conclusions:notice_docx", args=[conclusion.pk]))
    assert response.status_code == 200
    word = Document(io.BytesIO(response.content))
    cells = " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "ỦY BAN MTTQ VIỆT NAM" in cells
    assert "Độc lập - Tự do - Hạnh phúc" in cells
    assert "Số:       /TB-MTTQ" in cells


@pytest.mark.parametrize("who", ["nongdan", "dept_user"])
def test_another_organisation_or_a_unit_does_not_find_the_draft(client, mttq, clock, request, who):
    conclusion = concluded(mttq, clock)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("conclusions:detail", args=[conclusion.pk])).status_code == 404


def test_the_party_staff_read_the_organisations_conclusion_and_change_nothing(
    client, mttq, staff, secretary, clock
):
    conclusion = concluded(mttq, clock)
    client.force_login(staff)
    assert client.get(reverse("conclusions:detail", args=[conclusion.pk])).status_code == 200
    assert client.get(reverse("conclusions:edit", args=[conclusion.pk])).status_code == 403
    client.force_login(secretary)
    page = client.get(reverse("conclusions:detail", args=[conclusion.pk]))
    assert page.context["actions"]["review"] is False
    client.force_login(mttq)
    page = client.get(reverse("conclusions:detail", args=[conclusion.pk]))
    assert page.context["actions"]["review"] is True


def test_the_public_pages_publish_only_the_party_committees_notices(
    client, mttq, clock, django_capture_on_commit_callbacks
):
    conclusion = concluded(mttq, clock)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=mttq)
    services.conclusion_issue(conclusion=conclusion, actor=mttq)
    from conclusions import public

    assert not public.issued_conclusions().exists()
    assert client.get(reverse("public:conclusion", args=[conclusion.pk])).status_code == 404


def test_an_organisations_notice_gives_no_directives_to_the_communes_units(
    client, mttq, clock, department
):
    from conclusions.services import DirectiveData

    conclusion = concluded(mttq, clock)
    conclusion = services.conclusion_return(
        conclusion=conclusion, actor=mttq, comment="Bổ sung phần kết"
    )
    with pytest.raises(RuleError):
        services.directive_add(
            conclusion=conclusion,
            data=DirectiveData(lead=department, task="Sửa đường", deadline=date(2027, 1, 29)),
            actor=mttq,
        )
    client.force_login(mttq)
    response = client.get(reverse("conclusions:directive_add", args=[conclusion.pk]))
    assert response.status_code == 302
    page = client.get(reverse("conclusions:detail", args=[conclusion.pk]))
    assert b'data-testid="directives"' not in page.content


def test_the_organisations_notice_is_submitted_to_and_returned_by_its_own_head(client, mttq, clock):
    from django.utils import translation

    clock.set(date(2026, 11, 25))
    session = organisation_held(mttq, clock)
    client.force_login(mttq)
    with translation.override("en"):
        page = client.get(reverse("conclusions:for_session", args=[session.pk]))
        assert "submitting it to the head of the organisation" in page.content.decode()
        assert "to the Secretary" not in page.content.decode()
        conclusion = services.conclusion_draft(session=session, actor=mttq)
        response = client.post(reverse("conclusions:submit", args=[conclusion.pk]), follow=True)
        text = response.content.decode()
        assert "Submitted to the head of the organisation for signature." in text
        response = client.post(
            reverse("conclusions:return", args=[conclusion.pk]),
            {"comment": "Bổ sung ý kiến của chi hội xóm Đà Sơn."},
            follow=True,
        )
        text = response.content.decode()
        assert "Returned to the drafter with your comment." in text
        assert "Returned by the head of the organisation:" in text
        assert "Ban Xây dựng Đảng" not in text


def test_on_the_conclusion_page_only_the_conclusion_tab_is_current(client, mttq, clock):
    conclusion = concluded(mttq, clock)
    client.force_login(mttq)
    page = client.get(reverse("conclusions:detail", args=[conclusion.pk])).content.decode()
    assert page.count('class="nav-link py-1 active"') == 1
    overview = client.get(reverse("sessions:detail", args=[conclusion.session.pk]))
    assert overview.content.decode().count('class="nav-link py-1 active"') == 1


def test_the_periodic_report_says_whose_dialogue_an_organisations_one_is(mttq, clock):
    from conclusions import reports

    session = organisation_held(mttq, clock)
    stats = reports.statistics(reports.Period.of("year", session.held_on.year))
    names = [row.name for row in stats.sessions]
    assert f"{session.held_on:%d/%m/%Y} — Ủy ban MTTQ Việt Nam xã: {session.title}" in names


def test_issuing_the_organisations_notice_speaks_of_no_units_or_directives(
    client, mttq, clock, django_capture_on_commit_callbacks
):
    from django.utils import translation

    conclusion = concluded(mttq, clock)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=mttq)
    client.force_login(mttq)
    with translation.override("en"):
        response = client.post(reverse("conclusions:issue", args=[conclusion.pk]), follow=True)
    text = response.content.decode()
    assert "Notice issued." in text
    assert "directives are followed up" not in text


def test_the_issue_page_of_an_organisations_notice_promises_no_directives(
    client, mttq, clock, django_capture_on_commit_callbacks
):
    from django.utils import translation

    conclusion = concluded(mttq, clock)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=mttq)
    client.force_login(mttq)
    with translation.override("en"):
        page = client.get(reverse("conclusions:issue", args=[conclusion.pk])).content.decode()
    assert 'data-testid="organisation-issue"' in page
    assert "every directive is followed up" not in page
    assert "No recipient unit was chosen" not in page
