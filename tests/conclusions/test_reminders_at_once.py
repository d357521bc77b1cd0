"""The daily sweep run twice at the same moment: on PostgreSQL by two connections, and by a
real Celery worker (as beat would queue it, twice) while the sweep runs here too. Each
unit's digest is recorded and e-mailed once."""

import threading
from datetime import date

import pytest

from conclusions import reminders
from conclusions.models import ReminderRun
from doluong_dialogue import workdays
from doluong_dialogue.models import Notification, SideEffect
from petitions.models import Assignment
from tests.documents.test_numbers import in_thread
from tests.petitions.helpers import assigned


def overdue_items(staff, unit, today: date, count: int = 3) -> None:
    for number in range(count):
        _petition, assignment = assigned(staff, unit, summary=f"Cống thoát nước số {number}")
        deadline = workdays.add_working_days(today, -(number + 1))
        Assignment.objects.filter(pk=assignment.pk).update(deadline=deadline)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_digest_once(
    reference_data, staff, department, other_department, clock
):
    day = date(2026, 12, 7)
    clock.set(date(2026, 11, 2))
    for unit in (department, other_department):
        overdue_items(staff, unit, day)
    clock.set(day, hour=7)
    start = threading.Barrier(2)

    def sweep():
        start.wait(timeout=10)
        return reminders.reminders_send(on=day)

    runs = [in_thread(sweep) for _ in range(2)]
    for thread, _outcome in runs:
        thread.join(timeout=60)
    outcomes = [outcome for _thread, outcome in runs]
    assert all("error" not in outcome for outcome in outcomes), outcomes
    done = sorted(report.already_done for o in outcomes for report in o["value"])
    assert done == [False, True]  # one swept the day, the other found it swept
    digests = SideEffect.objects.filter(kind=reminders.DIGEST_EMAIL)
    assert digests.count() == 2  # one per unit
    assert ReminderRun.objects.get().day == day
    member_lines = Notification.objects.filter(user__username="kinhte_member")
    assert member_lines.count() == 3


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_worker_and_the_sweep_together_send_each_digest_once(
    reference_data, staff, department, redis_server, settings, tmp_path
):
    """The worker runs on the real date, so the items are overdue as of today."""
    from doluong_dialogue import celery, clock
    from tests.broker import celery_using
    from tests.petitions.test_assignment_email_survives_broker_faults import (
        celery_worker,
        queue_is_drained,
        subjects_in,
        wait_until,
    )

    mail_dir = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    overdue_items(staff, department, clock.today())
    from conclusions.tasks import send_reminders

    with celery_using(redis_server.url), celery_worker(redis_server.url, tmp_path):
        celery.publish(send_reminders)
        celery.publish(send_reminders)
        reminders.reminders_send()
        from doluong_dialogue import side_effects

        side_effects.sweep()
        wait_until(lambda: queue_is_drained(redis_server), "the worker to drain the queue")
        wait_until(
            lambda: not SideEffect.objects.exclude(status=SideEffect.Status.DONE).exists(),
            "every side effect to be done",
        )
    subjects = [subject.strip() for subject in subjects_in(mail_dir)]
    digests = [subject for subject in subjects if subject.startswith("Nhắc việc")]
    if workdays.is_working_day(clock.today()):
        assert len(digests) == 1, digests
        assert "3 quá hạn" in digests[0]
    else:
        assert digests == []  # no digest on a day off
