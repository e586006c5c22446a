"""A site's remaining fetches one after another, or several at once once the site has proved slow.

A site that takes half a second a response spent seconds on a crawl of a few pages fetched in turn,
while a fast one gains nothing from more connections (each costs a new TLS handshake). Results come
back in the order asked for either way, so the facts never depend on which answer came first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, Protocol, TypeVar

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
        self.parallel = parallel
        # background checks (redirect, security.txt, sitemap) beside a batch of pages
        self._pool = ThreadPoolExecutor(max_workers=width + 2, thread_name_prefix="http") if parallel else None

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
