"""With no broker configured, effects run in the process that recorded them, after commit."""

import pytest
from django.db import transaction

from doluong_dialogue.models import SideEffect

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_a_broker_an_effect_runs_right_after_commit_and_not_before(notes):
    with transaction.atomic():
        effect = notes.schedule("note:1", note_id=1)
        assert notes.calls == []
    assert notes.calls == [{"note_id": 1}]
    effect.refresh_from_db()
    assert effect.status == SideEffect.Status.DONE
    assert effect.attempts == 1


def test_an_effect_never_runs_when_its_transaction_rolls_back(notes):
    with pytest.raises(RuntimeError), transaction.atomic():
        notes.schedule("note:1", note_id=1)
        raise RuntimeError("the change is refused")
    assert notes.calls == []
    assert not SideEffect.objects.exists()


def test_a_failing_handler_is_logged_and_left_pending_without_breaking_the_caller(notes, caplog):
    notes.failure = ConnectionRefusedError("[Errno 111] the mail server is down")
    with transaction.atomic():
        effect = notes.schedule("note:1", note_id=1)
    # The caller carried on: the effect is recorded for a retry.
    effect.refresh_from_db()
    assert effect.status == SideEffect.Status.PENDING
    assert effect.attempts == 1
    assert "the mail server is down" in effect.last_error
    assert "Side effect" in caplog.text and "failed" in caplog.text
