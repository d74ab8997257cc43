"""The app's password hasher, instrumented: tests assert the work done, not the time taken."""

from __future__ import annotations

import threading

from prize.web.security import Passwords


class CountingPasswords(Passwords):
    """The real hasher, counting how many passwords it hashed and checked."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hashed = 0
        self.verified = 0
        self._counting = threading.Lock()  # hashes run in worker threads

    def hash(self, password: str) -> str:
        with self._counting:
            self.hashed += 1
        return super().hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        with self._counting:
            self.verified += 1
        return super().verify(password_hash, password)


class GatedPasswords(Passwords):
    """A hasher that, once asked, waits until the test opens the gate (at most `wait` s).

    If hashing ran in the event loop, nothing could open the gate while it waits: the
    wait would time out, and `timed_out` says so.
    """

    def __init__(self, *args, wait: float = 3.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked = threading.Event()
        self.gate = threading.Event()
        self.wait = wait
        self.timed_out = False

    def _hold(self) -> None:
        self.asked.set()
        if not self.gate.wait(self.wait):
            self.timed_out = True

    def hash(self, password: str) -> str:
        self._hold()
        return super().hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        self._hold()
        return super().verify(password_hash, password)
