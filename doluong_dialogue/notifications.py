"""The bell: notifications for a user, each about one thing, told once.

Services and sweeps call `notify` inside their transaction; a key that a user was told of
already adds nothing, so a sweep run twice (or two at once) tells nobody twice::

    notifications.notify(users, key=f"assignment:{a.pk}:overdue", title="KN-2026-000123 quá hạn",
                         url=reverse("petitions:assignment", args=[a.pk]))

The page header shows the unread count (`unread_count`, one query); the notifications page
lists them and marks them read.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from doluong_dialogue import clock
from doluong_dialogue.models import Notification


@dataclass(frozen=True)
class Tell:
    """What to tell some users once: see `notify_all`."""

    users: Sequence
    key: str
    title: str
    url: str = ""
    note: str = ""


def notify_all(tells: Iterable[Tell]) -> int:
    """Tell each user of each `Tell` once, in one insert; how many rows were asked for."""
    now = clock.now()
    rows = [
        Notification(
            user=user,
            key=tell.key[:200],
            title=tell.title[:300],
            note=tell.note[:300],
            url=tell.url[:500],
            created_at=now,
        )
        for tell in tells
        for user in tell.users
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def notify(users: Sequence, *, key: str, title: str, url: str = "", note: str = "") -> int:
    """Tell each user once of `key`."""
    return notify_all([Tell(users, key, title, url, note)])


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user).unread().count()


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them; how many changed."""
    rows = Notification.objects.filter(user=user).unread()
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
