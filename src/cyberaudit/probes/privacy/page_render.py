"""Rendering one page in a browser context: load it, act as a visitor, wait until it is idle, record.

Waits end when the network has been quiet for a moment and no short timer is pending, never after
a fixed sleep, and each is bounded: a request that stays open (long polling, an image that never
ends) does not hold the page, and a page whose `load` event never fires is checked on what had
loaded by then, and says so. Everything seen is kept in a PageRecord as it happens, so a page
abandoned at its deadline still reports what it sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from cyberaudit.probes.privacy.consent import click_accept, click_reject
from cyberaudit.probes.privacy.evidence import ObservedCookie, ObservedRequest, PageEvidence, StorageKey
from cyberaudit.probes.privacy.interact import canvas_reads, fill_forms, move_and_scroll, pending_timers

MAX_REQUESTS_PER_PAGE = 2000
MAX_FRAMES = 20
MAX_FRAME_HTML = 1024 * 1024
MAX_BODY = 64 * 1024  # of each POST body or WebSocket frame kept for the canary search
MAX_BODIES = 8 * 1024 * 1024  # of all bodies kept for one page: a chatty recorder must not fill memory
LOAD_WAIT = 10.0  # seconds to wait for `load` before checking what has loaded
QUIET = 0.35  # seconds without a request starting or ending that count as idle
LONG_OPEN = 1.5  # a request open this long (long polling, a stalled image) no longer holds the page
SETTLE_MAX = 3.0  # after load, after a banner click: tags fired late get this long at most
TYPED_SETTLE_MAX = 2.0  # after typing: blur handlers and batched beacons
STEP_TIMEOUT = 5.0  # one read of the DOM; a page whose script never yields gets no longer
INCOMPLETE = "the page had not finished loading after {s:g} s; checked what had loaded"
BUSY_ERROR = "a script on the page kept the browser busy (it never yielded)"
BUSY = f"{BUSY_ERROR}; checked the HTML as served and the requests made until then"


class Stuck(Exception):
    """The page stopped answering (a script that never yields)."""


@dataclass
class PageRecord:
    """What a page did so far, filled by the browser's events while it renders."""

    requests: list[ObservedRequest] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    open: dict[int, float] = field(default_factory=dict)  # id(request) -> when it started
    last_activity: float = field(default_factory=time.monotonic)
    typing: bool = False
    kept: int = 0
    response: Any = None
    status: int | None = None
    final_url: str | None = None

    def keep(self, data: bytes) -> bytes:
        part = data[:max(0, min(MAX_BODY, MAX_BODIES - self.kept))]
        self.kept += len(part)
        return part

    def on_request(self, req: Any) -> None:
        now = time.monotonic()
        self.last_activity = now
        self.open[id(req)] = now
        if len(self.requests) < MAX_REQUESTS_PER_PAGE:
            try:
                body = req.post_data_buffer or b""
                headers = tuple(req.headers.items())
            except Exception:  # a body Playwright cannot decode: the URL is still worth keeping
                body, headers = b"", ()
            self.requests.append(ObservedRequest(req.url, req.resource_type, method=req.method, headers=headers,
                                                 body=self.keep(body), after_typing=self.typing))

    def on_done(self, req: Any) -> None:
        self.last_activity = time.monotonic()
        self.open.pop(id(req), None)

    def on_failed(self, req: Any) -> None:
        self.on_done(req)
        self.failures[req.url] = req.failure or "failed"

    def on_socket(self, ws: Any) -> None:
        def sent(payload: str | bytes) -> None:
            self.last_activity = time.monotonic()
            if len(self.requests) < MAX_REQUESTS_PER_PAGE:
                data = payload.encode() if isinstance(payload, str) else payload
                self.requests.append(ObservedRequest(ws.url, "websocket", method="WS", body=self.keep(data),
                                                     after_typing=self.typing))
        ws.on("framesent", sent)

    def busy(self) -> bool:
        """A request started lately is still open, or one started or ended a moment ago."""
        now = time.monotonic()
        return now - self.last_activity < QUIET or any(now - t < LONG_OPEN for t in self.open.values())

    def recorded(self) -> tuple[ObservedRequest, ...]:
        return tuple(replace(r, failed=self.failures.get(r.url)) for r in self.requests)


async def _bounded(coro: Any, seconds: float) -> Any:
    try:
        return await asyncio.wait_for(coro, seconds)
    except asyncio.TimeoutError:
        raise Stuck from None


async def _idle(page: Any, rec: PageRecord, until: float) -> None:
    """Until the network is quiet and no short timer is pending, or `until`."""
    while time.monotonic() < until:
        if not rec.busy():
            try:
                timers = await asyncio.wait_for(pending_timers(page), 1.0)
            except asyncio.TimeoutError:
                return  # the page stopped answering: the next read says so
            if timers == 0 and not rec.busy():
                return
        await asyncio.sleep(0.05)


async def _loaded(page: Any, rec: PageRecord, events: dict[str, asyncio.Event], until: float) -> bool:
    """True once `load` fired; False at `until`, or once the document is parsed and only requests
    that stay open (long polling, a stalled image) are left."""
    quiet_since: float | None = None
    while time.monotonic() < until:
        if events["load"].is_set():
            return True
        if events["domcontentloaded"].is_set() and not rec.busy():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= LONG_OPEN:
                return False
        else:
            quiet_since = None
        await asyncio.sleep(0.05)
    return events["load"].is_set()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return re.sub(r"^(Page|Frame|BrowserContext)\.\w+: ", "", first)[:300]


async def _storage_keys(page: Any) -> list[StorageKey]:
    out: list[StorageKey] = []
    for frame in page.frames:
        try:
            keys = await asyncio.wait_for(frame.evaluate(
                "() => { try { return Object.keys(window.localStorage) } catch (e) { return [] } }"), 2)
        except Exception:  # a detached or cross-process frame: nothing to read
            continue
        parts = urlsplit(frame.url)
        out.extend(StorageKey(f"{parts.scheme}://{parts.netloc}", str(k)) for k in keys[:500])
    return out


async def _frame_documents(page: Any) -> list[tuple[str, str]]:
    """Rendered HTML of embedded frames (an intake form inside a vendor's iframe), capped."""
    out: list[tuple[str, str]] = []
    for frame in page.frames[1:MAX_FRAMES + 1]:
        if not frame.url.startswith(("http://", "https://")):
            continue
        try:
            out.append((frame.url, (await asyncio.wait_for(frame.content(), 2))[:MAX_FRAME_HTML]))
        except Exception:  # a frame detached while it was read: nothing to add
            continue
    return out


@dataclass(frozen=True)
class Visit:
    """How to visit a page: the consent choice to click, whether to type, the time allowed."""

    consent: str | None  # accept, reject or None
    type_into_forms: bool
    page_timeout: float


async def render_page(context: Any, rec: PageRecord, page_name: str, url: str, deadline: float,
                      visit: Visit) -> PageEvidence:
    """Load `url` in a new tab of `context`, act as a visitor would, and return what it did."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    end = min(deadline - 0.5, time.monotonic() + visit.page_timeout)
    cookies_before = {(c["name"], c["domain"]) for c in await context.cookies()}
    context.on("request", rec.on_request)
    context.on("requestfinished", rec.on_done)
    context.on("requestfailed", rec.on_failed)
    page = await context.new_page()
    events = {name: asyncio.Event() for name in ("load", "domcontentloaded")}
    page.on("load", lambda _p: events["load"].set())
    page.on("domcontentloaded", lambda _p: events["domcontentloaded"].set())
    page.on("websocket", rec.on_socket)
    typed: list = []
    canvas: list = []
    clicked: str | None = None
    before_click: tuple[ObservedRequest, ...] = ()
    html: str | None = None
    error: str | None = None
    incomplete: str | None = None
    partial: str | None = None
    frames: list[tuple[str, str]] = []
    storage: list[StorageKey] = []
    started = time.monotonic()
    try:
        budget = max(0.5, end - started)
        try:
            rec.response = await page.goto(url, wait_until="commit", timeout=budget * 1000)
            rec.status = rec.response.status if rec.response is not None else None
            rec.final_url = page.url
        except PlaywrightTimeout:
            error = f"the page did not finish loading within {budget:g}s: nothing had arrived"
        except PlaywrightError as exc:
            error = _short(exc)
        if error is None:
            try:
                if not await _loaded(page, rec, events, min(end, started + LOAD_WAIT)):
                    incomplete = INCOMPLETE.format(s=round(time.monotonic() - started, 1))
                rec.final_url = page.url
                await _bounded(move_and_scroll(page), 2.0)
                await _idle(page, rec, min(end, time.monotonic() + SETTLE_MAX))
                before_click = tuple(rec.requests)
                if visit.consent == "accept" and await _bounded(click_accept(page, 1500), STEP_TIMEOUT):
                    clicked = "accepted"
                elif visit.consent == "reject" and await _bounded(click_reject(page, 1500), STEP_TIMEOUT):
                    clicked = "rejected"
                if clicked:
                    await _idle(page, rec, min(end, time.monotonic() + SETTLE_MAX))
                if visit.type_into_forms:
                    rec.typing = True
                    typed = await _bounded(fill_forms(page, end - 1.0), max(1.0, end - time.monotonic()))
                    if typed:
                        await _idle(page, rec, min(end, time.monotonic() + TYPED_SETTLE_MAX))
                canvas = await _bounded(canvas_reads(page), STEP_TIMEOUT)
                html = await _bounded(page.content(), STEP_TIMEOUT)
                frames = await _frame_documents(page)
                storage = await _storage_keys(page)
            except Stuck:
                error = BUSY_ERROR
            except PlaywrightError as exc:
                error = _short(exc)
        cookies: list[ObservedCookie] = []
        with contextlib.suppress(PlaywrightError, asyncio.TimeoutError):  # the browser may have been stopped
            cookies = [ObservedCookie(c["name"], c["domain"].lstrip("."))
                       for c in await asyncio.wait_for(context.cookies(), 2)
                       if (c["name"], c["domain"]) not in cookies_before]
    finally:
        context.remove_listener("request", rec.on_request)
        context.remove_listener("requestfinished", rec.on_done)
        context.remove_listener("requestfailed", rec.on_failed)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(page.close(), 3)
    if incomplete and html is not None:
        partial = "; ".join(p for p in (partial, incomplete) if p)
    return PageEvidence(page=page_name, url=url, final_url=rec.final_url or url, status=rec.status, html=html,
                        error=error, requests=rec.recorded(), cookies=tuple(cookies), storage=tuple(storage),
                        frames=tuple(frames), typed=tuple(typed), canvas=tuple(canvas), consent=clicked,
                        consent_before=before_click if clicked else (), partial=partial,
                        incomplete=incomplete if html is not None else None)
