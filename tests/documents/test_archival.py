"""Stored documents are archival PDFs (PDF/A-2b) and a signed one stays so after signing: its
XMP metadata declares PDF/A-2B, every font is embedded, the colours have an sRGB output
intent, the document information agrees with the XMP metadata, the signature's field draws
nothing with an unembedded font, and the signature is still valid.

veraPDF, the reference PDF/A validator, is a Java program that no registry reachable here
packages (Debian, PyPI, npm); these tests check the rules a signature could break."""

import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from doluong_dialogue import pdf
from doluong_dialogue.documents import signing
from tests.conclusions.test_dossier import run  # noqa: F401
from tests.conclusions.test_dossier import session as dossier_session  # noqa: F401
from tests.documents.conftest import stored_bytes
from tests.documents.test_rendered_pdf import ask, minutes, stored  # noqa: F401

pytestmark = pytest.mark.django_db


def reader(content: bytes) -> PdfFileReader:
    return PdfFileReader(BytesIO(content), strict=False)


def xmp(content: bytes) -> str:
    return reader(content).root["/Metadata"].get_object().data.decode()


def pdfa_identification(content: bytes) -> tuple[str, str]:
    packet = xmp(content)
    part = re.search(r'pdfaid:part(?:="|>)(\d)', packet)
    conformance = re.search(r'pdfaid:conformance(?:="|>)([ABU])', packet)
    assert part and conformance, packet
    return part.group(1), conformance.group(1)


def fonts(content: bytes, tmp_path: Path) -> list[list[str]]:
    target = tmp_path / "archival.pdf"
    target.write_bytes(content)
    listing = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split() for line in listing.splitlines()[2:]]


def assert_archival(content: bytes, tmp_path: Path) -> None:
    assert pdfa_identification(content) == ("2", "B")
    rows = fonts(content, tmp_path)
    assert rows
    for row in rows:  # name type… encoding emb sub uni object ID
        assert row[-5] == "yes", f"font not embedded: {row}"
    intents = reader(content).root["/OutputIntents"]
    assert [intent.get_object()["/S"] for intent in intents] == ["/GTS_PDFA1"]
    assert "/Encrypt" not in reader(content).trailer_view


def test_a_stored_document_is_pdf_a_2b_with_its_fonts_embedded(
    minutes,  # noqa: F811
    django_capture_on_commit_callbacks,
    tmp_path,
):
    with django_capture_on_commit_callbacks(execute=True):
        record = ask()
    assert_archival(stored(record), tmp_path)


def test_the_signed_notice_is_pdf_a_2b_and_its_signature_valid(notice, tmp_path):
    content = stored_bytes(notice)
    assert_archival(content, tmp_path)
    assert signing.validate(content).valid


def test_the_signature_keeps_the_document_information_and_the_xmp_in_agreement(notice):
    content = stored_bytes(notice)
    info = reader(content).trailer_view["/Info"].get_object()
    packet = xmp(content)
    producer = re.search(r'pdf:Producer(?:="|>)([^"<]+)', packet).group(1)
    assert str(info["/Producer"]) == producer
    if "/Title" in info:
        assert str(info["/Title"]) in packet


def test_the_signature_field_is_printed_and_draws_with_no_font(notice):
    document = reader(stored_bytes(notice))
    widgets = [
        annotation.get_object()
        for page in document.root["/Pages"]["/Kids"]
        for annotation in page.get_object().get("/Annots", [])
        if annotation.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    widget = widgets[0]
    flags = int(widget["/F"])
    assert flags & 4  # Print
    assert not flags & (1 | 2 | 32 | 256)  # Invisible, Hidden, NoView, ToggleNoView
    appearance = widget["/AP"]["/N"].get_object()
    assert "/Font" not in appearance.get("/Resources", {})


def test_a_signature_on_a_pdf_a_file_changes_only_an_increment(notice):
    """The signed file is the PDF/A file as rendered, with the signature appended: what the
    archive received before signing is still there, byte for byte."""
    content = stored_bytes(notice)
    signature = reader(content).embedded_signatures[0]
    start, length, *_ = signature.sig_object["/ByteRange"]
    assert start == 0 and length > 0
    assert content.count(b"%%EOF") == 2


def test_the_archival_variant_is_the_one_weasyprint_names():
    from weasyprint.pdf import VARIANTS

    assert pdf.ARCHIVAL in VARIANTS


def test_every_pdf_of_a_session_dossier_is_pdf_a_2b(
    office,
    run,  # noqa: F811
    dossier_session,  # noqa: F811
    tmp_path,
):
    """The dossier (hồ sơ) gathers the session's stored documents (announcement, invitations,
    final minutes) and its own index sheet: all archival files."""
    from conclusions import dossier as dossiers

    record = run(dossiers.dossier_request, session=dossier_session, actor=office)
    record.refresh_from_db()
    with record.file.open("rb") as stored:
        archive = zipfile.ZipFile(BytesIO(stored.read()))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert pdfs[0] == "00-Muc-luc-ho-so.pdf" and len(pdfs) == 5
    for name in pdfs:
        assert_archival(archive.read(name), tmp_path)
