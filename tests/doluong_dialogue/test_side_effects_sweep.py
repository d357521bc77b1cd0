from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from doluong_dialogue import side_effects
from doluong_dialogue.celery import app
from doluong_dialogue.models import SideEffect
from tests.broker import celery_using, free_port

Status = SideEffect.Status


@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_what_could_not_be_queued(notes):
    with celery_using(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        with transaction.atomic():
            effect = notes.schedule("note:1", note_id=1)
        assert notes.calls == []
        effect.refresh_from_db()
        assert (effect.status, effect.attempts) == (Status.PENDING, 0)
        report = side_effects.sweep()
    assert report.done == 1
    assert notes.calls == [{"note_id": 1}]
    assert side_effects.sweep().done == 0


@pytest.mark.django_db
def test_the_sweep_leaves_effects_that_are_not_due_yet(notes):
    SideEffect.objects.create(
        kind=notes.kind, key="note:1", next_attempt_at=timezone.now() + timedelta(minutes=2)
    )
    assert side_effects.sweep().done == 0
    assert notes.calls == []


@pytest.mark.django_db
def test_an_effect_whose_worker_died_is_run_again_once_its_lease_expires(notes):
    long_ago = timezone.now() - side_effects.LEASE - timedelta(minutes=1)
    lost = SideEffect.objects.create(
        kind=notes.kind,
        key="note:lost",
        payload={"note_id": 1},
        status=Status.RUNNING,
        attempts=1,
        started_at=long_ago,
    )
    busy = SideEffect.objects.create(
        kind=notes.kind,
        key="note:busy",
        payload={"note_id": 2},
        status=Status.RUNNING,
        attempts=1,
        started_at=timezone.now() - timedelta(minutes=1),
    )
    report = side_effects.sweep()
    assert (report.recovered, report.done) == (1, 1)
    assert notes.calls == [{"note_id": 1}]
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, lost.attempts) == (Status.DONE, 2)
    assert busy.status == Status.RUNNING


@pytest.mark.django_db
def test_an_effect_whose_worker_died_on_its_last_attempt_is_marked_failed(notes):
    effect = SideEffect.objects.create(
        kind=notes.kind,
        key="note:1",
        status=Status.RUNNING,
        attempts=side_effects.MAX_ATTEMPTS,
        started_at=timezone.now() - timedelta(hours=1),
    )
    assert side_effects.sweep().expired == 1
    effect.refresh_from_db()
    assert effect.status == Status.FAILED
    assert "lease expired" in effect.last_error
    assert notes.calls == []


@pytest.mark.django_db
def test_the_sweep_can_be_run_from_the_command_line(notes, capsys):
    SideEffect.objects.create(kind=notes.kind, key="note:1", payload={"note_id": 1})
    call_command("run_side_effects")
    output = capsys.readouterr().out
    assert "done 1" in output
    assert "pending 0" in output
    assert notes.calls == [{"note_id": 1}]


def test_celery_beat_runs_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["side-effects-sweep"]
    assert entry["schedule"] <= 60
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
