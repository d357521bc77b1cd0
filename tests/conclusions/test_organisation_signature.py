"""An organisation's notice is signed with the organisation's own certificate, never the Party
committee's: in a demonstration the test authority issues one for it on first use; in
production it is the organisation's PKCS#12 in SIGNING_ORGANISATIONS_DIR, and without it
signing is refused. The stamp, the verification page, pyHanko and pdfsig all name the
organisation, and the signed file stays PDF/A-2b."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from conclusions import effects, services
from conclusions.models import Conclusion
from doluong_dialogue.documents import RenderedDocument, signing
from doluong_dialogue.rules import RuleError
from sessions import organisers
from tests.conclusions.test_organisation_notice import concluded, mttq  # noqa: F401
from tests.documents.conftest import flowing, notice, pdf_text, stored_bytes  # noqa: F401
from tests.documents.test_archival import assert_archival
from tests.documents.test_signing import pdfsig

pytestmark = pytest.mark.django_db

FRONT_SIGNER = "ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)"
FRONT_BODY = signing.SigningBody(code="MTTQ", name="ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG")
DAY = date(2026, 12, 18)
FRONT_NAME = "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ ĐÔ LƯƠNG"


def sign(conclusion, actor, capture):
    with capture(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=actor)
    return conclusion, effects.notice_record(conclusion)


@pytest.fixture
def front_notice(mttq, clock, django_capture_on_commit_callbacks):  # noqa: F811
    """The Front's notice, signed and rendered with no certificate configured (the demo)."""
    _conclusion, record = sign(concluded(mttq, clock), mttq, django_capture_on_commit_callbacks)
    assert record.status == RenderedDocument.Status.READY, record.error
    return record


def signing_certificate(content: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(BytesIO(content)).embedded_signatures[0].signer_cert


def test_the_fronts_notice_names_its_own_certificate(mttq, clock):  # noqa: F811
    conclusion = services.conclusion_sign(conclusion=concluded(mttq, clock), actor=mttq)
    assert organisers.signing_body(conclusion.session) == FRONT_BODY
    assert organisers.signing_body(Conclusion.objects.get(pk=conclusion.pk).session).code == "MTTQ"


def test_the_fronts_notice_is_signed_by_the_fronts_test_certificate(front_notice, tmp_path):
    content = stored_bytes(front_notice)
    check = signing.validate(content)
    assert check.valid and check.trusted and check.intact
    assert check.signer == FRONT_SIGNER
    assert front_notice.signed_by == FRONT_SIGNER
    subject = signing_certificate(content).subject.native
    assert subject["common_name"] == FRONT_SIGNER
    assert subject["organization_name"] == "ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG"
    report = pdfsig(content, tmp_path)
    assert "Signature is Valid" in report, report
    assert FRONT_SIGNER in report and "ĐẢNG ỦY" not in report
    assert "Total document signed" in report


def test_the_stamp_on_the_last_page_names_the_front(front_notice, tmp_path):
    content = stored_bytes(front_notice)
    last_page = flowing(pdf_text(content, tmp_path, "-f", "2"))
    assert f"Ký số bởi: {FRONT_SIGNER}" in last_page
    assert "THỬ NGHIỆM, không có giá trị pháp lý" in last_page
    assert "ĐẢNG ỦY XÃ ĐÔ LƯƠNG" not in flowing(pdf_text(content, tmp_path))


def test_the_fronts_signed_notice_is_pdf_a_2b(front_notice, tmp_path):
    content = stored_bytes(front_notice)
    assert_archival(content, tmp_path)
    assert signing.validate(content).valid


def test_the_verification_page_shows_the_front_as_signer(client, front_notice):
    with translation.override("en"):
        response = client.get(
            reverse("verify:document", args=[front_notice.verification_code_display])
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số: 01/TB-MTTQ" in html
    assert "Thông báo kết luận số 01/TB-MTTQ ngày 18/12/2026" in html
    assert FRONT_SIGNER in html and "ĐẢNG ỦY XÃ" not in html
    assert "text-bg-success" in html
    assert "signed with a TEST certificate" in html


def test_the_party_committees_notice_keeps_the_committees_certificate(notice):  # noqa: F811
    assert notice.signed_by == signing.TEST_SIGNER_NAME


def test_each_organisation_gets_its_own_test_certificate_from_the_same_authority(tmp_path):
    front = signing.test_organisation_certificate(FRONT_BODY, tmp_path)
    farmers = signing.SigningBody(code="HND", name="HỘI NÔNG DÂN XÃ ĐÔ LƯƠNG")
    other = signing.test_organisation_certificate(farmers, tmp_path)
    assert (front.name, other.name) == ("MTTQ.p12", "HND.p12")
    assert signing.test_organisation_certificate(FRONT_BODY, tmp_path) == front
    committee, ca = signing.test_certificate_files(tmp_path)
    issuers = {
        signing._load_pkcs12(path, "").signing_cert.issuer.native["common_name"]
        for path in (front, other, committee)
    }
    assert issuers == {signing.TEST_CA_NAME}
    assert ca.read_bytes().count(b"BEGIN CERTIFICATE") == 1


def test_an_authority_made_before_its_key_was_kept_is_joined_by_a_second(tmp_path, settings):
    """A demonstration's var/signing/ from before: its committee certificate keeps signing
    and validating; the organisations' come from a second authority added to ca.pem."""
    from doluong_dialogue import documents as d

    settings.SIGNING_TEST_DIR = tmp_path
    signing.test_certificate_files(tmp_path)
    (tmp_path / signing.TEST_CA_KEY_FILE).unlink()
    plain = d.render_pdf(d.PartyDocument(code="TB", title="Thử", day=DAY))
    by_committee = signing.sign_pdf(plain, field_name="Ky", reason="Thử", location="Đô Lương")
    by_front = signing.sign_pdf(
        plain, field_name="Ky", reason="Thử", location="Đô Lương", body=FRONT_BODY
    )
    assert (tmp_path / signing.TEST_CA_FILE).read_bytes().count(b"BEGIN CERTIFICATE") == 2
    assert signing.validate(by_committee).valid
    assert signing.validate(by_front).valid
    assert signing.validate(by_front).signer == FRONT_SIGNER


# --- Production -------------------------------------------------------------------------------


def production_certificate(target: Path, common_name: str, password: str = "") -> Path:
    """A PKCS#12 as a certificate authority hands it over: its own chain, a password."""
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        NoEncryption,
        pkcs12,
    )

    ca_key, ca = signing._make_authority()
    key, certificate, chain = pkcs12.load_key_and_certificates(
        signing._issue(ca_key, ca, common_name, common_name), None
    )
    encryption = BestAvailableEncryption(password.encode()) if password else NoEncryption()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(
        pkcs12.serialize_key_and_certificates(b"ky-so", key, certificate, chain, encryption)
    )
    return target


@pytest.fixture
def committee_configured(tmp_path):
    """Production: the Party committee's own certificate is configured, no test authority."""
    committee = production_certificate(tmp_path / "etc" / "ky-so.p12", "ĐẢNG ỦY XÃ ĐÔ LƯƠNG")
    with override_settings(
        SIGNING_PKCS12_FILE=str(committee),
        SIGNING_PKCS12_PASSWORD="",
        SIGNING_TEST_DIR=tmp_path / "no-test-authority",
        SIGNING_ORGANISATIONS_DIR=str(tmp_path / "organisations"),
        SIGNING_ORGANISATIONS_PASSWORD="mat-khau-to-chuc",
    ):
        (tmp_path / "organisations").mkdir()
        yield tmp_path / "organisations"
    assert not (tmp_path / "no-test-authority").exists()


def test_without_its_own_certificate_the_fronts_notice_is_refused_not_signed_by_the_committee(
    mttq,  # noqa: F811
    clock,
    committee_configured,
    django_capture_on_commit_callbacks,
):
    conclusion = concluded(mttq, clock)
    with translation.override("en"), pytest.raises(RuleError) as refused:
        sign(conclusion, mttq, django_capture_on_commit_callbacks)
    message = str(refused.value)
    assert "has no digital certificate of its own" in message
    assert "never signed with the Party committee's certificate" in message
    assert "MTTQ.p12" in message and "ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG" in message
    conclusion = Conclusion.objects.select_related("session").get(pk=conclusion.pk)
    assert conclusion.status == Conclusion.Status.SUBMITTED
    assert conclusion.number is None and conclusion.session.status == "held"
    assert effects.notice_record(conclusion) is None


def test_the_signature_itself_refuses_an_organisation_without_its_certificate(
    committee_configured,
):
    """Also where the notice was numbered before the certificate went away: the worker's
    render fails with the message and is tried again later, it never falls back."""
    from doluong_dialogue import documents as d

    plain = d.render_pdf(d.PartyDocument(code="TB", title="Thử", day=DAY))
    with pytest.raises(signing.CertificateMissing):
        signing.sign_pdf(plain, field_name="Ky", reason="Thử", location="Đô Lương", body=FRONT_BODY)
    with pytest.raises(signing.CertificateMissing):
        signing.signer_display_name(FRONT_BODY)
    assert not signing.uses_test_certificate(FRONT_BODY)
    assert signing.validate(
        signing.sign_pdf(plain, field_name="Ky", reason="Thử", location="Đô Lương")
    ).valid


def test_the_fronts_configured_certificate_signs_its_notice(
    mttq,  # noqa: F811
    clock,
    committee_configured,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    production_certificate(
        committee_configured / "MTTQ.p12", FRONT_NAME, password="mat-khau-to-chuc"
    )
    _conclusion, record = sign(concluded(mttq, clock), mttq, django_capture_on_commit_callbacks)
    assert record.status == RenderedDocument.Status.READY, record.error
    content = stored_bytes(record)
    check = signing.validate(content)
    assert check.valid, check.message  # the root of the organisation's own chain is trusted
    assert record.signed_by == check.signer == FRONT_NAME
    text = flowing(pdf_text(content, tmp_path))
    assert f"Ký số bởi: {FRONT_NAME}" in text and "THỬ NGHIỆM" not in text
    assert "Signature is Valid" in pdfsig(content, tmp_path)
    assert_archival(content, tmp_path)


def test_deploy_check_warns_when_the_organisations_folder_is_missing(tmp_path):
    from doluong_dialogue.documents import checks

    with override_settings(SIGNING_ORGANISATIONS_DIR=str(tmp_path / "missing")):
        assert [w.id for w in checks.organisation_certificates(None)] == ["documents.W002"]
    with override_settings(SIGNING_ORGANISATIONS_DIR=str(tmp_path)):
        assert checks.organisation_certificates(None) == []


def test_the_fronts_staff_read_why_their_notice_was_not_signed(
    client,
    mttq,  # noqa: F811
    clock,
    committee_configured,
):
    conclusion = concluded(mttq, clock)
    client.force_login(mttq)
    response = client.post(reverse("conclusions:sign", args=[conclusion.pk]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "MTTQ.p12" in html and "alert-danger" in html
    conclusion.refresh_from_db()
    assert conclusion.status == Conclusion.Status.SUBMITTED
