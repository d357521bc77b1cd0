"""A document's PDF rendered by a worker: recorded in the caller's transaction, rendered and
stored once with its SHA-256, rendered again for a changed draft (never serving the old file),
and a failed render shown with its error and tried again."""

import hashlib
from datetime import date
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from doluong_dialogue import side_effects
from doluong_dialogue.documents import RenderedDocument, file_response, renders, request_pdf
from doluong_dialogue.models import SideEffect
from tests.documents import samples
from tests.documents.conftest import pdf_text

pytestmark = pytest.mark.django_db

Status = RenderedDocument.Status


class Minutes:
    """A builder standing in for an app's: the minutes of object `pk`, with a summary that
    changes like a draft does; fails while told to."""

    name = "tests.minutes"

    def __init__(self) -> None:
        self.calls = 0
        self.summary = "Bản thứ nhất"
        self.failure: Exception | None = None

    def __call__(self, object_id: int):
        self.calls += 1
        if self.failure:
            raise self.failure
        doc = samples.minutes()
        doc.summary = f"{self.summary} của hội nghị số {object_id}"
        return doc


@pytest.fixture
def minutes(monkeypatch, staff) -> Minutes:
    builder = Minutes()
    readable = renders.Builder(build=builder, may_read=lambda user, pk: user == staff)
    monkeypatch.setitem(renders._builders, Minutes.name, readable)
    return builder


def ask(version: str = "1", pk: int = 7) -> RenderedDocument:
    return request_pdf(
        f"tests.minutes:{pk}",
        builder=Minutes.name,
        object_id=pk,
        title=f"Biên bản hội nghị số {pk}",
        version=version,
    )


def stored(record: RenderedDocument) -> bytes:
    record.refresh_from_db()
    with default_storage.open(record.file.name, "rb") as handle:
        return handle.read()


def status_box(record: RenderedDocument, user) -> str:
    request = RequestFactory().get("/sessions/7/")
    request.user = user
    return render_to_string(
        "documents/_status.html",
        {"document": record, "download_url": "/sessions/7/minutes.pdf"},
        request=request,
    )


def test_a_requested_pdf_is_queued_then_rendered_once_and_stored_with_its_hash(
    minutes, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = ask()
    assert record.status == Status.QUEUED
    assert SideEffect.objects.filter(kind=renders.RENDER).count() == 1
    assert minutes.calls == 0  # nothing renders before the caller's transaction commits

    for callback in callbacks:
        callback()
    record.refresh_from_db()
    assert record.status == Status.READY
    assert minutes.calls == 1
    content = stored(record)
    assert content.startswith(b"%PDF-")
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert record.size == len(content)
    assert record.rendered_version == "1"
    assert "Bản thứ nhất của hội nghị số 7" in pdf_text(content, tmp_path)


def test_running_the_render_again_does_nothing(minutes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = ask()
    effect = SideEffect.objects.get(kind=renders.RENDER)
    first = stored(record)
    assert side_effects.run(effect.pk) is None
    renders.render_stored(document_id=record.pk, revision=record.revision)
    assert minutes.calls == 1
    assert stored(record) == first


def test_asking_again_for_the_same_version_renders_nothing(
    minutes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = ask("1")
    with django_capture_on_commit_callbacks(execute=True):
        again = ask("1")
    assert again.pk == record.pk
    assert again.status == Status.READY
    assert minutes.calls == 1
    assert SideEffect.objects.filter(kind=renders.RENDER).count() == 1


def test_a_changed_draft_renders_a_new_version_and_the_old_file_is_never_served(
    minutes, staff, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        record = ask("1")
    old_name = RenderedDocument.objects.get(pk=record.pk).file.name

    minutes.summary = "Bản đã sửa"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = ask("2")
    assert record.status == Status.QUEUED
    with pytest.raises(Http404):
        file_response(record)
    assert "Đang tạo tệp PDF…" in status_box(record, staff)

    for callback in callbacks:
        callback()
    record.refresh_from_db()
    assert record.status == Status.READY
    assert (record.revision, record.rendered_version) == (2, "2")
    assert "Bản đã sửa của hội nghị số 7" in pdf_text(stored(record), tmp_path)
    assert not default_storage.exists(old_name)
    assert minutes.calls == 2


def test_a_failing_render_shows_its_error_and_is_tried_again_by_itself(
    minutes, staff, clock, django_capture_on_commit_callbacks
):
    clock.set(date(2026, 2, 5))
    minutes.failure = RuntimeError("Thiếu dữ liệu hội nghị")
    with django_capture_on_commit_callbacks(execute=True):
        record = ask()
    record.refresh_from_db()
    assert record.status == Status.FAILED
    assert record.error == "RuntimeError: Thiếu dữ liệu hội nghị"
    box = status_box(record, staff)
    assert "Không tạo được tệp PDF" in box
    assert "Thiếu dữ liệu hội nghị" in box
    assert reverse("documents:retry", args=[record.pk]) in box
    assert "Thử lại" in box

    minutes.failure = None
    clock.set(date(2026, 2, 6))  # the side effect's retry is due
    side_effects.sweep()
    record.refresh_from_db()
    assert record.status == Status.READY
    assert record.error == ""
    assert minutes.calls == 2


def test_try_again_queues_a_failed_render_at_once(
    client, minutes, staff, django_capture_on_commit_callbacks
):
    minutes.failure = RuntimeError("Lỗi tạm thời")
    with django_capture_on_commit_callbacks(execute=True):
        record = ask()
    minutes.failure = None
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:retry", args=[record.pk]), {"next": "/sessions/7/"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/sessions/7/"
    record.refresh_from_db()
    assert record.status == Status.READY
    # The automatic retry of the failed revision, when it comes, finds nothing to do.
    side_effects.sweep()
    assert minutes.calls == 2


def test_only_readers_of_the_document_may_ask_again_or_poll_its_status(
    client, minutes, secretary, django_capture_on_commit_callbacks
):
    minutes.failure = RuntimeError("Lỗi")
    with django_capture_on_commit_callbacks(execute=True):
        record = ask()
    client.force_login(secretary)  # not a reader of this test's documents
    assert client.post(reverse("documents:retry", args=[record.pk])).status_code == 404
    assert client.get(reverse("documents:status", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.status == Status.FAILED


def test_a_waiting_page_polls_the_status(
    client, minutes, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record = ask()
    box = status_box(record, staff)
    status_url = reverse("documents:status", args=[record.pk])
    assert f'data-document-status-url="{status_url}"' in box
    assert "js/document-status.js" in box
    client.force_login(staff)
    assert client.get(status_url).json() == {"status": "queued"}


def test_a_ready_pdf_is_offered_with_its_size_and_served_inline_under_its_name(
    minutes, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = ask()
    record.refresh_from_db()
    box = status_box(record, staff)
    assert 'href="/sessions/7/minutes.pdf"' in box
    assert "KB" in box
    assert "data-document-status-url" not in box

    response = file_response(record)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''" + quote(
        "Biên bản hội nghị số 7.pdf"
    )
    assert b"".join(response.streaming_content) == stored(record)


def test_an_unknown_builder_is_refused_in_the_callers_transaction():
    with pytest.raises(LookupError):
        request_pdf("x:1", builder="nobody.registered", object_id=1, title="X")
    assert not RenderedDocument.objects.exists()
