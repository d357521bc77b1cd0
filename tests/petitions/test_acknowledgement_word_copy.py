"""The acknowledgement letter's Word copy: offered while the letter is a draft (not yet sent),
saying what its PDF says; a sent letter has only its PDF."""

import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from docx import Document

from petitions import services
from petitions.models import Petition
from petitions.permissions import Access

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def receive(actor) -> Petition:
    data = services.PetitionData(
        summary="Đèn đường xóm Yên Thịnh hỏng",
        content="Đèn đường xóm Yên Thịnh hỏng đã hai tuần.",
        petitioner_name="Nguyễn Thị Ơn",
        petitioner_address="Xóm Yên Thịnh",
        channel=Petition.Channel.FRONT,
        received_on=timezone.localdate() - timedelta(days=2),
    )
    return services.petition_receive(data=data, actor=actor)


def word_copy(client, user, petition):
    client.force_login(user)
    return client.get(reverse("petitions:acknowledgement_docx", args=[petition.pk]))


def docx_text(content: bytes) -> str:
    word = Document(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    parts += [
        p.text for t in word.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    return " ".join(" ".join(parts).split())


def test_an_unsent_letter_has_a_word_copy_with_the_same_content(client, staff):
    petition = receive(staff)
    response = word_copy(client, staff, petition)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="thong-bao-tiep-nhan-{petition.code}.docx"'
    )
    text = docx_text(response.content)
    for expected in (
        "ĐẢNG ỦY XÃ ĐÔ LƯƠNG",
        "V/v tiếp nhận, xử lý kiến nghị",
        "THÔNG BÁO",
        "Kính gửi: Ông/Bà Nguyễn Thị Ơn",
        "Địa chỉ: Xóm Yên Thịnh",
        f"(số tiếp nhận {petition.code}) về việc: “Đèn đường xóm Yên Thịnh hỏng”.",
        "thông qua Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "- Lưu Văn phòng Đảng ủy.",
        "T/M BAN THƯỜNG VỤ",
    ):
        assert expected in text, expected


def test_a_sent_letter_has_only_its_pdf(client, staff):
    petition = receive(staff)
    services.petition_acknowledge(petition=petition, actor=staff, sent_on=timezone.localdate())
    response = word_copy(client, staff, petition)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Văn bản đã ký hoặc đã ban hành không có bản Word: hãy tải bản PDF."]


@pytest.mark.parametrize(("actor", "status"), [("office", 200), ("dept_user", 404)])
def test_the_word_copy_is_for_those_who_may_print_the_letter(client, request, staff, actor, status):
    petition = receive(staff)
    assert word_copy(client, request.getfixturevalue(actor), petition).status_code == status


def test_the_petition_page_offers_the_word_copy_only_until_the_letter_is_sent(staff):
    petition = receive(staff)
    link = reverse("petitions:acknowledgement_docx", args=[petition.pk])
    context = {"petition": petition, "access": Access(staff)}
    assert link in render_to_string("petitions/acknowledgement_actions.html", context)
    services.petition_acknowledge(petition=petition, actor=staff, sent_on=timezone.localdate())
    petition.refresh_from_db()
    assert link not in render_to_string("petitions/acknowledgement_actions.html", context)
