"""A task delivered again after its worker died takes over its own claim, and no one else's;
each kind is handed to its queue's workers and swept by them."""

import pytest
from django.conf import settings

from doluong_dialogue import side_effects
from doluong_dialogue.models import SideEffect
from doluong_dialogue.tasks import run_side_effect

Status = SideEffect.Status


def killed_while_running(notes, claimant: str) -> SideEffect:
    """An effect whose worker died in the handler: claimed, running, never finished."""
    effect = notes.schedule("note:1", note_id=1)

    class Killed(BaseException):  # not an Exception: nothing records an outcome
        pass

    def die():
        raise Killed

    notes.during_call = die
    with pytest.raises(Killed):
        side_effects.run(effect.pk, claimant=claimant)
    notes.during_call = None
    effect.refresh_from_db()
    assert (effect.status, effect.claimed_by, effect.attempts) == (Status.RUNNING, claimant, 1)
    return effect


@pytest.mark.django_db
def test_the_same_task_delivered_again_takes_over_and_completes_the_effect(notes):
    effect = killed_while_running(notes, "task-1")
    assert side_effects.run(effect.pk, claimant="task-1", taking_over=True) == Status.DONE
    assert side_effects.run(effect.pk, claimant="task-1", taking_over=True) is None
    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == (Status.DONE, 2)
    assert len(notes.calls) == 2  # the killed call and the one that completed


@pytest.mark.django_db
def test_an_effect_whose_worker_dies_on_every_attempt_ends_failed(notes):
    effect = killed_while_running(notes, "task-1")
    SideEffect.objects.filter(pk=effect.pk).update(attempts=side_effects.MAX_ATTEMPTS)
    assert side_effects.run(effect.pk, claimant="task-1", taking_over=True) == Status.FAILED
    effect.refresh_from_db()
    assert effect.status == Status.FAILED and "died" in effect.last_error
    assert len(notes.calls) == 1


@pytest.mark.django_db
def test_a_running_effect_is_left_alone_by_another_task_and_by_a_first_delivery(notes):
    effect = killed_while_running(notes, "task-1")
    assert side_effects.run(effect.pk, claimant="task-2", taking_over=True) is None
    assert side_effects.run(effect.pk, claimant="task-1") is None  # not a redelivery
    assert side_effects.sweep().done == 0  # the lease has not expired
    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == (Status.RUNNING, 1)
    assert len(notes.calls) == 1


def delivered(effect_id: int, task_id: str, *, redelivered: bool) -> None:
    """run_side_effect as a worker runs it, with the broker's delivery information."""
    run_side_effect.push_request(id=task_id, delivery_info={"redelivered": redelivered})
    try:
        run_side_effect.run(effect_id)
    finally:
        run_side_effect.pop_request()


@pytest.mark.django_db
def test_the_task_reads_the_redelivery_from_the_broker(notes):
    effect = killed_while_running(notes, "task-1")
    delivered(effect.pk, "task-1", redelivered=False)
    effect.refresh_from_db()
    assert effect.status == Status.RUNNING
    delivered(effect.pk, "task-1", redelivered=True)
    effect.refresh_from_db()
    assert effect.status == Status.DONE


def test_renders_and_dossiers_go_to_the_documents_queue_and_e_mails_to_the_default_one():
    assert side_effects.queue_of("documents.render") == settings.DOCUMENTS_QUEUE == "documents"
    assert side_effects.queue_of("conclusions.dossier") == "documents"
    assert side_effects.queue_of("conclusions.digest_email") == "celery"
    assert side_effects.queue_of("petitions.assignment_email") == "celery"
    assert side_effects.queue_of("unknown.kind") == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.django_db
def test_each_queue_sweeps_its_own_kinds(notes, monkeypatch):
    monkeypatch.setitem(side_effects._queues, notes.kind, "documents")
    effect = notes.schedule("note:1", note_id=1)
    assert side_effects.sweep(queue="celery").done == 0
    assert side_effects.sweep(queue="documents").done == 1
    effect.refresh_from_db()
    assert effect.status == Status.DONE


def test_celery_beat_sweeps_each_queue_on_that_queue():
    sweeps = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "doluong_dialogue.tasks.sweep_side_effects"
    ]
    assert sorted((entry["args"][0], entry["options"]["queue"]) for entry in sweeps) == [
        ("celery", "celery"),
        ("documents", "documents"),
    ]
