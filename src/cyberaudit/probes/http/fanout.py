"""A site's remaining fetches one after another, or several at once once the site has proved slow.

A site that takes half a second a response spent seconds on a crawl of a few pages fetched in turn,
while a fast one gains nothing from more connections (each costs a new TLS handshake). Results come
back in the order asked for either way, so the facts never depend on which answer came first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, Protocol, TypeVar

from cyberaudit import alarms
from cyberaudit.network import FetchResult

T = TypeVar("T")
R = TypeVar("R")
T_co = TypeVar("T_co", covariant=True)

SLOW_MS = 250  # a response slower than this waits on the server or the network, not on us
WIDTH = 4  # pages fetched at once from one site; the scan's per-IP limit still applies across probes


class Job(Protocol[T_co]):
    """A call started by Fanout.later: a Future on the pool, or a call made when asked (inline)."""

    def result(self) -> T_co: ...
    def done(self) -> bool: ...
    def cancel(self) -> bool: ...


class _Later(Generic[T]):
    """A call made when its result is first asked for (inline mode)."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        self._fn, self._args = fn, args
        self._done = False
        self._value: T | None = None

    def result(self) -> T:
        if not self._done:
            self._value, self._done = self._fn(*self._args), True
        return self._value  # type: ignore[return-value]

    def done(self) -> bool:
        return self._done

    def cancel(self) -> bool:
        return not self._done  # never asked for: never made


def is_slow(result: FetchResult | None) -> bool:
    """The site's first fetch had a response slower than SLOW_MS."""
    return result is not None and any(r.elapsed_ms >= SLOW_MS for r in result.chain)


class Fanout:
    """Runs calls inline, or on a small pool of threads when `parallel`; closing waits for every call."""

    def __init__(self, parallel: bool, width: int = WIDTH) -> None:
        self.width = width
        self.parallel = False
        self._pool: ThreadPoolExecutor | None = None
        if parallel:
            self.widen()

    def widen(self) -> None:
        """Run the calls started from now on on the pool (calls already made inline stay so)."""
        if self._pool is None:
            # background checks (redirect, security.txt, sitemap) beside a batch of pages
            self._pool = ThreadPoolExecutor(max_workers=self.width + 2, thread_name_prefix="http")
            self.parallel = True

    def later(self, fn: Callable[..., T], *args: Any) -> Job[T]:
        """Start fn now on the pool, or run it inline when its result is asked for."""
        if self._pool is None:
            return _Later(fn, args)
        future: Future[T] = self._pool.submit(fn, *args)
        return future

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """fn over items, results in the items' order."""
        if self._pool is None:
            return [fn(i) for i in items]
        return list(self._pool.map(fn, items))

    def close(self) -> None:
        # every call is bounded by the probe's deadline: waiting means no fetch outlives the probe
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def __enter__(self) -> Fanout:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EarlyStart(Generic[T]):
    """Widens `fan` and calls `start` once, `after` seconds from now, unless settled before then.

    The site's first answer settles it: a site that has not answered in SLOW_MS has its checks that
    need no page (redirect, security.txt, sitemap) started while its first page is still coming.
    """

    def __init__(self, fan: Fanout, start: Callable[[], T], after: float = SLOW_MS / 1000) -> None:
        self._fan, self._start = fan, start
        self._lock = threading.Lock()
        self._settled = False
        self._value: T | None = None
        self._alarm = alarms.call_at(time.monotonic() + after, self._fire)

    def _fire(self) -> None:
        with self._lock:  # settle() waits for a start under way, so it never sees half of one
            if not self._settled:
                self._settled = True
                self._fan.widen()
                self._value = self._start()

    def settle(self) -> T | None:
        """Stop a start not yet made; what a start already made returned, else None."""
        self._alarm.cancel()
        with self._lock:
            self._settled = True
            return self._value
