"""An effect is claimed before it runs: however often it is queued or swept, it runs once."""

import threading
import time

import pytest
from django.db import connection

from doluong_dialogue import side_effects
from doluong_dialogue.models import SideEffect

Status = SideEffect.Status


@pytest.mark.django_db
def test_running_an_effect_twice_runs_its_handler_once(notes):
    effect = notes.schedule("note:1", note_id=1)
    assert side_effects.run(effect.pk) == Status.DONE
    assert side_effects.run(effect.pk) is None
    assert side_effects.sweep().done == 0
    assert notes.calls == [{"note_id": 1}]


@pytest.mark.django_db
def test_an_effect_being_run_is_left_alone_by_a_second_task_and_a_second_sweep(notes):
    effect = notes.schedule("note:1", note_id=1)
    seen_by_others = []

    def others_try_meanwhile():
        seen_by_others.append(side_effects.run(effect.pk))
        seen_by_others.append(side_effects.sweep().done)

    notes.during_call = others_try_meanwhile
    assert side_effects.run(effect.pk) == Status.DONE
    assert seen_by_others == [None, 0]
    assert len(notes.calls) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_run_each_effect_once(notes):
    SideEffect.objects.bulk_create(
        SideEffect(kind=notes.kind, key=f"note:{n}", payload={"note_id": n}) for n in range(40)
    )
    notes.during_call = lambda: time.sleep(0.005)  # long enough for the sweeps to meet
    start = threading.Barrier(2)

    def sweep():
        start.wait()
        try:
            side_effects.sweep()
        finally:
            connection.close()

    sweepers = [threading.Thread(target=sweep) for _ in range(2)]
    for sweeper in sweepers:
        sweeper.start()
    for sweeper in sweepers:
        sweeper.join()
    assert sorted(call["note_id"] for call in notes.calls) == list(range(40))
    assert SideEffect.objects.filter(status=Status.DONE).count() == 40
