"""Hooks for worker processes a test starts (settings: tests.worker_hooks.settings).

With HOLD_DIR set, a document's build and a digest e-mail stop at a known point: they write
a file named for what they reached into HOLD_DIR, then wait there until the test kills the
worker (or, should it never do so, until a file "release" appears or a minute passes). The
render has claimed its record and the side effect is running; the e-mail is not yet sent.
"""

import os
import time
from pathlib import Path

from django.apps import AppConfig

HELD_BUILDER = "tests.held_minutes"


def hold(point: str) -> None:
    directory = os.environ.get("HOLD_DIR")
    if not directory:
        return
    directory = Path(directory)
    (directory / f"{point}.{os.getpid()}").touch()
    deadline = time.monotonic() + 60
    while not (directory / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def build_minutes(object_id: int):
    """A two-page Party-format minutes, as the documents tests draw it."""
    from tests.documents import samples

    hold("render")
    doc = samples.minutes()
    doc.summary = f"Biên bản hội nghị số {object_id}"
    return doc


class WorkerHooksConfig(AppConfig):
    name = "tests.worker_hooks"
    label = "worker_hooks"

    def ready(self) -> None:
        from conclusions import reminders
        from doluong_dialogue import side_effects
        from doluong_dialogue.documents import renders

        renders._builders[HELD_BUILDER] = renders.Builder(
            build=build_minutes, may_read=lambda user, pk: False
        )
        send_digest = side_effects._handlers[reminders.DIGEST_EMAIL]

        def held_digest(**payload) -> None:
            hold("digest")
            send_digest(**payload)

        side_effects._handlers[reminders.DIGEST_EMAIL] = held_digest
