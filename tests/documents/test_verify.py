"""The public verification page /xac-thuc/: anyone with the code printed on a signed notice
sees what it is and whether its signature holds, and can check a copy byte for byte; a
forged code or an altered file is told so plainly, never with a server error."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from tests.documents.conftest import stored_bytes
from tests.documents.test_signing import altered

pytestmark = pytest.mark.django_db

UNKNOWN = "No signed document has this verification code."
NOT_ORIGINAL = (
    "This file is NOT the signed original: its content differs from the file that was signed."
)


@pytest.fixture(autouse=True)
def _fresh_counters():
    """The lookup limit counts per address and minute, and a test's clock stands still."""
    cache.clear()
    yield
    cache.clear()


def page_of(record) -> str:
    return reverse("verify:document", args=[record.verification_code_display])


def upload(client, record, content: bytes, name="thong-bao.pdf"):
    return client.post(
        page_of(record), {"file": SimpleUploadedFile(name, content, "application/pdf")}
    )


def test_the_code_shows_the_document_and_its_valid_signature_to_anyone(client, notice):
    response = client.get(page_of(notice))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số 01-TB/ĐU" in html and "18/12/2026" in html
    assert "ĐẢNG ỦY XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)" in html
    assert notice.sha256 in html
    assert "Chữ ký số hợp lệ" in html
    assert 'data-testid="signature-status"' in html and "text-bg-success" in html
    assert (
        _(
            "This document was signed with a TEST certificate of a demonstration system. "
            "It has no legal value."
        )
        in html
    )


def test_the_lookup_reads_the_code_whatever_its_case_dashes_and_spaces(client, notice):
    typed = notice.verification_code.lower()
    typed = f" {typed[:3]} {typed[3:7]}-{typed[7:]} "
    response = client.get(reverse("verify:lookup"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == page_of(notice)
    spaced = reverse("verify:document", args=[notice.verification_code.lower()])
    assert client.get(spaced).status_code == 200


def test_a_forged_code_is_a_clear_not_found(client, notice):
    forged = "7KQ2M9XD4T" if notice.verification_code != "7KQ2M9XD4T" else "7KQ2M9XD4V"
    for response in (
        client.get(reverse("verify:document", args=[forged])),
        client.get(reverse("verify:lookup"), {"code": forged}),
        client.get(reverse("verify:document", args=["<script>"])),
    ):
        assert response.status_code == 404
        assert _(UNKNOWN) in response.content.decode()
    malformed = client.get(reverse("verify:lookup"), {"code": "12-34"})
    assert malformed.status_code == 200
    assert _("A verification code has 10 letters and digits, e.g. 7KQ2-M9XD-4T.") in (
        malformed.content.decode()
    )


def test_the_signed_original_is_recognised_byte_for_byte(client, notice):
    response = upload(client, notice, stored_bytes(notice))
    assert response.status_code == 200
    assert _("This file is the signed original (identical byte for byte).") in (
        response.content.decode()
    )


def test_a_copy_with_one_byte_changed_is_not_the_original(client, notice):
    response = upload(client, notice, altered(stored_bytes(notice)))
    html = response.content.decode()
    assert response.status_code == 200
    assert _("This file is the signed original (identical byte for byte).") not in html
    assert _(NOT_ORIGINAL) in html
    assert "Chữ ký số không hợp lệ: nội dung tệp đã bị thay đổi sau khi ký." in html


def test_a_file_that_is_not_a_pdf_is_refused_by_the_form(client, notice):
    response = upload(client, notice, b"GIF89a not a pdf", name="anh.pdf")
    html = response.content.decode()
    assert response.status_code == 200
    assert _("This is not a PDF file.") in html
    assert 'data-testid="comparison"' not in html


def test_a_file_over_the_limit_is_refused(client, notice, monkeypatch):
    from doluong_dialogue.documents import verify

    monkeypatch.setattr(verify, "MAX_UPLOAD", 100)
    response = upload(client, notice, stored_bytes(notice))
    assert _("The file is larger than 20 MB.") in response.content.decode()


def test_lookups_are_limited_per_address(client, notice, settings):
    settings.VERIFY_LOOKUPS_PER_MINUTE = 3
    for _attempt in range(3):
        assert client.get(reverse("verify:lookup"), {"code": "0000000000"}).status_code == 404
    assert client.get(page_of(notice)).status_code == 429
    other = client.get(page_of(notice), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_page_reads_a_bounded_number_of_rows(client, notice, django_assert_max_num_queries):
    client.get(page_of(notice))  # the signature's check is kept a while
    with django_assert_max_num_queries(3):
        assert client.get(page_of(notice)).status_code == 200


def test_the_public_pages_show_no_staff_navigation(client, notice):
    html = client.get(reverse("verify:lookup")).content.decode()
    assert 'id="main-nav"' not in html
    assert reverse("petitions:list") not in html


def test_the_conclusion_page_shows_the_code_and_the_signature_status(client, notice, staff):
    client.force_login(staff)
    html = client.get(reverse("conclusions:detail", args=[notice.object_id])).content.decode()
    assert 'data-testid="notice-signature"' in html
    assert notice.verification_code_display in html
    assert page_of(notice) in html
    assert "text-bg-success" in html
