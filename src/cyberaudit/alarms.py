"""Callbacks run at a deadline by one shared thread.

A scan arms a deadline for every connection and every response body. A `threading.Timer` each would
start (and wait for) a new thread per fetch, thousands in a large scan; one thread with a heap of
deadlines does the same work for all of them.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import threading
import time
from collections.abc import Callable


class Alarm:
    """A callback due at a monotonic time; `cancel()` before then and it never runs."""

    __slots__ = ("when", "_callback", "_clock")

    def __init__(self, when: float, callback: Callable[[], object], clock: _Clock) -> None:
        self.when = when
        self._callback: Callable[[], object] | None = callback
        self._clock = clock

    def cancel(self) -> None:
        """Never run the callback; it is let go of at once (with the connection it holds)."""
        self._clock._settle(self)

    @property
    def pending(self) -> bool:
        return self._callback is not None


class _Clock:
    """The heap of alarms and the thread that fires them."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, Alarm]] = []
        self._seq = itertools.count()
        self._pending = 0
        self._thread: threading.Thread | None = None

    def call_at(self, when: float, callback: Callable[[], object]) -> Alarm:
        alarm = Alarm(when, callback, self)
        with self._cond:
            heapq.heappush(self._heap, (when, next(self._seq), alarm))
            self._pending += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True, name="cyberaudit-alarms")
                self._thread.start()
            elif self._heap[0][2] is alarm:
                self._cond.notify()
        return alarm

    def _settle(self, alarm: Alarm) -> Callable[[], object] | None:
        """Take the alarm's callback away (it is due or cancelled); None if it was already."""
        with self._cond:
            callback, alarm._callback = alarm._callback, None
            if callback is not None:
                self._pending -= 1
                if not self._pending:
                    self._cond.notify()
        return callback

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if not self._pending:
                        # nothing left to fire: the thread ends, so no thread outlives the work
                        # (and a process with no other thread may still fork its workers)
                        self._heap.clear()
                        self._thread = None
                        return
                    while not self._heap[0][2].pending:
                        heapq.heappop(self._heap)
                    if self._heap[0][0] <= time.monotonic():
                        due = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(self._heap[0][0] - time.monotonic())
            callback = self._settle(due)
            if callback is not None:
                # one failing callback must not stop every later deadline
                with contextlib.suppress(Exception):
                    callback()


_clock = _Clock()


def _reset_after_fork() -> None:
    # a forked worker process has no alarm thread: it starts its own on first use
    global _clock
    _clock = _Clock()


os.register_at_fork(after_in_child=_reset_after_fork)


def call_at(when: float, callback: Callable[[], object]) -> Alarm:
    """Run `callback` on the alarm thread at monotonic time `when` (at once if it has passed)."""
    return _clock.call_at(when, callback)
