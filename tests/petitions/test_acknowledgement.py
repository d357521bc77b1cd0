"""The written acknowledgement to the petitioner (Quy định 11-QĐi/TW): the letter, recording
that it was sent, and the list of letters still owed."""

import re
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from doluong_dialogue import pdf, workdays
from doluong_dialogue.models import SiteConfiguration
from petitions import services
from petitions.models import Petition, PetitionEvent, Topic
from petitions.permissions import Access
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def receive(actor, **fields) -> Petition:
    """A petition taken in through the intake service, which sets the letter's due date."""
    data = {
        "summary": "Đường liên xóm xuống cấp, nhiều ổ gà",
        "content": "Đường liên xóm từ ngã ba chợ đi xóm Đông Hồ xuống cấp, nhiều ổ gà.",
        "petitioner_name": "Nguyễn Thị Hường",
        "petitioner_address": "Xóm Yên Thịnh",
        "channel": Petition.Channel.FRONT,
        "received_on": today() - timedelta(days=3),
        **fields,
    }
    return services.petition_receive(data=services.PetitionData(**data), actor=actor)


def owed(received_on, **fields) -> Petition:
    """A petition whose letter is owed, due 10 working days after `received_on`."""
    due = workdays.add_working_days(received_on, services.ACKNOWLEDGEMENT_WORKING_DAYS)
    return PetitionFactory(received_on=received_on, acknowledgement_due=due, **fields)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    target = tmp_path / "letter.pdf"
    target.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    return unicodedata.normalize("NFC", text)


def flowing(text: str) -> str:
    """The text with every run of white space made one space, so wrapped lines read on."""
    return " ".join(text.split())


def letter(client, user, petition):
    client.force_login(user)
    return client.get(reverse("petitions:acknowledgement_pdf", args=[petition.pk]))


# --- The letter -------------------------------------------------------------------------


def test_letter_is_an_inline_pdf_named_after_the_receipt_code(client, staff):
    petition = receive(staff)
    response = letter(client, staff, petition)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="thong-bao-tiep-nhan-{petition.code}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_letter_carries_the_party_header_from_the_site_configuration(client, staff, tmp_path):
    site = SiteConfiguration.load()
    site.superior_body = "ĐẢNG BỘ TỈNH HÀ TĨNH"
    site.issuing_body = "ĐẢNG ỦY XÃ THỬ NGHIỆM"
    site.place_name = "Thử Nghiệm"
    site.code_suffix = "ĐUTN"
    site.secretary_name = "Hoàng Văn Thử"
    site.save()
    petition = receive(staff)
    text = pdf_text(letter(client, staff, petition).content, tmp_path)
    assert "ĐẢNG BỘ TỈNH HÀ TĨNH" in text
    assert "ĐẢNG ỦY XÃ THỬ NGHIỆM" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert re.search(r"Số\s+-TB/ĐUTN", text)  # the number is left for the Office's register
    assert "V/v tiếp nhận, xử lý kiến nghị" in text
    assert pdf.party_date_line("Thử Nghiệm", today()) in text
    assert "THÔNG BÁO" in text
    assert "T/M BAN THƯỜNG VỤ" in text
    assert "BÍ THƯ" in text
    assert "Hoàng Văn Thử" in text


def test_letter_is_dated_the_day_it_was_sent(client, staff, tmp_path):
    petition = receive(staff, received_on=today() - timedelta(days=10))
    sent_on = today() - timedelta(days=4)
    services.petition_acknowledge(petition=petition, actor=staff, sent_on=sent_on)
    text = pdf_text(letter(client, staff, petition).content, tmp_path)
    assert pdf.party_date_line("Đô Lương", sent_on) in text


def test_letter_names_the_petitioner_the_petition_and_the_recipients(client, staff, tmp_path):
    petition = receive(
        staff,
        petitioner_name="Trần Thị Hường",
        petitioner_address="Xóm Đông Hồ",
        channel=Petition.Channel.HAMLET,
    )
    text = flowing(pdf_text(letter(client, staff, petition).content, tmp_path))
    assert "Kính gửi: Ông/Bà Trần Thị Hường" in text
    assert "Địa chỉ: Xóm Đông Hồ" in text
    assert f"Ngày {petition.received_on:%d/%m/%Y}, Ban Thường vụ Đảng ủy xã Đô Lương" in text
    assert "thông qua cán bộ xóm, khối" in text
    assert f"(số tiếp nhận {petition.code})" in text
    assert "“Đường liên xóm xuống cấp, nhiều ổ gà”" in text
    assert "đang xem xét, giao cơ quan có thẩm quyền giải quyết" in text
    assert "Nơi nhận: T/M BAN THƯỜNG VỤ" in text
    assert "- Như trên;" in text
    assert "- Thường trực Đảng ủy;" in text
    assert "- Lưu Văn phòng Đảng ủy." in text


def test_letter_names_the_department_the_petition_is_assigned_to(
    client, staff, department, tmp_path
):
    petition = receive(staff, topic=Topic.objects.get(name="Giao thông, thủy lợi, điện, nước"))
    services.petition_assign(petition=petition, actor=staff, department=department)
    text = flowing(pdf_text(letter(client, staff, petition).content, tmp_path))
    assert "giao Phòng Kinh tế chủ trì xem xét, giải quyết" in text
    assert "- Phòng Kinh tế (thực hiện);" in text


def test_letter_for_a_forwarded_petition_says_where_it_was_sent(client, staff, tmp_path):
    petition = receive(staff)
    services.petition_close(
        petition=petition,
        actor=staff,
        outcome=Petition.Outcome.FORWARDED,
        note="UBND tỉnh Nghệ An (thử nghiệm).",
    )
    text = flowing(pdf_text(letter(client, staff, petition).content, tmp_path))
    assert "vượt thẩm quyền giải quyết của cấp xã" in text
    assert "theo quy định: UBND tỉnh Nghệ An (thử nghiệm)." in text
    assert "Kết quả giải quyết sẽ do cơ quan có thẩm quyền trả lời" in text


def test_letter_to_a_group_is_addressed_to_its_representative(client, staff, tmp_path):
    petition = receive(
        staff, petitioner_name="Lê Đình Hòe", petitioner_address="", is_group=True, people_count=12
    )
    assert petition.acknowledgement_due is not None
    text = flowing(pdf_text(letter(client, staff, petition).content, tmp_path))
    assert "Kính gửi: Lê Đình Hòe (Đại diện nhóm 12 công dân cùng kiến nghị)" in text
    assert "nhóm công dân do Lê Đình Hòe làm đại diện" in text


def test_user_text_in_the_letter_is_escaped(client, staff, tmp_path):
    petition = receive(staff, summary="<b>Đèn đường</b> hỏng")
    text = flowing(pdf_text(letter(client, staff, petition).content, tmp_path))
    assert "“<b>Đèn đường</b> hỏng”" in text


def test_letter_embeds_only_liberation_serif(client, staff, tmp_path):
    target = tmp_path / "letter.pdf"
    target.write_bytes(letter(client, staff, receive(staff)).content)
    listing = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    names = {line.split()[0].split("+", 1)[-1] for line in listing}
    assert names == {
        "Shipped-Liberation-Serif",
        "Shipped-Liberation-Serif-Bold",
        "Shipped-Liberation-Serif-Italic",
    }


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("staff", 200),
        ("office", 200),
        ("secretary", 200),
        ("inspector", 200),
        ("dept_user", 404),
        ("other_dept_user", 404),
        ("front_user", 404),
    ],
)
def test_who_may_print_the_letter(client, request, staff, department, actor, status):
    # The petition is assigned to the department user's own department and was taken in by
    # the Front user, so both can see it; the letter carries identity, and neither gets it.
    front_user = request.getfixturevalue("front_user")
    petition = receive(front_user, topic=Topic.objects.get(name="Giao thông, thủy lợi, điện, nước"))
    services.petition_assign(petition=petition, actor=staff, department=department)
    response = letter(client, request.getfixturevalue(actor), petition)
    assert response.status_code == status


def test_anonymous_visitor_is_sent_to_the_login_page(client, staff):
    petition = receive(staff)
    response = client.get(reverse("petitions:acknowledgement_pdf", args=[petition.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_no_letter_for_a_petition_without_an_address(client, staff):
    petition = receive(staff, petitioner_address="")
    assert petition.acknowledgement_due is None
    response = letter(client, staff, petition)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Kiến nghị này không cần gửi thông báo tiếp nhận" in response.content.decode()


def test_missing_petition_is_404(client, staff):
    client.force_login(staff)
    response = client.get(reverse("petitions:acknowledgement_pdf", args=[999999]))
    assert response.status_code == 404


# --- Recording that the letter was sent -------------------------------------------------


def acknowledge(client, user, petition, **data):
    client.force_login(user)
    return client.post(reverse("petitions:acknowledge", args=[petition.pk]), data)


@pytest.mark.parametrize("actor", ["staff", "office"])
def test_staff_and_the_office_record_the_letter_as_sent(client, request, staff, actor):
    petition = receive(staff, received_on=today() - timedelta(days=5))
    sent_on = today() - timedelta(days=1)
    response = acknowledge(
        client, request.getfixturevalue(actor), petition, sent_on=f"{sent_on:%d/%m/%Y}"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])
    petition.refresh_from_db()
    assert petition.acknowledged_on == sent_on
    assert petition.events.filter(kind=PetitionEvent.Kind.ACKNOWLEDGED).count() == 1
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [
        f"Đã ghi nhận thông báo tiếp nhận kiến nghị {petition.code} "
        f"được gửi ngày {sent_on:%d/%m/%Y}."
    ]


def test_sending_date_defaults_to_today(client, staff):
    petition = receive(staff)
    acknowledge(client, staff, petition, sent_on="")
    petition.refresh_from_db()
    assert petition.acknowledged_on == today()


def test_a_sending_date_before_the_petition_was_received_is_refused(client, staff):
    petition = receive(staff)
    before = petition.received_on - timedelta(days=1)
    response = acknowledge(client, staff, petition, sent_on=f"{before:%d/%m/%Y}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ngày gửi phải từ ngày tiếp nhận đến hôm nay." in page
    assert f'value="{before:%d/%m/%Y}"' in page  # what was typed is kept
    petition.refresh_from_db()
    assert petition.acknowledged_on is None
    assert not petition.events.filter(kind=PetitionEvent.Kind.ACKNOWLEDGED).exists()


def test_an_impossible_date_gives_the_form_again(client, staff):
    petition = receive(staff)
    response = acknowledge(client, staff, petition, sent_on="31/02/2026")
    assert response.status_code == 200
    assert 'value="31/02/2026"' in response.content.decode()
    petition.refresh_from_db()
    assert petition.acknowledged_on is None


def test_recording_goes_back_to_a_local_next_page_only(client, staff):
    petition = receive(staff)
    other = receive(staff)
    listing = reverse("petitions:acknowledgements") + "?page=1"
    response = acknowledge(client, staff, petition, next=listing)
    assert response["Location"] == listing
    response = acknowledge(client, staff, other, next="https://example.org/")
    assert response["Location"] == reverse("petitions:detail", args=[other.pk])


def test_the_form_page_offers_today(client, staff):
    petition = receive(staff)
    client.force_login(staff)
    response = client.get(reverse("petitions:acknowledge", args=[petition.pk]))
    assert response.status_code == 200
    assert f'value="{today():%d/%m/%Y}"' in response.content.decode()


@pytest.mark.parametrize(
    ("actor", "status"),
    [("secretary", 403), ("inspector", 403), ("dept_user", 404), ("front_user", 404)],
)
def test_only_staff_record_the_letter_as_sent(client, request, staff, actor, status):
    petition = receive(staff)
    response = acknowledge(client, request.getfixturevalue(actor), petition)
    assert response.status_code == status
    petition.refresh_from_db()
    assert petition.acknowledged_on is None


# --- The letters still owed -------------------------------------------------------------


def letters_page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("petitions:acknowledgements"), params)


def test_list_shows_letters_owed_earliest_due_first_and_hides_sent_ones(client, staff):
    later = owed(today() - timedelta(days=1), summary="Thư đến hạn sau")
    earlier = owed(today() - timedelta(days=3), summary="Thư đến hạn trước")
    sent = owed(today() - timedelta(days=2), summary="Thư đã gửi")
    services.petition_acknowledge(petition=sent, actor=staff, sent_on=today())
    PetitionFactory(summary="Không có địa chỉ", petitioner_address="")
    page = letters_page(client, staff).content.decode()
    assert page.index(earlier.code) < page.index(later.code)
    assert sent.code not in page
    assert "Không có địa chỉ" not in page
    assert reverse("petitions:acknowledgement_pdf", args=[earlier.pk]) in page
    assert reverse("petitions:acknowledge", args=[earlier.pk]) in page


def test_list_flags_overdue_and_due_soon_letters(client, staff):
    overdue = owed(today() - timedelta(days=40))
    due_soon = PetitionFactory(received_on=today(), acknowledgement_due=today())
    last_soon = PetitionFactory(
        received_on=today(), acknowledgement_due=workdays.add_working_days(today(), 3)
    )
    not_yet = PetitionFactory(
        received_on=today(), acknowledgement_due=workdays.add_working_days(today(), 4)
    )
    page = letters_page(client, staff).content.decode()
    rows = {
        code: row for code, row in re.findall(r'data-code="([^"]+)">(.*?)</tr>', page, flags=re.S)
    }
    assert 'data-testid="overdue"' in rows[overdue.code]
    assert 'data-testid="due-soon"' in rows[due_soon.code]
    assert 'data-testid="due-soon"' in rows[last_soon.code]
    assert 'data-testid="overdue"' not in rows[not_yet.code]
    assert 'data-testid="due-soon"' not in rows[not_yet.code]
    assert "1 quá hạn" in page


def test_list_is_paginated_by_25(client, staff):
    for _ in range(27):
        owed(today() - timedelta(days=2))
    first = letters_page(client, staff).content.decode()
    second = letters_page(client, staff, page=2).content.decode()
    assert first.count('data-testid="letter-row"') == 25
    assert second.count('data-testid="letter-row"') == 2


def test_list_costs_the_same_queries_for_2_rows_as_for_25(client, staff):
    def queries() -> int:
        client.force_login(staff)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("petitions:acknowledgements"))
        assert response.status_code == 200
        return len(captured)

    for _ in range(2):
        owed(today() - timedelta(days=2))
    few = queries()
    for _ in range(23):
        owed(today() - timedelta(days=2))
    many = queries()
    assert few == many
    assert many <= 11


def test_secretary_reads_the_list_without_the_forms_to_record_sending(client, secretary):
    petition = owed(today() - timedelta(days=2))
    response = letters_page(client, secretary)
    assert response.status_code == 200
    page = response.content.decode()
    assert petition.code in page
    assert reverse("petitions:acknowledge", args=[petition.pk]) not in page


@pytest.mark.parametrize("actor", ["dept_user", "front_user"])
def test_departments_and_the_front_cannot_open_the_list(client, request, actor):
    assert letters_page(client, request.getfixturevalue(actor)).status_code == 403


def test_empty_list_says_every_letter_was_sent(client, staff):
    page = letters_page(client, staff).content.decode()
    assert "Tất cả thông báo tiếp nhận đã được gửi." in page


@pytest.mark.parametrize(
    ("actor", "pdf_link", "record_link"),
    [
        ("staff", True, True),
        ("office", True, True),
        ("secretary", True, False),
        ("dept_user", False, False),
    ],
)
def test_petition_page_buttons_follow_who_may_print_and_record(
    request, staff, actor, pdf_link, record_link
):
    petition = receive(staff)
    html = render_to_string(
        "petitions/acknowledgement_actions.html",
        {"petition": petition, "access": Access(request.getfixturevalue(actor))},
    )
    assert (reverse("petitions:acknowledgement_pdf", args=[petition.pk]) in html) is pdf_link
    assert (reverse("petitions:acknowledge", args=[petition.pk]) in html) is record_link


# --- A hidden petitioner's letter (issue 12, item 5) ------------------------------------


@pytest.mark.parametrize("actor", ["office", "inspector"])
def test_a_hidden_petitioners_letter_is_not_for_those_who_may_not_know_them(
    client, request, staff, actor
):
    hidden = receive(staff, petitioner_name="Nguyễn Văn Thưởng", hide_identity=True)
    user = request.getfixturevalue(actor)
    client.force_login(user)
    for name in ("acknowledgement_pdf", "acknowledgement_docx", "acknowledge"):
        assert client.get(reverse(f"petitions:{name}", args=[hidden.pk])).status_code == 403
    assert client.post(reverse("petitions:acknowledge", args=[hidden.pk])).status_code == 403


@pytest.mark.parametrize("actor", ["staff", "secretary"])
def test_ban_xay_dung_dang_and_the_secretary_print_a_hidden_petitioners_letter(
    client, request, staff, actor
):
    hidden = receive(staff, petitioner_name="Nguyễn Văn Thưởng", hide_identity=True)
    assert letter(client, request.getfixturevalue(actor), hidden).status_code == 200


def test_the_office_list_counts_a_hidden_petitioners_letter_masked(client, staff, office):
    """The Party Office's list keeps every letter owed, so its figures are its rows; a hidden
    petitioner's letter is listed masked, as sent by Ban Xây dựng Đảng, without its links."""
    shown = receive(staff, summary="Thư có tên")
    hidden = receive(
        staff,
        summary="Thư giữ bí mật",
        petitioner_name="Nguyễn Văn Thưởng",
        petitioner_address="Xóm Đông Hồ",
        hide_identity=True,
    )
    with translation.override("en"):
        response = letters_page(client, office)
    page = response.content.decode()
    assert response.context["owed_count"] == 2
    assert response.context["page_obj"].paginator.count == 2
    assert shown.code in page and hidden.code in page
    assert "Thưởng" not in page and "Đông Hồ" not in page
    assert 'data-testid="sent-by-party-building"' in page
    assert reverse("petitions:acknowledgement_pdf", args=[hidden.pk]) not in page
    assert reverse("petitions:acknowledge", args=[hidden.pk]) not in page
    assert reverse("petitions:acknowledgement_pdf", args=[shown.pk]) in page
    # Ban Xây dựng Đảng sees the same rows, named, with the links.
    page = letters_page(client, staff).content.decode()
    assert "Nguyễn Văn Thưởng" in page
    assert reverse("petitions:acknowledgement_pdf", args=[hidden.pk]) in page


@pytest.mark.parametrize(
    ("sent_next", "lands_on"),
    [
        ("/petitions/acknowledgements/", "/petitions/acknowledgements/"),
        # A bare word is not a URL name to look up (it was a server error), nor is another
        # site or a protocol-relative address a place to go: back to the petition.
        ("-2+3", None),
        ("petitions:list", None),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("", None),
    ],
)
def test_after_recording_the_letter_the_office_goes_back_only_to_a_page_of_this_site(
    client, staff, sent_next, lands_on
):
    petition = receive(staff, received_on=today() - timedelta(days=5))
    response = acknowledge(client, staff, petition, sent_on="", next=sent_next)
    assert response.status_code == 302
    assert response["Location"] == (lands_on or reverse("petitions:detail", args=[petition.pk]))
    petition.refresh_from_db()
    assert petition.acknowledged_on == today()
