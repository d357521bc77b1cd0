"""The session's dossier (hồ sơ): one ZIP of its ready documents with an index sheet, built
by the worker, built again when a document changes before the session is archived, kept as
it is after; only those who read everything see it, those who do the paperwork build it."""

import hashlib
import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from conclusions import dossier as dossiers
from conclusions import effects, services
from conclusions.models import SessionDossier
from doluong_dialogue.rules import RuleError
from sessions import services as session_services
from sessions.models import DialogueSession
from tests.conclusions.helpers import SESSION_DAY
from tests.documents.conftest import flowing, pdf_text
from tests.petitions.helpers import assigned
from tests.sessions.helpers import planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service and what it leaves for after commit (renders, builds) inline."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def session(staff, office, clock, department, run):
    """Held on 18/12/2026 with its announcement, two invitations and final minutes."""
    clock.set(date(2026, 11, 25))
    petition, _ = assigned(staff, department)
    session = planned(staff, held_on=SESSION_DAY)
    session_services.agenda_add(session=session, petitions=[petition], actor=staff)
    invitation = session_services.invitation_of(session)
    session_services.invitee_add(
        invitation=invitation, actor=office, kind="person", name="Nguyễn Văn Hùng"
    )
    session_services.invitee_add(
        invitation=invitation, actor=office, kind="unit", department=department
    )
    run(session_services.invitation_issue, invitation=invitation, actor=office)
    run(session_services.session_announce, session=session, actor=office)
    clock.set(SESSION_DAY)
    run(session_services.session_hold, session=session, actor=office)
    minutes = session_services.minutes_draw_up(
        session=session, actor=office, recorder_name="Trần Thị Lài"
    )
    run(session_services.minutes_finalise, minutes=minutes, actor=office)
    session.refresh_from_db()
    return session


def sign_conclusion(session, staff, secretary, run):
    conclusion = services.conclusion_draft(session=session, actor=staff)
    conclusion = services.conclusion_submit(conclusion=conclusion, actor=staff)
    return run(services.conclusion_sign, conclusion=conclusion, actor=secretary)


def zip_of(dossier: SessionDossier) -> zipfile.ZipFile:
    dossier.refresh_from_db()
    with dossier.file.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def test_the_zip_holds_each_ready_document_and_the_index(session, office, run):
    dossier = run(dossiers.dossier_request, session=session, actor=office)
    dossier.refresh_from_db()
    assert dossier.status == SessionDossier.Status.READY
    archive = zip_of(dossier)
    names = archive.namelist()
    assert names[0] == "00-Muc-luc-ho-so.pdf"
    assert names[-1] == "SHA256SUMS.txt"
    pdfs = names[1:-1]
    # The announcement, two invitation letters, the final minutes.
    assert len(pdfs) == 4 == dossier.files_count
    assert pdfs[0].startswith("01-Thong-bao-to-chuc-hoi-nghi")
    assert pdfs[-1].startswith("04-Bien-ban-hoi-nghi")
    assert all(archive.read(name)[:4] == b"%PDF" for name in pdfs)
    sums = archive.read("SHA256SUMS.txt").decode().splitlines()
    assert sums == [f"{hashlib.sha256(archive.read(name)).hexdigest()}  {name}" for name in pdfs]
    assert archive.read("00-Muc-luc-ho-so.pdf")[:4] == b"%PDF"
    assert dossier.sha256 == hashlib.sha256(dossier.file.open("rb").read()).hexdigest()


def test_the_index_lists_each_file_with_its_hash(session, office, run, tmp_path):
    dossier = run(dossiers.dossier_request, session=session, actor=office)
    archive = zip_of(dossier)
    text = flowing(pdf_text(archive.read("00-Muc-luc-ho-so.pdf"), tmp_path))
    assert "MỤC LỤC HỒ SƠ" in text
    assert "Biên bản hội nghị" in text and "Số 01-BB" in text
    minutes_name = next(name for name in archive.namelist() if "Bien-ban" in name)
    digest = hashlib.sha256(archive.read(minutes_name)).hexdigest()
    assert digest[:16] in text


def test_a_document_ready_later_makes_the_dossier_built_again(
    session, staff, office, secretary, run, client
):
    first = run(dossiers.dossier_request, session=session, actor=office)
    first.refresh_from_db()
    assert first.files_count == 4
    sign_conclusion(session, staff, secretary, run)  # the notice's PDF is now ready
    session.refresh_from_db()
    assert dossiers.out_of_date(session, first)

    client.force_login(office)
    response = run(client.get, path=reverse("conclusions:dossier", args=[session.pk]))
    assert response.status_code == 200
    rebuilt = SessionDossier.objects.get()
    assert rebuilt.revision == 2 and rebuilt.is_ready
    assert rebuilt.files_count == 5
    assert any(name.startswith("05-Thong-bao-ket-luan") for name in zip_of(rebuilt).namelist())
    assert not dossiers.out_of_date(session, rebuilt)
    # Opened again with nothing changed: not built again.
    run(client.get, path=reverse("conclusions:dossier", args=[session.pk]))
    assert SessionDossier.objects.get().revision == 2


def test_after_archiving_the_dossier_is_kept_as_it_is(
    session, staff, office, secretary, run, client
):
    conclusion = sign_conclusion(session, staff, secretary, run)
    run(dossiers.dossier_request, session=session, actor=office)
    session.refresh_from_db()
    assert session.status == DialogueSession.Status.CONCLUDED
    session_services.session_archive(session=session, actor=office)
    session.refresh_from_db()
    kept = SessionDossier.objects.get()
    # A changed document (its PDF made again) does not touch the filed dossier.
    record = effects.notice_record(conclusion)
    type(record).objects.filter(pk=record.pk).update(sha256="0" * 64)
    assert not dossiers.out_of_date(session, kept)
    client.force_login(office)
    page = run(client.get, path=reverse("conclusions:dossier", args=[session.pk]))
    assert 'data-testid="dossier-archived"' in page.content.decode()
    assert 'data-testid="dossier-build"' not in page.content.decode()
    assert SessionDossier.objects.get().revision == kept.revision
    with pytest.raises(RuleError):
        dossiers.dossier_request(session=session, actor=office)


def test_a_session_not_held_has_no_dossier(staff, office, clock):
    clock.set(date(2026, 11, 25))
    session = planned(staff, held_on=SESSION_DAY)
    with pytest.raises(RuleError):
        dossiers.dossier_request(session=session, actor=office)


def test_building_twice_runs_once(session, office, run):
    dossier = run(dossiers.dossier_request, session=session, actor=office)
    dossier.refresh_from_db()
    dossiers.build_stored(dossier_id=dossier.pk, revision=dossier.revision)
    assert SessionDossier.objects.get().file.name == dossier.file.name


# ---------------------------------------------------------------- access


def test_office_builds_and_downloads_from_the_page(session, office, run, client):
    client.force_login(office)
    url = reverse("conclusions:dossier", args=[session.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="dossier-build"' in page
    detail = client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    assert url in detail  # the session's pages offer the dossier's tab
    response = run(client.post, path=reverse("conclusions:dossier_build", args=[session.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="dossier-download"' in page
    download = client.get(reverse("conclusions:dossier_zip", args=[session.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content)[:2] == b"PK"


@pytest.mark.parametrize(
    "name", ["conclusions:dossier", "conclusions:dossier_zip", "conclusions:dossier_build"]
)
def test_anonymous_is_sent_to_log_in(session, client, name):
    url = reverse(name, args=[session.pk])
    response = client.post(url) if name.endswith("build") else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_readers_see_it_but_do_not_build(session, office, secretary, inspector, run, client):
    run(dossiers.dossier_request, session=session, actor=office)
    for reader in (secretary, inspector):
        client.force_login(reader)
        page = client.get(reverse("conclusions:dossier", args=[session.pk]))
        assert page.status_code == 200
        assert 'data-testid="dossier-build"' not in page.content.decode()
        assert client.get(reverse("conclusions:dossier_zip", args=[session.pk])).status_code == 200
        build = client.post(reverse("conclusions:dossier_build", args=[session.pk]))
        assert build.status_code == 403


def test_unit_members_are_refused(session, office, dept_user, other_dept_user, run, client):
    run(dossiers.dossier_request, session=session, actor=office)
    # The unit answering a petition on the agenda sees the session, not its dossier: 403.
    client.force_login(dept_user)
    assert client.get(reverse("sessions:detail", args=[session.pk])).status_code == 200
    for name in ("conclusions:dossier", "conclusions:dossier_zip"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 403
    assert client.post(reverse("conclusions:dossier_build", args=[session.pk])).status_code == 403
    # Another unit does not see the session at all: 404.
    client.force_login(other_dept_user)
    for name in ("conclusions:dossier", "conclusions:dossier_zip"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 404
    assert client.post(reverse("conclusions:dossier_build", args=[session.pk])).status_code == 404


def test_the_documents_kept_with_the_session_are_in_it(session, office, run, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = SimpleUploadedFile(
        "Kế hoạch tổ chức hội nghị.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
    )
    session_services.attachment_add(session=session, actor=office, upload=plan)
    dossier = run(dossiers.dossier_request, session=session, actor=office)
    archive = zip_of(dossier)
    assert "01-Ke-hoach-to-chuc-hoi-nghi.pdf" in archive.namelist()
    assert archive.read("01-Ke-hoach-to-chuc-hoi-nghi.pdf") == b"%PDF-1.4\n%%EOF\n"
    assert dossier.files_count == 5


def test_the_nightly_refresh_builds_again_what_changed_and_nothing_else(
    session, staff, office, secretary, run
):
    run(dossiers.dossier_request, session=session, actor=office)
    assert run(dossiers.dossiers_refresh) == 0
    sign_conclusion(session, staff, secretary, run)
    assert run(dossiers.dossiers_refresh) == 1
    rebuilt = SessionDossier.objects.get()
    assert rebuilt.revision == 2 and rebuilt.is_ready and rebuilt.files_count == 5
    assert run(dossiers.dossiers_refresh) == 0
