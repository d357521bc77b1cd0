"""Production settings plus the test hooks: for worker processes that a test starts."""

from doluong_dialogue.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.worker_hooks"]  # noqa: F405
