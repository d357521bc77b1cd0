import subprocess
import unicodedata
from pathlib import Path

import pytest

from doluong_dialogue.models import SiteConfiguration


@pytest.fixture
def signer(db) -> SiteConfiguration:
    site = SiteConfiguration.load()
    site.secretary_name = "Nguyễn Văn Bí"
    site.save()
    return site


def pdf_text(content: bytes, tmp_path: Path, *options: str) -> str:
    target = tmp_path / "document.pdf"
    target.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", *options, str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    return unicodedata.normalize("NFC", text)


def flowing(text: str) -> str:
    """Every run of white space made one space, so that wrapped lines read on."""
    return " ".join(text.split())


@pytest.fixture
def notice(staff, office, secretary, clock, department, django_capture_on_commit_callbacks):
    """A signed conclusion notice's record, rendered and signed by the documents worker."""
    from conclusions import effects, services
    from tests.conclusions.helpers import submitted

    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    record = effects.notice_record(conclusion)
    assert record.status == "ready" and record.verification_code
    return record


def stored_bytes(record) -> bytes:
    with record.file.open("rb") as stored:
        return stored.read()
