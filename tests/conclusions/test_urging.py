"""The Party Office's urging letters (công văn đôn đốc): drafted about an overdue item, its
Word copy while a draft, issued with the next CV number, its PDF in the Party format, the
item's timeline, and the unit e-mailed the PDF once."""

from datetime import date

import pytest
from django.core import mail

from conclusions import urging
from conclusions.models import UrgingLetter
from doluong_dialogue.rules import RuleError
from petitions.models import Assignment, PetitionEvent
from tests.documents.conftest import flowing, pdf_text
from tests.petitions.helpers import assigned

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)


@pytest.fixture
def late(staff, department, clock):
    clock.set(date(2026, 11, 2))
    _petition, assignment = assigned(staff, department, summary="Cống thoát nước bị tắc")
    Assignment.objects.filter(pk=assignment.pk).update(deadline=date(2026, 11, 27))
    assignment.refresh_from_db()
    clock.set(MONDAY)
    return assignment


def test_a_letter_is_drafted_issued_numbered_and_recorded(
    late, office, tmp_path, django_capture_on_commit_callbacks
):
    letter = urging.urging_draft(item=late, actor=office)
    assert letter.is_draft and letter.unit == late.department
    assert letter.reply_by == date(2026, 12, 14)  # five working days
    assert late.petition.code in letter.request
    with django_capture_on_commit_callbacks(execute=True):
        letter = urging.urging_issue(letter=letter, actor=office)
    assert (letter.number, letter.status, letter.issued_on) == (1, "issued", MONDAY)
    event = late.petition.events.get(kind=PetitionEvent.Kind.URGED)
    assert "Công văn số 01-CV/ĐU" in event.note

    record = urging.pdf_record(letter)
    assert record.is_ready
    with record.file.open("rb") as stored:
        text = flowing(pdf_text(stored.read(), tmp_path))
    assert "Số 01-CV/ĐU" in text
    assert "V/v đôn đốc thực hiện nhiệm vụ được giao" in text
    assert "Kính gửi: Phòng Kinh tế" in text
    assert "quá hạn 6 ngày làm việc" in text
    assert late.petition.code in text

    (message,) = [m for m in mail.outbox if "CV/ĐU" in m.subject]
    assert message.to == ["kinhte_member@doluong.example"]
    assert message.attachments[0][0] == "cong-van-don-doc-so-01.pdf"
    assert message.subject.startswith("Công văn số 01-CV/ĐU")
    for part in (message.body, message.alternatives[0][0]):
        assert "Kính gửi: Phòng Kinh tế" in part and late.petition.code in part

    with pytest.raises(RuleError, match="đã ban hành"):
        urging.urging_issue(letter=letter, actor=office)


def test_only_the_party_office_urges_and_only_what_is_overdue(
    late, staff, office, department, clock
):
    with pytest.raises(RuleError, match="Chỉ Văn phòng Đảng ủy"):
        urging.urging_draft(item=late, actor=staff)
    Assignment.objects.filter(pk=late.pk).update(deadline=date(2026, 12, 20))
    late.refresh_from_db()
    with pytest.raises(RuleError, match="đã quá hạn"):
        urging.urging_draft(item=late, actor=office)
    assert not UrgingLetter.objects.exists()


def test_a_draft_is_edited_with_clear_messages(late, office):
    letter = urging.urging_draft(item=late, actor=office)
    with pytest.raises(RuleError) as refused:
        urging.urging_update(
            letter=letter,
            data=urging.LetterData(request=" ", reply_by=date(2026, 12, 1)),
            actor=office,
        )
    messages = [error.message for error in refused.value.errors]
    assert "Hãy nêu nội dung đề nghị đơn vị thực hiện." in messages
    assert "Hạn báo cáo phải sau ngày hôm nay." in messages


def test_the_pages(client, late, office, dept_user, other_dept_user, inspector):
    client.force_login(office)
    items = client.get("/conclusions/oversight/items/?kind=assignment").content.decode()
    assert f'action="/conclusions/urging/new/assignment/{late.pk}/"' in items
    response = client.post(f"/conclusions/urging/new/assignment/{late.pk}/")
    letter = UrgingLetter.objects.get()
    assert response["Location"] == f"/conclusions/urging/{letter.pk}/"
    page = client.get(f"/conclusions/urging/{letter.pk}/")
    assert page.status_code == 200
    word = client.get(f"/conclusions/urging/{letter.pk}/du-thao.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    refused = client.post(f"/conclusions/urging/{letter.pk}/", {"request": "", "reply_by": ""})
    assert "Hãy nêu nội dung đề nghị đơn vị thực hiện." in refused.content.decode()
    client.post(f"/conclusions/urging/{letter.pk}/issue/")
    letter.refresh_from_db()
    assert not letter.is_draft
    assert client.get(f"/conclusions/urging/{letter.pk}/du-thao.docx").status_code == 404

    # The unit sees the letter sent to it; another unit does not; the Committee reads it.
    client.force_login(dept_user)
    assert client.get(f"/conclusions/urging/{letter.pk}/").status_code == 200
    assert client.post(f"/conclusions/urging/{letter.pk}/issue/").status_code == 302
    client.force_login(other_dept_user)
    assert client.get(f"/conclusions/urging/{letter.pk}/").status_code == 404
    client.force_login(inspector)
    assert client.get(f"/conclusions/urging/{letter.pk}/").status_code == 200
    assert client.post(f"/conclusions/urging/new/assignment/{late.pk}/").status_code == 403
