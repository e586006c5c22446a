"""Being a good guest at scale: connections per IP address, connections per second, retries.

One Network shares a Politeness: every TCP connection the probes open goes through `hold()` and
`connect()`, which wait for a free slot on that IP address and for the global rate, and retry a
failed connect (never a TLS or HTTP answer) with exponential backoff. The worker processes of one
scan share their slots and their rate through a SharedLimits, so the limits hold for the whole scan.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PolitenessSettings:
    per_ip: int = 4  # connections being opened or waiting for an answer at once, per IP address
    rate: float | None = None  # new connections a second, across the whole scan
    connect_retries: int = 1  # extra attempts after a failed connect
    backoff: float = 0.25  # seconds before the first retry; doubled each time


class SharedLimits:
    """Connections open per IP address and the next connection's start time, in memory shared by
    the worker processes of one scan. Made by the parent before its workers start."""

    # IP addresses are counted in buckets by hash: two addresses sharing a bucket share its slots,
    # which can only make the scan gentler than asked, never rougher
    BUCKETS = 4093

    def __init__(self, ctx: Any) -> None:
        # a plain process-shared lock (a C semaphore): a shared Condition's notify costs more
        # Python work per release than the scan spends on the connection it guards
        self._lock = ctx.Lock()
        self._counts = ctx.RawArray("i", self.BUCKETS)
        self._next_start = ctx.RawValue("d", 0.0)

    def acquire(self, ip: str, limit: int, deadline: float | None) -> bool:
        bucket = zlib.crc32(ip.encode()) % self.BUCKETS
        pause = 0.001
        while True:
            with self._lock:
                if self._counts[bucket] < limit:
                    self._counts[bucket] += 1
                    return True
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            # the slot is taken: look again soon, then less often while it stays taken
            time.sleep(pause if left is None else min(pause, left))
            pause = min(pause * 2, 0.02)

    def release(self, ip: str) -> None:
        bucket = zlib.crc32(ip.encode()) % self.BUCKETS
        with self._lock:
            self._counts[bucket] = max(0, self._counts[bucket] - 1)

    def next_start(self, interval: float) -> float:
        """Book the next connection start, `interval` after the last one booked by any worker."""
        with self._lock:
            start = max(time.monotonic(), self._next_start.value)
            self._next_start.value = start + interval
        return start


class Politeness:
    def __init__(self, settings: PolitenessSettings | None = None, shared: SharedLimits | None = None) -> None:
        self.settings = settings or PolitenessSettings()
        self._shared = shared
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
        now = time.monotonic()
        if self._shared is not None:
            start = self._shared.next_start(1.0 / rate)
        else:
            with self._lock:
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
        shared = self._shared
        if shared is not None:
            taken = shared.acquire(ip, self.settings.per_ip, deadline)
            give_back: Callable[[], None] = lambda: shared.release(ip)  # noqa: E731
        else:
            sem = self._slot(ip)
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            taken = sem.acquire(timeout=timeout)
            give_back = sem.release
        if not taken:
            raise TimeoutError(f"no free connection slot for {ip} before the deadline "
                               f"({self.settings.per_ip} connections to it already open)")
        released = threading.Event()
        lock = threading.Lock()

        def release() -> None:
            with lock:
                if not released.is_set():
                    released.set()
                    give_back()

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
