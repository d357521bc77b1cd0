"""Shared files in an S3-compatible object store (a real moto server on 127.0.0.1): uploads,
rendered and signed PDFs and dossiers are written to the bucket and come back byte for byte
through the app's permission-checked views; nothing is public, nothing is on the local disk."""

import hashlib
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conclusions import dossier as dossiers
from conclusions import effects, services
from doluong_dialogue.documents import signing
from petitions.models import Petition
from sessions import documents as session_documents
from sessions import services as session_services
from tests.conclusions.helpers import SESSION_DAY
from tests.petitions.helpers import assigned
from tests.petitions.test_intake import form_data
from tests.petitions.test_uploads import pdf_bytes
from tests.sessions.helpers import planned

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def stored_under(bucket, prefix: str) -> dict[str, bytes]:
    return {key: content for key, content in bucket.objects().items() if key.startswith(prefix)}


def test_the_storage_is_the_bucket(s3_storage):
    from django.core.files.storage import default_storage

    assert default_storage.bucket_name == s3_storage.name
    assert type(default_storage._wrapped).__name__ == "S3Storage"


def test_an_uploaded_attachment_goes_to_the_bucket_and_back_through_its_view(
    client, staff, s3_storage, settings
):
    client.force_login(staff)
    upload = SimpleUploadedFile("Đơn đề nghị.pdf", pdf_bytes())
    assert client.post(reverse("petitions:new"), form_data(attachments=upload)).status_code == 302
    attachment = Petition.objects.get().attachments.get()

    assert stored_under(s3_storage, "petitions/") == {attachment.file.name: pdf_bytes()}
    assert s3_storage.public_grants(attachment.file.name) == []
    response = client.get(reverse("petitions:attachment", args=[attachment.pk]))
    assert downloaded(response) == pdf_bytes()
    assert response["Content-Length"] == str(len(pdf_bytes()))
    assert response["Content-Disposition"].startswith("attachment;")
    # Nothing was written to the local disk.
    assert not (settings.MEDIA_ROOT / attachment.file.name).exists()


def test_a_file_gone_from_the_bucket_is_not_found(client, staff, s3_storage):
    client.force_login(staff)
    upload = SimpleUploadedFile("Đơn.pdf", pdf_bytes())
    client.post(reverse("petitions:new"), form_data(attachments=upload))
    attachment = Petition.objects.get().attachments.get()
    s3_storage.server.client().delete_object(Bucket=s3_storage.name, Key=attachment.file.name)
    assert client.get(reverse("petitions:attachment", args=[attachment.pk])).status_code == 404


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """A service and the renders and builds it leaves for after commit, run inline."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def concluded(staff, office, secretary, clock, department, run):
    """A session held on 18/12/2026 with a document kept with it, its final minutes and the
    signed conclusion notice, every file in the bucket."""
    clock.set(date(2026, 11, 25))
    petition, _ = assigned(staff, department)
    session = planned(staff, held_on=SESSION_DAY)
    session_services.agenda_add(session=session, petitions=[petition], actor=staff)
    run(session_services.session_announce, session=session, actor=office)
    clock.set(SESSION_DAY)
    run(session_services.session_hold, session=session, actor=office)
    minutes = session_services.minutes_draw_up(
        session=session, actor=office, recorder_name="Trần Thị Lài"
    )
    run(session_services.minutes_finalise, minutes=minutes, actor=office)
    conclusion = services.conclusion_draft(session=session, actor=staff)
    conclusion = services.conclusion_submit(conclusion=conclusion, actor=staff)
    conclusion = run(services.conclusion_sign, conclusion=conclusion, actor=secretary)
    session.refresh_from_db()
    return session, minutes, conclusion


def test_a_session_document_goes_to_the_bucket_and_back(client, office, concluded, s3_storage):
    session, _minutes, _conclusion = concluded
    client.force_login(office)
    upload = SimpleUploadedFile("Kế hoạch tổ chức.pdf", pdf_bytes())
    client.post(reverse("sessions:attach", args=[session.pk]), {"files": upload})
    attachment = session.attachments.get()
    assert stored_under(s3_storage, "sessions/") == {attachment.file.name: pdf_bytes()}
    response = client.get(reverse("sessions:attachment", args=[attachment.pk]))
    assert downloaded(response) == pdf_bytes()


def test_rendered_minutes_are_stored_in_the_bucket_and_served_by_the_app(
    client, office, concluded, s3_storage
):
    session, minutes, _conclusion = concluded
    record = session_documents.minutes_pdf(minutes)
    assert record.is_ready
    stored = s3_storage.objects()[record.file.name]
    assert hashlib.sha256(stored).hexdigest() == record.sha256
    client.force_login(office)
    served = downloaded(client.get(reverse("sessions:minutes_pdf", args=[session.pk])))
    assert served == stored and served.startswith(b"%PDF")


def test_the_signed_notice_is_stored_in_the_bucket_and_still_valid_when_served(
    client, secretary, concluded, s3_storage
):
    _session, _minutes, conclusion = concluded
    record = effects.notice_record(conclusion)
    assert record.is_ready and s3_storage.public_grants(record.file.name) == []
    client.force_login(secretary)
    served = downloaded(client.get(reverse("conclusions:notice_pdf", args=[conclusion.pk])))
    assert served == s3_storage.objects()[record.file.name]
    assert hashlib.sha256(served).hexdigest() == record.sha256
    assert signing.validate(served).valid


def test_the_dossier_is_built_from_the_bucket_into_the_bucket(
    client, office, concluded, s3_storage, run
):
    session, minutes, conclusion = concluded
    dossier = run(dossiers.dossier_request, session=session, actor=office)
    dossier.refresh_from_db()
    assert dossier.is_ready
    client.force_login(office)
    page = client.get(reverse("conclusions:dossier", args=[session.pk])).content.decode()
    assert s3_storage.server.endpoint_url not in page  # never a link to the store itself
    served = downloaded(client.get(reverse("conclusions:dossier_zip", args=[session.pk])))
    assert served == s3_storage.objects()[dossier.file.name]
    assert hashlib.sha256(served).hexdigest() == dossier.sha256

    archive = zipfile.ZipFile(io.BytesIO(served))
    contents = [archive.read(name) for name in archive.namelist()]
    for record in (session_documents.minutes_pdf(minutes), effects.notice_record(conclusion)):
        assert s3_storage.objects()[record.file.name] in contents
    sums = archive.read("SHA256SUMS.txt").decode().splitlines()
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
