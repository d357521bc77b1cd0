"""The signed conclusion notice carries a real PAdES signature: pyHanko and poppler's pdfsig
both find it valid, it is drawn on the last page, and one changed byte breaks it."""

import multiprocessing
import subprocess
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings

from doluong_dialogue import documents as d
from doluong_dialogue.documents import checks, renders, signing
from tests.documents.conftest import flowing, pdf_text, stored_bytes

pytestmark = pytest.mark.django_db


def pdfsig(content: bytes, tmp_path: Path) -> str:
    target = tmp_path / "signed.pdf"
    target.write_bytes(content)
    result = subprocess.run(["pdfsig", str(target)], capture_output=True, text=True)
    return result.stdout + result.stderr


def altered(content: bytes) -> bytes:
    """One byte changed inside the signed range: in the first page's content stream."""
    at = content.index(b"stream\n") + 40
    assert at < content.index(b"/ByteRange")
    changed = bytearray(content)
    changed[at] ^= 0x01
    return bytes(changed)


def test_the_signed_notice_validates_against_the_test_authority(notice):
    check = signing.validate(stored_bytes(notice))
    assert check.valid and check.intact and check.trusted
    assert check.signer == "ĐẢNG ỦY XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)"
    assert check.message.startswith("Chữ ký số hợp lệ")
    assert notice.signed_by == "ĐẢNG ỦY XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)"
    assert notice.signed_at is not None and notice.reference == "Số 01-TB/ĐU"


def test_the_signature_is_pades_with_the_chain(notice):
    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(notice.file.open("rb")).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    names = {cert.subject.native["common_name"] for cert in signature.other_embedded_certs}
    assert signing.TEST_CA_NAME in names


def test_pdfsig_reports_the_signature_valid(notice, tmp_path):
    report = pdfsig(stored_bytes(notice), tmp_path)
    assert "Signature is Valid" in report, report
    assert "ĐẢNG ỦY XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)" in report
    assert "Total document signed" in report


def test_one_changed_byte_breaks_the_signature(notice, tmp_path):
    content = altered(stored_bytes(notice))
    check = signing.validate(content)
    assert not check.valid and not check.intact
    assert "đã bị thay đổi" in check.message
    report = pdfsig(content, tmp_path)
    assert "Signature is Valid" not in report, report
    assert "Digest Mismatch" in report, report


def test_the_signature_and_the_code_are_on_the_last_page(notice, tmp_path):
    content = stored_bytes(notice)
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(notice.file.open("rb"))
    field = reader.embedded_signatures[0].sig_field
    last_page = reader.root["/Pages"]["/Kids"][-1]
    assert field["/P"].get_object() == last_page.get_object()
    left, bottom, right, top = (float(v) for v in field["/Rect"])
    assert right - left > 150 and top - bottom > 50  # visible, not a zero-size field
    text = flowing(pdf_text(content, tmp_path))
    assert f"Mã xác thực: {notice.verification_code_display}" in text
    assert "Ký số bởi: ĐẢNG ỦY XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)" in text
    assert "THỬ NGHIỆM, không có giá trị pháp lý" in text


def test_a_document_without_a_signature_or_not_a_pdf_is_not_valid(signer):
    plain = d.render_pdf(d.PartyDocument(code="TB", title="Thử", day=date(2026, 2, 5)))
    assert signing.validate(plain).message == "Tệp không có chữ ký số."
    assert not signing.validate(b"%PDF-1.7 damaged").valid


def test_a_certificate_of_another_authority_is_not_trusted(notice, tmp_path):
    """The same bytes checked by a server that trusts another CA: intact, but not trusted."""
    content = stored_bytes(notice)
    with override_settings(SIGNING_TEST_DIR=tmp_path / "other"):
        check = signing.validate(content)
    assert check.intact and not check.trusted and not check.valid


def _ca_made_in(folder: str) -> bytes:
    return signing.test_certificate_files(Path(folder))[1].read_bytes()


def test_two_processes_starting_together_make_one_authority(tmp_path):
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        made = list(pool.map(_ca_made_in, [str(tmp_path)] * 2))
    assert made[0] == made[1] == (tmp_path / signing.TEST_CA_FILE).read_bytes()
    _p12, ca = signing.test_certificate_files(tmp_path)
    assert ca.read_bytes() == made[0]
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [".lock", "ca-key.pem", "ca.pem", "signer.p12"]


def test_a_configured_pkcs12_certificate_signs(tmp_path, signer):
    """Production's PKCS#12: here the test authority's own file, named by the settings."""
    p12, _ca = signing.test_certificate_files(tmp_path / "issued")
    with override_settings(
        SIGNING_PKCS12_FILE=str(p12), SIGNING_PKCS12_PASSWORD="", SIGNING_TEST_DIR=tmp_path / "x"
    ):
        assert not signing.uses_test_certificate()
        plain = d.render_pdf(d.PartyDocument(code="TB", title="Thử", day=date(2026, 2, 5)))
        content = signing.sign_pdf(plain, field_name="Ky", reason="Thử", location="Đô Lương")
        check = signing.validate(content)
    assert check.valid  # the root of the file's own chain is trusted
    assert not (tmp_path / "x").exists()  # no test authority was made


def test_deploy_check_warns_when_production_would_sign_with_the_test_certificate():
    with override_settings(DEBUG=False, SIGNING_ALLOW_TEST_CERTIFICATE=False):
        assert [w.id for w in checks.signing_certificate(None)] == ["documents.W001"]
        with override_settings(SIGNING_PKCS12_FILE="/etc/doluong/ky-so.p12"):
            assert checks.signing_certificate(None) == []
    with override_settings(DEBUG=False, SIGNING_ALLOW_TEST_CERTIFICATE=True):
        assert checks.signing_certificate(None) == []


def test_codes_are_read_whatever_their_case_dashes_and_spaces():
    code = renders.new_verification_code()
    grouped = "-".join(code[i : i + 4] for i in range(0, 10, 4))
    assert renders.normalize_code(grouped.lower()) == code
    assert renders.normalize_code(f" {code[:5]} {code[5:]} ") == code
    assert renders.normalize_code("OIL0000000") == "0110000000"
    assert renders.normalize_code("12345") is None
    assert renders.normalize_code("ÀÀÀÀÀÀÀÀÀÀ") is None
