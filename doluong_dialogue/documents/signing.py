"""The digital signature of signed documents: PAdES (pyHanko) with the issuing body's certificate.

The issuing body is the deployment's own (the Party committee) or an organisation that
issues its own documents (the Fatherland Front, a mass organisation: sessions/organisers.py),
named by a SigningBody (Issuer.signing_body). Each signs with its own certificate, never
another body's.

Production names the certificates by environment (see settings.py and README.md). The
committee's: a PKCS#12 file (SIGNING_PKCS12_FILE, SIGNING_PKCS12_PASSWORD) or a key on a
PKCS#11 token (SIGNING_PKCS11_MODULE, SIGNING_PKCS11_TOKEN, SIGNING_PKCS11_KEY_LABEL,
SIGNING_PKCS11_PIN; needs the python-pkcs11 package). An organisation's: the PKCS#12 file
`<code>.p12` ("MTTQ.p12") in the folder SIGNING_ORGANISATIONS_DIR, opened with
SIGNING_ORGANISATIONS_PASSWORD. With none configured, a test certificate authority
("… — CA THỬ NGHIỆM") issues on first use, under SIGNING_TEST_DIR, the committee's certificate
"ĐẢNG ỦY XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)" and each organisation's ("ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG
(THỬ NGHIỆM)"), so that a demonstration signs for real and says plainly that its certificates
are test ones. Where the committee's certificate is configured, an organisation without its
own is refused (CertificateMissing): its notice waits, unsigned, for its certificate.

    signed = signing.sign_pdf(pdf, field_name="ChuKySo", reason="…", location="Đô Lương",
                              body=doc.issuer.signing_body)
    check = signing.validate(signed)     # check.valid, check.message (Vietnamese), …

A signature is valid when the signed bytes are intact, the signer's certificate chains up to
a trusted root (the test CA, the root of the configured PKCS#12's chain, or the certificates
in SIGNING_TRUST_ROOTS_FILE), and nothing was added to the file after signing.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TEST_CA_NAME = "Đảng ủy xã Đô Lương — CA THỬ NGHIỆM"
TEST_MARK = "(THỬ NGHIỆM)"
TEST_SIGNER_NAME = f"ĐẢNG ỦY XÃ ĐÔ LƯƠNG {TEST_MARK}"
TEST_ORGANIZATION = "Đảng ủy xã Đô Lương"
TEST_SIGNER_FILE = "signer.p12"
TEST_CA_FILE = "ca.pem"
TEST_CA_KEY_FILE = "ca-key.pem"
TEST_ORGANISATIONS_FOLDER = "organisations"
# Fixed dates, so that a test CA made today also validates documents dated in the past.
TEST_VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
TEST_VALID_UNTIL = datetime(2045, 12, 31, tzinfo=UTC)
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


class SigningUnavailable(ImproperlyConfigured):
    """The configured certificate cannot be used (missing file, wrong password, no token)."""


class CertificateMissing(SigningUnavailable):
    """An organisation has no certificate of its own where the committee's is configured.

    Its document is not signed with another body's certificate: signing is refused until
    the administrator adds the organisation's file. `str()` is the message for the page."""


@dataclass(frozen=True)
class SigningBody:
    """Whose certificate signs. `code` "" is the deployment's own body (the Party committee);
    an organisation's `code` names its file ("MTTQ": SIGNING_ORGANISATIONS_DIR/MTTQ.p12) and
    `name` is how it is named, in capitals ("ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG"), as its test
    certificate says."""

    code: str = ""
    name: str = ""

    @property
    def is_organisation(self) -> bool:
        return bool(self.code)


COMMITTEE = SigningBody()


def uses_test_certificate(body: SigningBody = COMMITTEE) -> bool:
    """Whether `body` signs with a certificate of the generated test authority."""
    committee_test = not (settings.SIGNING_PKCS12_FILE or settings.SIGNING_PKCS11_MODULE)
    if not body.is_organisation:
        return committee_test
    return committee_test and organisation_certificate_file(body) is None


def is_test_signer(name: str) -> bool:
    """Whether a signer's name (a certificate's common name) is one the test authority gave."""
    return name.endswith(TEST_MARK)


def organisation_certificate_file(body: SigningBody) -> Path | None:
    """The organisation's configured PKCS#12 file, when there is one."""
    if not (settings.SIGNING_ORGANISATIONS_DIR and body.is_organisation):
        return None
    path = Path(settings.SIGNING_ORGANISATIONS_DIR) / f"{body.code}.p12"
    return path if path.is_file() else None


def ensure_certificate(body: SigningBody = COMMITTEE) -> None:
    """Raise CertificateMissing when `body` has no certificate to sign with.

    The committee always has one (its configured one, or the test authority's). An
    organisation has its own file, or, where nothing is configured for the committee either,
    the test authority's; never the committee's certificate.
    """
    if not body.is_organisation or organisation_certificate_file(body) is not None:
        return
    if uses_test_certificate():
        return
    logger.warning(
        "No signing certificate for %s: %s.p12 is missing in SIGNING_ORGANISATIONS_DIR",
        body.name,
        body.code,
    )
    raise CertificateMissing(
        _(
            "%(body)s has no digital certificate of its own on the server, and its documents "
            "are never signed with the Party committee's certificate. Ask the administrator "
            "to install the organisation's certificate (file %(file)s), then sign again."
        )
        % {"body": body.name, "file": f"{body.code}.p12"}
    )


# --- The test certificate authority ---------------------------------------------------------


def _write_atomically(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _name(common_name: str, organization: str = TEST_ORGANIZATION):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, sign_documents: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=sign_documents,
        content_commitment=sign_documents,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign_documents,
        crl_sign=not sign_documents,
        encipher_only=False,
        decipher_only=False,
    )


def _make_authority():
    """A new test CA: (its private key, its certificate)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(TEST_CA_NAME))
        .issuer_name(_name(TEST_CA_NAME))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(TEST_VALID_FROM)
        .not_valid_after(TEST_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_documents=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    return ca_key, ca


def _issue(ca_key, ca, common_name: str, organization: str = TEST_ORGANIZATION) -> bytes:
    """A signer's key and certificate issued by the test CA, with its chain, in PKCS#12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(TEST_VALID_FROM)
        .not_valid_after(TEST_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign_documents=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, signer, [ca], serialization.NoEncryption()
    )


def _pem(certificate) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return certificate.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@contextlib.contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the test folder, across processes."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def test_certificate_files(folder: Path | None = None) -> tuple[Path, Path]:
    """(the committee's PKCS#12, the CA's PEM) under SIGNING_TEST_DIR, made on first use.

    Made under an exclusive lock on the folder and written by rename, CA first, so that two
    processes starting together end with one CA and a signer issued by it. The CA's key is
    kept beside them (ca-key.pem), for the organisations' certificates issued later.
    """
    folder = Path(folder or settings.SIGNING_TEST_DIR)
    signer_file, ca_file = folder / TEST_SIGNER_FILE, folder / TEST_CA_FILE
    if signer_file.exists() and ca_file.exists():
        return signer_file, ca_file
    with _folder_locked(folder):
        if not (signer_file.exists() and ca_file.exists()):
            ca_key, ca = _make_authority()
            _write_atomically(folder / TEST_CA_KEY_FILE, _key_pem(ca_key))
            _write_atomically(ca_file, _pem(ca))
            _write_atomically(signer_file, _issue(ca_key, ca, TEST_SIGNER_NAME))
            logger.warning("Made a test certificate authority for signing in %s", folder)
    return signer_file, ca_file


def _test_authority(folder: Path):
    """The test CA's key and certificate, under the folder's lock. A folder made before the
    CA's key was kept gets a second CA (same name, its own key), added to ca.pem: what the
    first one signed stays trusted."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key_file, ca_file = folder / TEST_CA_KEY_FILE, folder / TEST_CA_FILE
    if key_file.exists():
        ca_key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        public = ca_key.public_key().public_numbers()
        for ca in x509.load_pem_x509_certificates(ca_file.read_bytes()):
            if ca.public_key().public_numbers() == public:
                return ca_key, ca
    ca_key, ca = _make_authority()
    _write_atomically(key_file, _key_pem(ca_key))
    _write_atomically(ca_file, ca_file.read_bytes() + _pem(ca))
    logger.warning("Added a test certificate authority with its key in %s", folder)
    return ca_key, ca


def test_organisation_certificate(body: SigningBody, folder: Path | None = None) -> Path:
    """The organisation's test PKCS#12 ("ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)"),
    issued by the test CA under SIGNING_TEST_DIR on first use."""
    folder = Path(folder or settings.SIGNING_TEST_DIR)
    test_certificate_files(folder)
    target = folder / TEST_ORGANISATIONS_FOLDER / f"{body.code}.p12"
    if target.exists():
        return target
    with _folder_locked(folder):
        if not target.exists():
            ca_key, ca = _test_authority(folder)
            target.parent.mkdir(exist_ok=True)
            bundle = _issue(ca_key, ca, f"{body.name} {TEST_MARK}", body.name)
            _write_atomically(target, bundle)
            logger.warning("Made a test signing certificate for %s in %s", body.name, target)
    return target


# --- The signer -----------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _pkcs12_signer(path: str, password: str, modified: float):
    from pyhanko.sign import signers

    try:
        return signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    except OSError as exc:
        raise SigningUnavailable(f"Cannot read the signing certificate {path}: {exc}") from exc


def _load_pkcs12(path: Path, password: str):
    try:
        modified = path.stat().st_mtime
    except OSError as exc:
        raise SigningUnavailable(f"Cannot read the signing certificate {path}: {exc}") from exc
    signer = _pkcs12_signer(str(path), password, modified)
    if signer is None:  # pyHanko logs the reason (a wrong password, a damaged file)
        raise SigningUnavailable(f"Cannot open the signing certificate {path}.")
    return signer


@contextlib.contextmanager
def current_signer(body: SigningBody = COMMITTEE) -> Iterator:
    """The pyHanko signer of `body`'s certificate, for the time of one signature (a PKCS#11
    session is opened for it and closed after). Raises CertificateMissing for an
    organisation that has none (ensure_certificate)."""
    if body.is_organisation:
        ensure_certificate(body)
        configured = organisation_certificate_file(body)
        if configured is not None:
            yield _load_pkcs12(configured, settings.SIGNING_ORGANISATIONS_PASSWORD)
        else:
            yield _load_pkcs12(test_organisation_certificate(body), "")
        return
    if settings.SIGNING_PKCS11_MODULE:
        try:
            from pyhanko.sign import pkcs11
        except ImportError as exc:  # pragma: no cover - depends on the deployment
            raise SigningUnavailable("PKCS#11 signing needs the python-pkcs11 package.") from exc
        session = pkcs11.open_pkcs11_session(
            settings.SIGNING_PKCS11_MODULE,
            token_label=settings.SIGNING_PKCS11_TOKEN or None,
            user_pin=settings.SIGNING_PKCS11_PIN or None,
        )
        try:
            label = settings.SIGNING_PKCS11_KEY_LABEL or None
            yield pkcs11.PKCS11Signer(session, key_label=label, cert_label=label)
        finally:
            session.close()
        return
    if settings.SIGNING_PKCS12_FILE:
        yield _load_pkcs12(Path(settings.SIGNING_PKCS12_FILE), settings.SIGNING_PKCS12_PASSWORD)
        return
    signer_file, _ca = test_certificate_files()
    yield _load_pkcs12(signer_file, "")


def _load_pem_certificates(path: Path) -> list:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    data = path.read_bytes()
    if not pem.detect(data):
        return [asn1_x509.Certificate.load(data)]
    return [asn1_x509.Certificate.load(der) for _kind, _headers, der in pem.unarmor(data, True)]


def trust_roots() -> list:
    """The certificates a signature must chain up to (asn1crypto Certificates)."""
    roots = []
    if settings.SIGNING_TRUST_ROOTS_FILE:
        roots += _load_pem_certificates(Path(settings.SIGNING_TRUST_ROOTS_FILE))
    if uses_test_certificate():
        roots += _load_pem_certificates(test_certificate_files()[1])
    elif settings.SIGNING_PKCS12_FILE:
        signer = _load_pkcs12(Path(settings.SIGNING_PKCS12_FILE), settings.SIGNING_PKCS12_PASSWORD)
        roots += [cert for cert in signer.cert_registry if cert.self_signed]
    if settings.SIGNING_ORGANISATIONS_DIR:
        for path in sorted(Path(settings.SIGNING_ORGANISATIONS_DIR).glob("*.p12")):
            try:  # one damaged file must not stop the others' signatures from validating
                signer = _load_pkcs12(path, settings.SIGNING_ORGANISATIONS_PASSWORD)
            except SigningUnavailable:
                logger.warning("Cannot read the signing certificate %s", path, exc_info=True)
                continue
            roots += [cert for cert in signer.cert_registry if cert.self_signed]
    return roots


def signer_name(certificate) -> str:
    """The common name of an asn1crypto certificate's subject ("ĐẢNG ỦY XÃ ĐÔ LƯƠNG …")."""
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


def local_time(moment: datetime) -> str:
    """ "09:05 ngày 05/02/2026", in the commune's time."""
    local = moment.astimezone(LOCAL_TIME)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _outside_any_event_loop(function, *args, **kwargs):
    """Call `function` where no asyncio loop runs: pyHanko's blocking calls start their own
    with asyncio.run(), which refuses to run inside a running loop (an ASGI server's thread, a
    test driving a browser through Playwright's synchronous API). There, a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


# --- Signing --------------------------------------------------------------------------------

# The visible signature's box on the page (signed_document.html reserves it and draws in it
# "Ký số bởi …, Thời gian …" with the document's own fonts; the signature field lies on it).
# pyHanko's own text stamp is not used: its embedded TrueType fonts carry widths unscaled
# from 2048 units per em, which readers space out letter by letter.
STAMP_WIDTH_MM = 76
STAMP_HEIGHT_MM = 22


def signer_display_name(body: SigningBody = COMMITTEE) -> str:
    """The common name on `body`'s certificate, as the stamp prints it."""
    with current_signer(body) as signer:
        return signer_name(signer.signing_cert)


def sign_pdf(
    pdf_bytes: bytes,
    *,
    field_name: str,
    reason: str,
    location: str,
    box: tuple[float, float, float, float] | None = None,
    page: int = -1,
    body: SigningBody = COMMITTEE,
) -> bytes:
    """The PDF with a PAdES signature (B-B: the signing certificate and its chain embedded)
    by `body`'s certificate (the committee's by default),
    its field on `page` (the last by default) over `box` (x1, y1, x2, y2 in points), where
    the page shows the signature's text; a reader opens the signature's details there.
    Without a box, the field is invisible.

    An archival (PDF/A) file stays one after signing: the field's appearance is the empty
    one pyHanko gives a new field (no unembedded font), and the document information names
    the same producer as the XMP metadata (see _agree_on_the_producer).
    """
    from pyhanko import stamp
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    _agree_on_the_producer(writer)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    # The page itself shows the signature's text; the field keeps its empty appearance.
    keep_appearance = stamp.NoOpStampStyle()
    with current_signer(body) as signer:
        pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=keep_appearance)
        return _outside_any_event_loop(pdf_signer.sign_pdf, writer).getvalue()


def _agree_on_the_producer(writer) -> None:
    """Drop the document information's producer before pyHanko writes its own.

    pyHanko appends itself to that entry ("WeasyPrint 70.0; pyHanko 0.38.0") but writes only
    itself to the XMP metadata's pdf:Producer; PDF/A (ISO 19005-2, 6.6.2.3.1) wants the two
    equal. Without the entry, pyHanko writes the same name to both.
    """
    from pyhanko.pdf_utils import generic

    try:
        info = writer.trailer["/Info"]
    except KeyError:
        return
    if isinstance(info, generic.DictionaryObject) and "/Producer" in info:
        del info["/Producer"]
        writer.update_container(info)


# --- Validation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Validation:
    """What a PDF's signature says. `valid`: intact, trusted and covering the whole file."""

    valid: bool
    signed: bool = False
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: datetime | None = None
    message: str = ""


def validate(pdf_bytes: bytes) -> Validation:
    """Check the (first) signature of a PDF against the trust roots. Never raises on a bad
    file: a damaged or altered one comes back invalid, with a message for the page."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(BytesIO(pdf_bytes), strict=False).embedded_signatures
    except Exception:
        return Validation(
            valid=False, message=_("The file cannot be read: it is not a PDF, or it is damaged.")
        )
    if not signatures:
        return Validation(valid=False, message=_("The file carries no digital signature."))
    embedded = signatures[0]
    try:
        context = ValidationContext(
            trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail"
        )
        status = _outside_any_event_loop(validate_pdf_signature, embedded, context)
    except Exception:
        logger.info("A signature could not be validated", exc_info=True)
        return Validation(
            valid=False,
            signed=True,
            message=_(
                "The digital signature is not valid: the file was changed or damaged after signing."
            ),
        )
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    name = signer_name(status.signing_cert) if status.signing_cert is not None else ""
    if not intact:
        message = _(
            "The digital signature is not valid: the file's content was changed after signing."
        )
    elif not trusted:
        message = _(
            "The content is intact since signing, but the signer's certificate was not issued "
            "by a trusted authority."
        )
    elif not whole:
        message = _(
            "The digital signature is right, but content was added to the file after signing."
        )
    else:
        message = _(
            "The digital signature is valid: the file is intact since %(name)s signed it."
        ) % {"name": name}
    return Validation(
        valid=intact and trusted and whole,
        signed=True,
        intact=intact,
        trusted=trusted,
        signer=name,
        signed_at=status.signer_reported_dt,
        message=message,
    )
