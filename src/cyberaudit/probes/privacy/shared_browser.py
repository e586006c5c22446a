"""One headless Chromium for a whole scan, shared by every website's browser check.

Starting Chromium costs a second or more and each instance holds 100+ MB; a scan of many sites
started one per site. Websites whose browser settings (resolver rules, trusted keys) are the same
now share one: each site gets its own browser context (fresh cookies and storage), and pages of
all sites render at once, up to PAGES_AT_ONCE.

Playwright's objects belong to one event loop, so the browser is driven from one long-lived thread
running asyncio (which also starts Chromium: its parent-death signal follows that thread); probe
threads hand it coroutines and wait for them with their own deadlines.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

from cyberaudit.errors import ProbeError
from cyberaudit.probes.privacy.chromium import ChromiumProcess

T = TypeVar("T")

PAGES_AT_ONCE = max(2, min(6, 2 * len(os.sched_getaffinity(0))))  # mostly waiting on the network: a few per core
LINGER_SECONDS = 2.0  # an unused browser waits this long for the next website before it stops


class SharedBrowser:
    """A Chromium process, the asyncio thread that drives it, and a bound on pages at once."""

    def __init__(self, key: tuple[str, ...], executable: str, args: list[str]) -> None:
        self.key = key
        self.executable = executable
        self.args = args
        self.users = 0
        self.broken: str | None = None
        self.browser: Any = None
        self.slots: asyncio.Semaphore | None = None
        self._started = threading.Event()
        self._failure: ProbeError | None = None
        self._loop = asyncio.new_event_loop()
        self._chromium: ChromiumProcess | None = None
        self._playwright: Any = None
        self._profile = Path(tempfile.mkdtemp(prefix="cyberaudit-chromium-"))
        self._linger: threading.Timer | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="cyberaudit-browser")

    # -- life cycle ---------------------------------------------------------------------------
    def start(self, timeout: float) -> None:
        self._timeout = timeout
        self._thread.start()

    def wait_started(self, deadline: float) -> None:
        """Block until the browser is up; ProbeError when it failed or the deadline came first."""
        if not self._started.wait(max(0.0, deadline - time.monotonic())):
            raise ProbeError("the browser took the probe's whole time to start (the machine is busy?); "
                             "no page could be rendered")
        if self._failure is not None:
            raise self._failure

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._chromium = ChromiumProcess(self.executable, self.args, self._profile)
            endpoint = self._chromium.start(timeout=self._timeout)
            self._loop.run_until_complete(self._connect(endpoint, self._timeout))
        except ProbeError as exc:
            self._failure = exc
        except Exception as exc:  # Playwright could not attach: one line, the browser stopped
            self._failure = ProbeError(f"cannot drive Chromium: {str(exc).strip().splitlines()[0][:300]}")
        if self._failure is not None:
            self.broken = str(self._failure)
            self._stop_process()
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()

    async def _connect(self, endpoint: str, timeout: float) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.connect_over_cdp(endpoint, timeout=timeout * 1000)
        self.slots = asyncio.Semaphore(PAGES_AT_ONCE)

    def call(self, coro: Coroutine[Any, Any, T], deadline: float) -> T:
        """Run `coro` on the browser's loop; TimeoutError (the coroutine cancelled) at `deadline`."""
        if self.broken is not None:
            coro.close()
            raise ProbeError(f"the browser stopped: {self.broken}")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout=max(0.05, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError from None

    def alive(self) -> bool:
        """Usable still: not marked broken, and its Chromium (once started) has not exited. A
        lingering browser can be ended by another command's clean-up, a crash or the OOM killer."""
        if self.broken is not None:
            return False
        proc = self._chromium.proc if self._chromium is not None else None
        return proc is None or proc.poll() is None

    def kill(self, why: str) -> None:
        """Stop the browser now (it stopped answering); every website using it gets an error."""
        self.broken = why
        if self._chromium is not None:
            self._chromium.kill()

    def close(self) -> None:
        """Normal end: Playwright detached, Chromium stopped, the thread ended, the profile removed."""
        if self._started.is_set() and self._loop.is_running():
            async def detach() -> None:
                with contextlib.suppress(Exception):
                    if self.browser is not None:
                        await asyncio.wait_for(self.browser.close(), 5)
                with contextlib.suppress(Exception):
                    if self._playwright is not None:
                        await asyncio.wait_for(self._playwright.stop(), 5)
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(detach(), self._loop).result(12)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        self._stop_process()

    def _stop_process(self) -> None:
        if self._chromium is not None:
            self._chromium.stop()
        shutil.rmtree(self._profile, ignore_errors=True)


_lock = threading.Lock()
_browsers: dict[tuple[str, ...], SharedBrowser] = {}


@contextlib.contextmanager
def lease(executable: str, args: list[str], deadline: float) -> Iterator[SharedBrowser]:
    """The scan's browser for these settings, started on first use and stopped when unused."""
    key = (executable, *args)
    with _lock:
        shared = _browsers.get(key)
        if shared is not None and not shared.alive() and shared.broken is None:
            # its own linger timer (or last user) still closes it; the next website gets a new one
            shared.broken = "its Chromium process ended"
        if shared is None or shared.broken is not None:
            shared = SharedBrowser(key, executable, args)
            _browsers[key] = shared
            # start-up gets at least a few seconds even near the deadline: a busy machine is slow
            shared.start(timeout=max(5.0, min(30.0, deadline - time.monotonic())))
        shared.users += 1
        if shared._linger is not None:
            shared._linger.cancel()
            shared._linger = None
    try:
        shared.wait_started(max(deadline, time.monotonic() + 5.0))
        yield shared
    finally:
        with _lock:
            shared.users -= 1
            if shared.users == 0:
                wait = 0.0 if shared.broken is not None else LINGER_SECONDS
                shared._linger = threading.Timer(wait, _close_if_unused, args=(shared,))
                shared._linger.daemon = True
                shared._linger.start()


def _close_if_unused(shared: SharedBrowser) -> None:
    with _lock:
        if shared.users:
            return
        if _browsers.get(shared.key) is shared:
            del _browsers[shared.key]
    shared.close()


def close_all() -> None:
    """Stop every idle shared browser now (the end of a scan, a test)."""
    with _lock:
        idle = [b for b in _browsers.values() if b.users == 0]
        for b in idle:
            del _browsers[b.key]
            if b._linger is not None:
                b._linger.cancel()
    for b in idle:
        b.close()
