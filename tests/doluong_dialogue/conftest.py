import threading

import pytest

from doluong_dialogue import side_effects


class Notes:
    """A side-effect handler that writes down each call, and fails while told to."""

    kind = "tests.note"

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.failure: Exception | None = None
        self.during_call = None  # something to do while "sending"
        self._lock = threading.Lock()

    def __call__(self, **payload) -> None:
        with self._lock:
            self.calls.append(payload)
        if self.during_call:
            self.during_call()
        if self.failure:
            raise self.failure

    def schedule(self, key: str, **payload):
        return side_effects.schedule(self.kind, key=key, **payload)


@pytest.fixture
def notes(monkeypatch) -> Notes:
    handler = Notes()
    monkeypatch.setitem(side_effects._handlers, Notes.kind, handler)
    return handler
