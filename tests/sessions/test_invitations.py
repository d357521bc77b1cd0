"""Invitations: invitees, numbers in the term's sequence, e-mails sent once, PDFs made."""

import io
from datetime import time

import pytest
from django.core import mail
from django.urls import reverse
from docx import Document

from doluong_dialogue.documents.models import RenderedDocument
from doluong_dialogue.rules import RuleError
from petitions.models import Department
from sessions import services
from sessions.models import Invitation, Invitee
from tests.documents.conftest import flowing, pdf_text
from tests.sessions.helpers import TODAY, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(staff, clock):
    clock.set(TODAY)
    return planned(staff, starts_at=time(7, 30))


def unit(name: str) -> Department:
    return Department.objects.get(name=name)


def test_an_invitee_needs_a_name_and_is_listed_once(session, office):
    invitation = services.invitation_of(session)
    with pytest.raises(RuleError) as refusal:
        services.invitee_add(invitation=invitation, actor=office, kind="person", name="  ")
    assert refusal.value.field == "name"
    services.invitee_add(
        invitation=invitation, actor=office, kind="unit", department=unit("Phòng Kinh tế")
    )
    with pytest.raises(RuleError, match="đã có trong danh sách"):
        services.invitee_add(
            invitation=invitation, actor=office, kind="unit", department=unit("Phòng Kinh tế")
        )


def test_issuing_numbers_each_letter_in_the_terms_sequence(
    session, office, django_capture_on_commit_callbacks
):
    invitation = services.invitation_of(session)
    services.invitee_add(
        invitation=invitation,
        actor=office,
        kind="person",
        name="Nguyễn Văn Hùng",
        position="Bí thư Chi bộ xóm Yên Thịnh",
        email="hung@doluong.example",
    )
    services.invitee_add(
        invitation=invitation, actor=office, kind="unit", department=unit("Phòng Kinh tế")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_issue(invitation=invitation, actor=office)
    numbers = list(invitation.invitees.order_by("order").values_list("number", flat=True))
    assert numbers == [1, 2]
    # One e-mail, to the invitee who has an address.
    assert [message.to for message in mail.outbox] == [["hung@doluong.example"]]
    assert "Giấy mời" in mail.outbox[0].subject
    # A PDF for each letter, made once.
    records = RenderedDocument.objects.filter(builder="sessions.invitation.each")
    assert records.count() == 2 and all(r.status == "ready" for r in records)
    with pytest.raises(RuleError, match="đã được phát hành"):
        services.invitation_issue(invitation=invitation, actor=office)
    with pytest.raises(RuleError, match="không thay đổi"):
        services.invitee_add(invitation=invitation, actor=office, kind="person", name="Người khác")


def test_the_invitation_pdf_is_a_party_document(
    session, office, tmp_path, django_capture_on_commit_callbacks
):
    invitation = services.invitation_of(session)
    invitee = services.invitee_add(
        invitation=invitation,
        actor=office,
        kind="person",
        name="Nguyễn Văn Hùng",
        position="Bí thư Chi bộ xóm Yên Thịnh",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_issue(invitation=invitation, actor=office)
    record = RenderedDocument.objects.get(builder="sessions.invitation.each")
    text = flowing(pdf_text(record.file.read(), tmp_path))
    for expected in (
        "ĐẢNG BỘ TỈNH NGHỆ AN",
        "ĐẢNG ỦY XÃ ĐÔ LƯƠNG",
        "Số 01-GM/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "GIẤY MỜI",
        "Kính gửi: Nguyễn Văn Hùng, Bí thư Chi bộ xóm Yên Thịnh",
        "07 giờ 30 phút, thứ Sáu, ngày 18/12/2026",
        "Hội trường Đảng ủy xã",
        "Nơi nhận:",
        "Lưu Văn phòng Đảng ủy.",
    ):
        assert expected in text, expected
    assert invitee.pk


def test_a_list_invitation_carries_one_number_and_the_list(
    session, office, tmp_path, django_capture_on_commit_callbacks
):
    invitation = services.invitation_of(session)
    Invitation.objects.filter(pk=invitation.pk).update(mode=Invitation.Mode.LIST)
    invitation.refresh_from_db()
    for name in ("Phòng Kinh tế", "Công an xã"):
        services.invitee_add(
            invitation=invitation, actor=office, kind="unit", department=unit(name)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_issue(invitation=invitation, actor=office)
    invitation.refresh_from_db()
    assert invitation.number == 1
    assert not Invitee.objects.exclude(number=None).exists()
    record = RenderedDocument.objects.get(builder="sessions.invitation")
    text = flowing(pdf_text(record.file.read(), tmp_path))
    assert "DANH SÁCH KHÁCH MỜI" in text
    assert "Phòng Kinh tế" in text and "Công an xã" in text


def test_the_draft_invitation_is_offered_in_word_and_the_issued_one_is_not(
    client, session, office, django_capture_on_commit_callbacks
):
    invitation = services.invitation_of(session)
    services.invitee_add(invitation=invitation, actor=office, kind="person", name="Bà Lan")
    client.force_login(office)
    url = reverse("sessions:invitation_docx", args=[session.pk])
    response = client.get(url)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "GIẤY MỜI" in text
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_issue(invitation=invitation, actor=office)
    assert client.get(url).status_code == 302
