"""The conclusion notice (Thông báo kết luận) in the Party format: its PDF's text, its Word
copy while a draft, and formatted text that never lets a tag through."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from conclusions import effects, services
from conclusions.services import DirectiveData
from petitions.models import Department
from tests.conclusions.helpers import drafted
from tests.documents.conftest import flowing, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def conclusion(staff, office, clock, department):
    conclusion = drafted(staff, office, clock, department)
    data = services.ConclusionData.of(conclusion)
    data.resolved = "- Đã **cập nhật** kỹ danh sách hộ nghèo <script>alert(1)</script>"
    services.conclusion_update(conclusion=conclusion, data=data, actor=staff)
    services.directive_add(
        conclusion=conclusion,
        data=DirectiveData(
            lead=department,
            supporting=[Department.objects.get(name="Công an xã")],
            task="Khảo sát kỹ hiện trạng, lắp đặt lại hệ thống đèn đường xóm Đông Hồ",
            deadline=date(2027, 1, 29),
            report_how="báo cáo Thường trực Đảng ủy bằng văn bản",
        ),
        actor=staff,
    )
    return conclusion


def test_the_signed_notice_reads_as_a_party_document(
    conclusion, staff, secretary, department, tmp_path, django_capture_on_commit_callbacks
):
    services.conclusion_submit(conclusion=conclusion, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    record = effects.notice_record(conclusion)
    assert record.status == "ready" and len(record.sha256) == 64
    text = flowing(pdf_text(record.file.read(), tmp_path))
    for expected in (
        "ĐẢNG BỘ TỈNH NGHỆ AN",
        "ĐẢNG ỦY XÃ ĐÔ LƯƠNG",
        "Số 01-TB/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đô Lương, ngày 18 tháng 12 năm 2026",
        "THÔNG BÁO",
        "Kết luận của đồng chí Bí thư Đảng ủy tại hội nghị tiếp xúc, đối thoại với Nhân dân",
        "1. Những nội dung đã đối thoại",
        "2. Những nội dung chưa đối thoại",
        "3. Những nội dung đã được giải quyết",
        "- Đã cập nhật kỹ danh sách hộ nghèo <script>alert(1)</script>",
        "4. Những nội dung đang và sẽ giải quyết",
        "5. Giao nhiệm vụ cho các cơ quan, đơn vị",
        f"1. {department.name}:",
        "a) Chủ trì giải quyết dứt điểm",
        "hoàn thành trong 15 ngày làm việc kể từ ngày ban hành Thông báo này",
        "b) Chủ trì, phối hợp với Công an xã khảo sát kỹ hiện trạng, lắp đặt lại hệ thống đèn "
        "đường xóm Đông Hồ, hoàn thành trước ngày 29/01/2027, báo cáo Thường trực Đảng ủy bằng "
        "văn bản.",
        "Văn phòng Đảng ủy theo dõi, đôn đốc",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Nơi nhận:",
        f"- {department.name};",
        "- Lưu Văn phòng Đảng ủy.",
    ):
        assert expected in text, expected
    assert "**" not in text
    for glyph in ("Đ", "ư", "ỹ", "ậ"):
        assert glyph in text


def test_the_page_shows_formatted_text_and_no_typed_tag(client, conclusion, staff):
    client.force_login(staff)
    page = client.get(reverse("conclusions:detail", args=[conclusion.pk])).content.decode()
    assert "<strong>cập nhật</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_draft_is_offered_in_word_and_the_signed_notice_is_not(
    client, conclusion, staff, secretary
):
    client.force_login(staff)
    url = reverse("conclusions:notice_docx", args=[conclusion.pk])
    response = client.get(url)
    assert response.status_code == 200
    word = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    header = "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    assert "THÔNG BÁO" in text and "-TB/ĐU" in header
    assert "khảo sát kỹ hiện trạng" in text and "**" not in text
    services.conclusion_submit(conclusion=conclusion, actor=staff)
    services.conclusion_sign(conclusion=conclusion, actor=secretary)
    assert client.get(url).status_code == 302
