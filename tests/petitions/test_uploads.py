"""Every upload is checked by its content, not its name: petitions/uploads.py."""

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import Image

from petitions import uploads
from petitions.uploads import MultipleFileField, validate_upload

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The start of a Windows program: what a renamed .exe begins with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
OLE2 = uploads.OLE2_MAGIC + b"\x00" * 504


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (179, 38, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(
            "word/document.xml", "<w:document><w:body>Đơn kiến nghị</w:body></w:document>"
        )
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Danh sách kiến nghị (thử nghiệm)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return MINIMAL_PDF


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(file) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_upload(file)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("don-kien-nghi.pdf", MINIMAL_PDF, "application/pdf"),
        ("anh-hien-truong.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("anh-hien-truong.JPEG", image_bytes("JPEG"), "image/jpeg"),
        ("so-do.png", image_bytes("PNG"), "image/png"),
        ("so-do.gif", image_bytes("GIF"), "image/gif"),
        ("anh.webp", image_bytes("WEBP"), "image/webp"),
        ("bien-ban.doc", OLE2, "application/msword"),
        ("danh-sach.xls", OLE2, "application/vnd.ms-excel"),
        ("don.docx", docx_bytes(), uploads.DOCX.content_type),
        ("danh-sach.xlsx", xlsx_bytes(), uploads.XLSX.content_type),
    ],
)
def test_genuine_pdf_image_word_and_excel_files_are_accepted_with_their_detected_type(
    name, content, content_type
):
    file = upload(name, content)
    validate_upload(file)
    assert file.checked_content_type == content_type


def test_a_pdf_rendered_by_weasyprint_is_accepted():
    import weasyprint

    file = upload(
        "thong-bao.pdf", weasyprint.HTML(string="<p>Thông báo thử nghiệm</p>").write_pdf()
    )
    validate_upload(file)
    assert file.checked_content_type == "application/pdf"


def test_an_exe_renamed_to_pdf_is_refused_by_its_content():
    message = refusal(upload("bao-cao.pdf", EXE))
    assert "“bao-cao.pdf”" in message
    assert "nội dung không phải" in message


def test_a_program_is_refused_by_its_extension_with_the_accepted_types_named():
    message = refusal(upload("cai-dat.exe", EXE))
    assert message.startswith("Không nhận tệp “cai-dat.exe”")
    assert "PDF" in message and "Word" in message and "Excel" in message


def test_an_image_named_as_a_pdf_is_refused_with_what_it_really_is():
    message = refusal(upload("don.pdf", image_bytes("PNG")))
    assert "“don.pdf”" in message
    assert "ảnh PNG" in message
    assert "đổi tên" in message


def test_a_legacy_office_file_must_carry_a_doc_or_xls_name():
    assert "“bang.pdf”" in refusal(upload("bang.pdf", OLE2))


def test_a_docx_named_xlsx_is_refused():
    assert "Word" in refusal(upload("bang.xlsx", docx_bytes()))


def test_a_plain_zip_renamed_to_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", EXE)
    assert "nội dung không phải" in refusal(upload("don.docx", buffer.getvalue()))


def test_a_damaged_docx_is_refused_as_unreadable():
    message = refusal(upload("don.docx", b"PK\x03\x04" + b"\x00" * 100))
    assert "“don.docx”" in message
    assert "hỏng" in message


def test_a_zip_bomb_is_refused_from_its_directory_without_extracting(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED", 10_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "0" * 50_000)  # inflates 50 kB from ~100 bytes
    monkeypatch.setattr(
        zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("the archive was extracted")
    )
    message = refusal(upload("don.docx", buffer.getvalue()))
    assert "lớn bất thường" in message


def test_an_oversized_file_is_refused_with_its_size_and_the_limit():
    file = upload("ho-so-day.pdf", MINIMAL_PDF)
    file.size = 12 * 1024 * 1024 + 300 * 1024
    message = refusal(file)
    assert message == (
        "Tệp “ho-so-day.pdf” có dung lượng 12,3 MB, vượt quá giới hạn 10 MB cho mỗi tệp."
    )


def test_a_file_of_exactly_the_limit_is_accepted_and_one_byte_more_is_not():
    content = MINIMAL_PDF + b"\n" * (uploads.MAX_UPLOAD_SIZE - len(MINIMAL_PDF))
    file = upload("vua-du.pdf", content)
    validate_upload(file)
    assert file.size == uploads.MAX_UPLOAD_SIZE
    assert file.checked_content_type == "application/pdf"
    assert "vượt quá giới hạn 10 MB" in refusal(upload("qua-mot-byte.pdf", content + b"\n"))


def test_an_empty_file_is_refused():
    assert refusal(upload("trong.pdf", b"")) == "Tệp “trong.pdf” rỗng, không có nội dung."


def test_an_overlong_name_is_shortened_and_keeps_its_extension():
    name = "Đơn kiến nghị về đường giao thông nội đồng " * 6 + ".pdf"
    file = upload(name, MINIMAL_PDF)
    validate_upload(file)
    assert file.name.endswith(".pdf")
    assert len(file.name.encode()) <= uploads.MAX_NAME_BYTES
    assert file.name.startswith("Đơn kiến nghị")


class AttachmentsForm(forms.Form):
    files = MultipleFileField(required=False)


def bound(*files) -> AttachmentsForm:
    return AttachmentsForm(data={}, files=MultiValueDict({"files": list(files)}))


def test_the_multiple_file_field_cleans_to_a_list_of_checked_files():
    form = bound(upload("a.pdf", MINIMAL_PDF), upload("b.png", image_bytes("PNG")))
    assert form.is_valid(), form.errors
    assert [f.checked_content_type for f in form.cleaned_data["files"]] == [
        "application/pdf",
        "image/png",
    ]


def test_the_multiple_file_field_is_an_empty_list_when_nothing_is_chosen():
    form = AttachmentsForm(data={}, files=MultiValueDict())
    assert form.is_valid()
    assert form.cleaned_data["files"] == []


def test_the_multiple_file_field_renders_a_multiple_chooser_limited_to_accepted_types():
    html = str(AttachmentsForm()["files"])
    assert "multiple" in html
    assert ".pdf" in html and ".docx" in html and ".exe" not in html


def test_every_refused_file_is_named_not_only_the_first():
    form = bound(
        upload("mot.pdf", EXE), upload("hai.png", image_bytes("PNG")), upload("ba.doc", EXE)
    )
    assert not form.is_valid()
    errors = " ".join(form.errors["files"])
    assert "“mot.pdf”" in errors and "“ba.doc”" in errors and "hai.png" not in errors


def test_at_most_five_files_per_form():
    form = bound(*[upload(f"tep-{n}.pdf", MINIMAL_PDF) for n in range(6)])
    assert not form.is_valid()
    assert form.errors["files"] == ["Chỉ được đính kèm tối đa 5 tệp mỗi lần (đã chọn 6 tệp)."]
