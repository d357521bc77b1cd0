"""Side effects (e-mail, notifications, renders) that are never lost, never doubled and never
hold a request.

1. A service records what must happen inside its own transaction::

       side_effects.schedule("petitions.assignment_email",
                             key=f"assignment-email:{assignment.pk}", assignment_id=assignment.pk)

   The row exists exactly when the change does; a key that exists already records nothing.
2. After commit the effect is handed to Celery by id, within about a second whatever the
   broker does (doluong_dialogue.celery.publish). With no broker it runs inline, right after
   commit; a handler that fails there is logged and left for a retry.
3. `run` claims the effect with a conditional update, so however many times it is queued or
   swept it runs once; a failure goes back to pending with a growing delay, and to failed
   after MAX_ATTEMPTS. The periodic `sweep` runs whatever is pending and due (including what
   could not be queued) and returns effects whose worker died to pending after a lease.

A handler that completes is never run again. A worker killed in the middle of an effect
leaves it running; the broker hands the same message to another worker (late
acknowledgement), which finds its own claim, takes the effect over and completes it. A worker
killed between the handler's e-mail and the "done" mark is the one case that can repeat an
effect.

Each kind runs on a queue: e-mails on Celery's default one, renders and dossiers on
"documents" (settings.DOCUMENTS_QUEUE), each swept by its own workers.

Apps register one handler per kind in their AppConfig.ready(); this module imports no app.
"""

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from doluong_dialogue.celery import publish, tasks_run_inline
from doluong_dialogue.models import SideEffect

logger = logging.getLogger(__name__)

Status = SideEffect.Status

MAX_ATTEMPTS = 8
# Delay before the second attempt; doubled after each failure up to RETRY_DELAY_MAX
# (1, 2, 4 … 60 minutes: about two hours from the first attempt to "failed").
RETRY_DELAY = timedelta(minutes=1)
RETRY_DELAY_MAX = timedelta(hours=1)
# An effect running for longer than this has lost its worker. Longer than the hard time
# limit of any task that runs effects (doluong_dialogue/tasks.py).
LEASE = timedelta(minutes=10)
# A sweep stops starting effects after this many seconds and leaves the rest to the next.
SWEEP_BUDGET = 45.0
SWEEP_BATCH = 100

WORKER_DIED = "The worker running it died on every attempt."

Handler = Callable[..., None]
_handlers: dict[str, Handler] = {}
_queues: dict[str, str] = {}
_long: set[str] = set()


def register(kind: str, handler: Handler, *, queue: str | None = None, long: bool = False) -> None:
    """Make `handler(**payload)` the way effects of `kind` are carried out, by the workers of
    `queue` (Celery's default queue when not given).

    A handler receives the ids it was scheduled with, reads what it needs, and raises to
    ask for a retry. `long=True`: it may take minutes (a long list's workbook), and its
    effects are handed to the task with the longer time limit (tasks.run_long_side_effect).
    """
    existing = _handlers.get(kind)
    if existing is not None and existing is not handler:
        raise ValueError(f"Side effect kind {kind!r} already has a handler: {existing!r}")
    _handlers[kind] = handler
    _queues[kind] = queue or settings.CELERY_TASK_DEFAULT_QUEUE
    if long:
        _long.add(kind)


def queue_of(kind: str) -> str:
    """The Celery queue whose workers carry out effects of `kind`."""
    return _queues.get(kind, settings.CELERY_TASK_DEFAULT_QUEUE)


def _on_queue(effects: QuerySet, queue: str) -> QuerySet:
    """The effects that the workers of `queue` carry out (unknown kinds: the default queue)."""
    elsewhere = [kind for kind, its_queue in _queues.items() if its_queue != queue]
    if queue == settings.CELERY_TASK_DEFAULT_QUEUE:
        return effects.exclude(kind__in=elsewhere)
    return effects.filter(kind__in=[kind for kind in _queues if kind not in elsewhere])


def schedule(kind: str, *, key: str, **payload) -> SideEffect:
    """Record an effect to carry out once the current transaction commits.

    `key` names the effect ("assignment-email:42"): scheduling the same key again returns
    the effect already recorded and schedules nothing. The payload holds ids, not objects.
    """
    if kind not in _handlers:
        raise ValueError(f"No handler is registered for side effect kind {kind!r}")
    effect, created = SideEffect.objects.get_or_create(
        key=key, defaults={"kind": kind, "payload": payload}
    )
    if created:
        transaction.on_commit(lambda: _hand_over(effect.pk, kind), robust=True)
    return effect


def _hand_over(effect_id: int, kind: str) -> None:
    """Queue the committed effect, or run it here when there is no broker. Never raises."""
    try:
        if tasks_run_inline():
            run(effect_id)
        else:
            from doluong_dialogue.tasks import run_long_side_effect, run_side_effect

            task = run_long_side_effect if kind in _long else run_side_effect
            publish(task, effect_id, queue=queue_of(kind))
    except Exception:  # the change is committed; the sweep will carry the effect out
        logger.exception("Side effect %s is left for the sweep", effect_id)


def run(effect_id: int, *, claimant: str = "", taking_over: bool = False) -> str | None:
    """Carry out one effect if it is pending and due; returns the status it was left in.

    None means there was nothing to do: already done, failed, not yet due, or taken by
    someone else between our read and our claim.

    `claimant` names who claims it (the Celery task's id). `taking_over=True` says that this
    is the broker's second delivery of a message whose first delivery was never acknowledged:
    its worker died. An effect still running under the same claimant was claimed by that
    dead worker, and is taken over rather than left to the lease. The visibility timeout is
    longer than any task's hard time limit (settings.CELERY_VISIBILITY_TIMEOUT), so that
    first delivery cannot still be running.
    """
    effect = SideEffect.objects.filter(pk=effect_id).first()
    now = timezone.now()
    if effect is None:
        return None
    orphaned = (
        taking_over
        and claimant
        and effect.status == Status.RUNNING
        and effect.claimed_by == claimant
    )
    if not orphaned and (effect.status != Status.PENDING or effect.next_attempt_at > now):
        return None
    if orphaned and effect.attempts >= MAX_ATTEMPTS:
        # Its worker died on every attempt (an effect that crashes or exhausts the process):
        # a task given back each time would never end.
        SideEffect.objects.filter(
            pk=effect.pk, status=Status.RUNNING, attempts=effect.attempts
        ).update(status=Status.FAILED, finished_at=now, last_error=WORKER_DIED)
        return Status.FAILED
    if orphaned:
        logger.warning(
            "Side effect %s (%s) is taken over from a worker that died", effect.pk, effect.key
        )
    attempt = effect.attempts + 1
    claimed = SideEffect.objects.filter(
        pk=effect.pk, status=effect.status, attempts=effect.attempts, claimed_by=effect.claimed_by
    ).update(status=Status.RUNNING, attempts=attempt, started_at=now, claimed_by=claimant)
    if not claimed:
        return None
    # Only this attempt may record the outcome: should a lease have expired meanwhile and
    # another worker claimed the effect, its attempt number differs.
    mine = SideEffect.objects.filter(pk=effect.pk, status=Status.RUNNING, attempts=attempt)
    try:
        handler = _handlers.get(effect.kind)
        if handler is None:
            raise LookupError(f"No handler is registered for side effect kind {effect.kind!r}")
        handler(**effect.payload)
    except Exception as exc:
        logger.exception("Side effect %s (%s) failed, attempt %s", effect.pk, effect.key, attempt)
        error = "".join(traceback.format_exception(exc))[-4000:]
        if attempt >= MAX_ATTEMPTS:
            mine.update(status=Status.FAILED, finished_at=timezone.now(), last_error=error)
            return Status.FAILED
        mine.update(
            status=Status.PENDING,
            next_attempt_at=timezone.now() + retry_delay(attempt),
            last_error=error,
        )
        return Status.PENDING
    mine.update(status=Status.DONE, finished_at=timezone.now())
    return Status.DONE


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure."""
    return min(RETRY_DELAY * 2 ** (attempts - 1), RETRY_DELAY_MAX)


@dataclass
class SweepReport:
    recovered: int = 0  # running past the lease, returned to pending
    expired: int = 0  # running past the lease with no attempt left: failed
    done: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"done {self.done}, to retry {self.retrying}, failed {self.failed}; "
            f"returned from an expired lease {self.recovered}, failed there {self.expired}"
        )


def sweep(*, budget: float = SWEEP_BUDGET, queue: str | None = None) -> SweepReport:
    """Run every effect that is pending and due, oldest first, for up to `budget` seconds;
    only those of `queue` when given (the sweep that each queue's workers run).

    Safe to run twice at once: each effect is claimed before it runs.
    """
    report = SweepReport()
    now = timezone.now()
    stale = SideEffect.objects.filter(status=Status.RUNNING, started_at__lt=now - LEASE)
    lease_note = "The worker running it stopped answering (lease expired)."
    report.expired = stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, finished_at=now, last_error=lease_note
    )
    report.recovered = stale.update(
        status=Status.PENDING, next_attempt_at=now, last_error=lease_note
    )

    started = time.monotonic()
    due = SideEffect.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    if queue is not None:
        due = _on_queue(due, queue)
    last_pk = 0
    while time.monotonic() - started < budget:
        batch = list(
            due.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if not batch:
            break
        for pk in batch:
            if time.monotonic() - started >= budget:
                break
            last_pk = pk
            try:
                outcome = run(pk)
            except Exception:  # the database, most likely: leave it to the next sweep
                logger.exception("Side effect %s could not be run by the sweep", pk)
                continue
            if outcome == Status.DONE:
                report.done += 1
            elif outcome == Status.PENDING:
                report.retrying += 1
            elif outcome == Status.FAILED:
                report.failed += 1
    return report


def counts() -> dict[str, int]:
    """How many effects are pending, running and failed."""
    by_status = dict(
        SideEffect.objects.filter(status__in=[Status.PENDING, Status.RUNNING, Status.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {status: by_status.get(status, 0) for status in ("pending", "running", "failed")}


@transaction.atomic
def retry_failed(*, effects: QuerySet) -> int:
    """Give failed effects a fresh set of attempts (after their cause was fixed)."""
    failed = list(effects.filter(status=Status.FAILED).values_list("pk", "kind"))
    SideEffect.objects.filter(pk__in=[pk for pk, _ in failed], status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), finished_at=None
    )
    for pk, kind in failed:
        transaction.on_commit(lambda pk=pk, kind=kind: _hand_over(pk, kind), robust=True)
    return len(failed)


def statuses(keys) -> dict[str, str]:
    """The status of the effects recorded under `keys` (one query), for a page to show, e.g.
    whether each invitee's e-mail has gone."""
    return dict(SideEffect.objects.filter(key__in=list(keys)).values_list("key", "status"))
