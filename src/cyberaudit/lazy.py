"""Values built once per process and shared by every thread of a scan."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


def once(fn: Callable[..., T]) -> Callable[..., T]:
    """Like functools.cache, but one thread builds each value while the others wait for it.

    functools.cache lets every thread that misses build its own copy at the same time: on a scan
    of many targets that parsed the Public Suffix List once per worker thread.
    """
    lock = threading.RLock()
    results: dict[tuple[Hashable, ...], Any] = {}

    @functools.wraps(fn)
    def wrapper(*args: Hashable) -> T:
        try:
            return results[args]
        except KeyError:
            pass
        with lock:
            if args not in results:
                results[args] = fn(*args)
            return results[args]

    wrapper.cache_clear = results.clear  # type: ignore[attr-defined]
    return wrapper
