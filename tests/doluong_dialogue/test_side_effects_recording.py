import pytest
from django.db import transaction

from doluong_dialogue import side_effects
from doluong_dialogue.models import SideEffect

pytestmark = pytest.mark.django_db


def test_recording_the_same_key_again_records_nothing_more(
    notes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notes.schedule("note:1", note_id=1)
        again = notes.schedule("note:1", note_id=1)
    with django_capture_on_commit_callbacks(execute=True) as later:
        notes.schedule("note:1", note_id=1)
    assert again == first
    assert SideEffect.objects.filter(key="note:1").count() == 1
    assert later == []  # nothing handed over for an effect recorded before
    assert notes.calls == [{"note_id": 1}]


def test_an_effect_is_recorded_with_its_payload_of_ids(notes):
    effect = notes.schedule("note:2", note_id=2, author_id=7)
    effect.refresh_from_db()
    assert (effect.kind, effect.payload, effect.status, effect.attempts) == (
        "tests.note",
        {"note_id": 2, "author_id": 7},
        SideEffect.Status.PENDING,
        0,
    )


def test_an_effect_is_not_recorded_when_its_transaction_rolls_back(
    notes, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as handed_over,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notes.schedule("note:3", note_id=3)
        raise RuntimeError("the change is refused")
    assert not SideEffect.objects.exists()
    assert handed_over == []
    assert notes.calls == []


def test_an_effect_without_a_registered_handler_is_refused_when_recorded():
    with pytest.raises(ValueError, match="No handler"):
        side_effects.schedule("nobody.handles_this", key="x:1")
    assert not SideEffect.objects.exists()


def test_a_kind_cannot_be_given_a_second_handler(notes):
    with pytest.raises(ValueError, match="already has a handler"):
        side_effects.register(notes.kind, lambda **payload: None)
    side_effects.register(notes.kind, notes)  # the same handler again is harmless
