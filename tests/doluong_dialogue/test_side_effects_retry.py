from datetime import timedelta

import pytest
from django.utils import timezone

from doluong_dialogue import side_effects
from doluong_dialogue.models import SideEffect

pytestmark = pytest.mark.django_db

Status = SideEffect.Status


def make_due(effect: SideEffect) -> None:
    SideEffect.objects.filter(pk=effect.pk).update(next_attempt_at=timezone.now())


def test_a_failing_handler_is_tried_again_later_with_a_growing_delay(notes):
    notes.failure = TimeoutError("SMTP server did not answer")
    effect = notes.schedule("note:1", note_id=1)
    delays = []
    for _attempt in range(3):
        before = timezone.now()
        assert side_effects.run(effect.pk) == Status.PENDING
        effect.refresh_from_db()
        delays.append(effect.next_attempt_at - before)
        assert side_effects.run(effect.pk) is None  # not due yet: nothing happens
        make_due(effect)
    assert effect.attempts == 3
    assert "TimeoutError: SMTP server did not answer" in effect.last_error
    for delay, minutes in zip(delays, [1, 2, 4], strict=True):
        assert timedelta(minutes=minutes) <= delay < timedelta(minutes=minutes, seconds=5)
    notes.failure = None
    assert side_effects.run(effect.pk) == Status.DONE
    assert len(notes.calls) == 4


def test_after_the_last_attempt_an_effect_is_marked_failed_with_its_error(notes):
    notes.failure = ConnectionRefusedError("mail server refused")
    effect = notes.schedule("note:1", note_id=1)
    outcomes = []
    for _attempt in range(side_effects.MAX_ATTEMPTS + 2):
        outcomes.append(side_effects.run(effect.pk))
        make_due(effect)
    assert outcomes[: side_effects.MAX_ATTEMPTS] == [Status.PENDING] * (
        side_effects.MAX_ATTEMPTS - 1
    ) + [Status.FAILED]
    assert outcomes[side_effects.MAX_ATTEMPTS :] == [None, None]  # failed is final
    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == (Status.FAILED, side_effects.MAX_ATTEMPTS)
    assert "mail server refused" in effect.last_error
    assert effect.finished_at is not None
    assert side_effects.counts() == {"pending": 0, "running": 0, "failed": 1}


def test_the_delay_between_attempts_stops_growing_at_an_hour():
    assert side_effects.retry_delay(1) == timedelta(minutes=1)
    assert side_effects.retry_delay(6) == timedelta(minutes=32)
    assert side_effects.retry_delay(7) == timedelta(hours=1)
    assert side_effects.retry_delay(20) == timedelta(hours=1)
