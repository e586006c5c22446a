"""Being a good guest at scale: connections per IP address, connections per second, retries.

One Network (one scan, or one worker of it) shares a Politeness: every TCP connection the probes
open goes through `opening()`, which waits for a free slot on that IP address and for the global
rate, and retries a failed connect (never a TLS or HTTP answer) with exponential backoff.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PolitenessSettings:
    per_ip: int = 4  # connections being opened or waiting for an answer at once, per IP address
    rate: float | None = None  # new connections a second, across the whole scan
    connect_retries: int = 1  # extra attempts after a failed connect
    backoff: float = 0.25  # seconds before the first retry; doubled each time


class Politeness:
    def __init__(self, settings: PolitenessSettings | None = None) -> None:
        self.settings = settings or PolitenessSettings()
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start = 0.0

    def _slot(self, ip: str) -> threading.BoundedSemaphore:
        with self._lock:
            slot = self._slots.get(ip)
            if slot is None:
                slot = self._slots[ip] = threading.BoundedSemaphore(max(1, self.settings.per_ip))
            return slot

    def _wait_rate(self, deadline: float | None) -> None:
        rate = self.settings.rate
        if not rate:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + 1.0 / rate
        delay = start - now
        if deadline is not None:
            delay = min(delay, max(0.0, deadline - now))
        if delay > 0:
            time.sleep(delay)

    def hold(self, ip: str, deadline: float | None = None) -> Callable[[], None]:
        """Take one of this IP address's slots (waiting at most until `deadline`); returns the
        function that gives it back, which may be called more than once."""
        if self.settings.per_ip <= 0:
            return _nothing
        sem = self._slot(ip)
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not sem.acquire(timeout=timeout):
            raise TimeoutError(f"no free connection slot for {ip} before the deadline "
                               f"({self.settings.per_ip} connections to it already open)")
        released = threading.Event()
        lock = threading.Lock()

        def release() -> None:
            with lock:
                if not released.is_set():
                    released.set()
                    sem.release()

        return release

    def connect(self, ip: str, attempt: Callable[[], T], deadline: float | None = None) -> T:
        """Run `attempt` (a TCP connect) under the rate limit, retrying a refused or reset connect with
        backoff (a server whose accept queue overflowed answers so); timeouts are not retried."""
        delay = self.settings.backoff
        for n in range(self.settings.connect_retries + 1):
            self._wait_rate(deadline)
            try:
                return attempt()
            except TimeoutError:
                raise  # it already waited the whole connect timeout: a retry would double a dead host's cost
            except OSError:
                last = n == self.settings.connect_retries
                if last or (deadline is not None and time.monotonic() + delay >= deadline):
                    raise
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


def _nothing() -> None:
    pass
