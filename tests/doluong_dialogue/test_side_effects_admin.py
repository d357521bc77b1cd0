"""Administrators see what the system had to do after each change, and what failed."""

import pytest

from doluong_dialogue.models import SideEffect

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/doluong_dialogue/sideeffect/"


@pytest.fixture
def failed(notes):
    return SideEffect.objects.create(
        kind=notes.kind,
        key="note:failed",
        payload={"note_id": 1},
        status=SideEffect.Status.FAILED,
        attempts=8,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )


def test_an_administrator_lists_the_failed_effects_with_their_error(admin_client, failed):
    SideEffect.objects.create(kind="tests.note", key="note:done", status=SideEffect.Status.DONE)
    page = admin_client.get(CHANGELIST, {"status__exact": "failed"}).content.decode()
    assert "note:failed" in page
    assert "note:done" not in page
    detail = admin_client.get(f"{CHANGELIST}{failed.pk}/change/").content.decode()
    assert "Connection refused" in detail


def test_effects_cannot_be_edited_or_deleted_in_the_admin(admin_client, failed):
    response = admin_client.post(f"{CHANGELIST}{failed.pk}/change/", {"status": "done"})
    assert response.status_code == 403
    assert admin_client.get(f"{CHANGELIST}{failed.pk}/delete/").status_code == 403
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    failed.refresh_from_db()
    assert failed.status == SideEffect.Status.FAILED


def test_an_administrator_can_try_a_failed_effect_again_once_its_cause_is_fixed(
    admin_client, failed, notes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]}
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (SideEffect.Status.DONE, 1)
    assert notes.calls == [{"note_id": 1}]
