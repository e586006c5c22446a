"""Browser mode: render pages in headless Chromium (Playwright) and record what they really load.

cyberaudit starts Chromium itself (privacy/chromium.py) and drives it with Playwright over the
DevTools protocol, so a page that never yields can be stopped at the probe's deadline.

Tag managers inject most trackers at run time, which static HTML cannot show. Chromium runs with a
fresh profile, resolves names through the scan's --resolve/--connect-to/address:/--nameserver
settings (as --host-resolver-rules) and, when the scan points names at chosen addresses, fails
every other name instead of reaching the internet. Requests to such names are still recorded.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import shutil
import ssl
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cyberaudit.errors import InputError, ProbeError
from cyberaudit.network import Network, is_ip, site_of
from cyberaudit.probes.privacy.chromium import ChromiumProcess
from cyberaudit.probes.privacy.consent import click_accept, click_reject
from cyberaudit.probes.privacy.evidence import ObservedCookie, ObservedRequest, PageEvidence, StorageKey
from cyberaudit.probes.privacy.interact import INIT_SCRIPT, canvas_reads, fill_forms

ENV_CHROMIUM = "CYBERAUDIT_CHROMIUM"
_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = ("--browser needs Chromium and Playwright for Python: install Chromium "
                "(Debian/Ubuntu: `apt-get install chromium`, or set CYBERAUDIT_CHROMIUM to a Chromium "
                "binary) and `pip install 'cyberaudit[browser]'`")
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage")
MAX_REQUESTS_PER_PAGE = 2000
MAX_FRAMES = 20
MAX_FRAME_HTML = 1024 * 1024
MAX_BODY = 64 * 1024  # of each POST body or WebSocket frame kept for the canary search
MAX_BODIES = 8 * 1024 * 1024  # of all bodies kept for one page: a chatty recorder must not fill memory
_TYPED_SETTLE_MS = 1200  # after typing: time for blur handlers and batched beacons to send
_SETTLE_MS = 2500  # after "load": time for tag managers to fire their tags


def chromium_path() -> str | None:
    """The Chromium binary to use: $CYBERAUDIT_CHROMIUM, else the system's chromium."""
    env = os.environ.get(ENV_CHROMIUM)
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    for name in _CANDIDATES:
        found = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if found:
            return found
    return None


def check_browser_available() -> str:
    """The Chromium path for --browser; InputError (one line, how to install) when it cannot run."""
    path = chromium_path()
    if path is None:
        where = f" ({ENV_CHROMIUM}={os.environ[ENV_CHROMIUM]} is not an executable file)" \
            if os.environ.get(ENV_CHROMIUM) else ""
        raise InputError(f"no Chromium browser found{where}. {INSTALL_HINT}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise InputError(f"Playwright for Python is not installed. {INSTALL_HINT}") from None
    return path


def _target(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class ResolverPlan:
    """Chromium's --host-resolver-rules and the (host, port) pairs they send to chosen addresses."""

    rules: str
    mapped: tuple[tuple[str, int], ...]
    confined: bool


def resolver_plan(network: Network, hosts: Iterable[tuple[str, int]], confine: bool) -> ResolverPlan:
    """Rules that send every overridden host:port where the scan sends it; others fail when confined."""
    pairs: dict[tuple[str, int], tuple[str, int]] = {}
    settings = network.settings
    for (host, port), addr in settings.resolve.items():
        pairs[(host, port)] = (addr, port)
    for (host, port), dest in settings.connect_to.items():
        pairs[(host, port)] = dest
    for host, port in hosts:
        if (host, port) not in pairs and not is_ip(host):
            dest = network.address_for(host, port)  # address:, --nameserver
            if dest != (host, port):
                pairs[(host, port)] = dest
    rules = [f"MAP {host}:{port} {_target(*dest)}" for (host, port), dest in sorted(pairs.items())]
    if confine:
        rules.append("MAP * ~NOTFOUND")
    return ResolverPlan(", ".join(rules), tuple(sorted(pairs)), confine)


def _spki_hash(der: bytes) -> str:
    cert = x509.load_der_x509_certificate(der)
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def trusted_leaf_keys(network: Network, pairs: Iterable[tuple[str, int]], timeout: float) -> list[str]:
    """SPKI hashes of the certificates that verify against the scan's CA bundle (--ca-bundle).

    Chromium cannot be given extra trust anchors per run, but it can be told to accept given keys.
    Each mapped host's certificate is verified here first, with the same trust as every other
    connection of the scan; only keys that pass are handed to Chromium.
    """
    context = ssl.create_default_context(cafile=network.ca_bundle_path())

    def key_of(pair: tuple[str, int]) -> str | None:
        host, port = pair
        try:
            sock = network.connect(host, port, timeout=timeout)
        except ProbeError:
            return None
        try:
            sock.settimeout(timeout)
            with context.wrap_socket(sock, server_hostname=host) as tls:
                der = tls.getpeercert(binary_form=True)
                return _spki_hash(der) if der else None
        except (ssl.SSLError, OSError, ValueError):
            return None
        finally:
            sock.close()

    pairs = list(pairs)
    if not pairs:
        return []
    # in parallel, so one hung host costs one timeout, not one per host
    with ThreadPoolExecutor(max_workers=min(16, len(pairs))) as pool:
        found = list(pool.map(key_of, pairs))
    return sorted({k for k in found if k})


def _storage_keys(page: object) -> list[StorageKey]:
    out: list[StorageKey] = []
    for frame in page.frames:  # type: ignore[attr-defined]
        try:
            keys = frame.evaluate("() => { try { return Object.keys(window.localStorage) } catch (e) { return [] } }")
        except Exception:  # a detached or cross-process frame: nothing to read
            continue
        parts = urlsplit(frame.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        out.extend(StorageKey(origin, str(k)) for k in keys[:500])
    return out


def _frame_documents(page: object) -> list[tuple[str, str]]:
    """Rendered HTML of embedded frames (an intake form inside a vendor's iframe), capped."""
    out: list[tuple[str, str]] = []
    for frame in page.frames[1:MAX_FRAMES + 1]:  # type: ignore[attr-defined]
        url = frame.url
        if not url.startswith(("http://", "https://")):
            continue
        try:
            out.append((url, frame.content()[:MAX_FRAME_HTML]))
        except Exception:  # a frame detached while it was read: nothing to add
            continue
    return out


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return re.sub(r"^(Page|Frame|BrowserContext)\.\w+: ", "", first)[:300]


def render_pages(pages: list[tuple[str, str]], network: Network, deadline: float, *,
                 confine: bool, accept_consent: bool = False, executable: str | None = None,
                 page_timeout: float = 20.0, reject_consent: bool = False,
                 type_into_forms: bool = True,
                 crawl: Callable[[list[PageEvidence], list[PageEvidence]], tuple[str, str, str] | None]
                 | None = None,
                 ) -> list[PageEvidence]:
    """Render (page, url) pairs in one fresh Chromium profile, as one visitor browsing in order.

    `crawl`, when given, is shown the pages rendered so far (and the crawled ones that could not be)
    and asked for the next page beyond `pages` as (page, url, how it was found), None when there is
    none. A crawled page that cannot be rendered is left out: a dead link is not a page anyone asked
    to check."""
    executable = executable or check_browser_available()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    hosts = []
    for _page, url in pages:
        _scheme, host, port = site_of(url)
        if host:
            hosts.append((host, port))
    plan = resolver_plan(network, hosts, confine)
    remaining = max(0.5, deadline - time.monotonic())
    args = [*CHROMIUM_ARGS, *([f"--host-resolver-rules={plan.rules}"] if plan.rules else [])]
    if network.settings.ca_bundle is not None:
        keys = trusted_leaf_keys(network, plan.mapped, timeout=min(2.0, remaining / 4))
        if keys:
            args.append("--ignore-certificate-errors-spki-list=" + ",".join(keys))

    results: list[PageEvidence] = []
    with tempfile.TemporaryDirectory(prefix="cyberaudit-chromium-") as profile_dir:
        chromium = ChromiumProcess(executable, args, Path(profile_dir))
        # start-up gets at least a few seconds even near the deadline: a busy machine is slow
        endpoint = chromium.start(timeout=max(5.0, min(30.0, deadline - time.monotonic())))
        chromium.kill_at(deadline)
        try:
            with sync_playwright() as pw:
                try:
                    browser = pw.chromium.connect_over_cdp(
                        endpoint, timeout=max(5000, min(30_000, (deadline - time.monotonic()) * 1000)))
                except PlaywrightError as exc:
                    if chromium.killed.is_set():  # the start-up took the probe's whole time
                        raise ProbeError("the browser took the probe's whole time to start (the machine "
                                         "is busy?); no page could be rendered") from None
                    raise ProbeError(f"cannot drive Chromium: {_short(exc)}") from None
                context = browser.contexts[0]
                try:
                    context.add_init_script(INIT_SCRIPT)
                except PlaywrightError as exc:  # the watchdog stopped the browser right after start-up
                    if chromium.killed.is_set():
                        raise ProbeError("the browser took the probe's whole time to start (the machine "
                                         "is busy?); no page could be rendered") from None
                    raise ProbeError(f"cannot drive Chromium: {_short(exc)}") from None
                consent = "reject" if reject_consent else "accept" if accept_consent else None
                queue: list[tuple[str, str, str | None]] = [(p, u, None) for p, u in pages]
                dropped: list[PageEvidence] = []
                while queue or crawl is not None:
                    if not queue:
                        found = crawl(results, dropped) if crawl is not None else None
                        if found is None or chromium.killed.is_set() or time.monotonic() > deadline - 2:
                            break
                        queue.append(found)
                    page_name, url, found_by = queue.pop(0)
                    if chromium.killed.is_set():
                        if found_by is not None:
                            continue
                        results.append(PageEvidence(page_name, url, url, None, None, error=_OUT_OF_TIME))
                        continue
                    try:
                        evidence = _render_one(context, page_name, url, deadline, consent, page_timeout,
                                               type_into_forms)
                    except PlaywrightError as exc:  # the browser went away between two steps
                        evidence = PageEvidence(page_name, url, url, None, None, error=_short(exc))
                    if chromium.killed.is_set() and evidence.html is None:
                        evidence = PageEvidence(page_name, url, evidence.final_url, evidence.status, None,
                                                error=_STOPPED, requests=evidence.requests)
                    if found_by is not None:
                        if evidence.error is not None or evidence.html is None:
                            dropped.append(replace(evidence, found_by=found_by))
                            continue
                        evidence = replace(evidence, found_by=found_by)
                    results.append(evidence)
                with contextlib.suppress(PlaywrightError):
                    browser.close()
        finally:
            chromium.stop()
    return results


_OUT_OF_TIME = "not rendered: the probe's time ran out"
_STOPPED = "the page kept the browser busy until the probe's time ran out (the browser was stopped)"


def _settle(page: object, deadline: float, ms: float) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    settle = min(ms, max(0.0, (deadline - time.monotonic() - 1.0) * 1000))
    if settle > 0:
        # beacons that keep polling never go idle: what was seen so far is enough
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_load_state("networkidle", timeout=max(1.0, settle))  # type: ignore[attr-defined]


def _render_one(context: object, page_name: str, url: str, deadline: float, consent: str | None,
                page_timeout: float, type_into_forms: bool = True) -> PageEvidence:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    requests: list[ObservedRequest] = []
    failures: dict[str, str] = {}

    typing = [False]
    kept = [0]  # body bytes kept so far

    def keep(data: bytes) -> bytes:
        part = data[:max(0, min(MAX_BODY, MAX_BODIES - kept[0]))]
        kept[0] += len(part)
        return part

    def on_request(req: object) -> None:
        if len(requests) < MAX_REQUESTS_PER_PAGE:
            try:
                body = req.post_data_buffer or b""  # type: ignore[attr-defined]
                headers = tuple(req.headers.items())  # type: ignore[attr-defined]
            except Exception:  # a body Playwright cannot decode: the URL is still worth keeping
                body, headers = b"", ()
            requests.append(ObservedRequest(req.url, req.resource_type, method=req.method,  # type: ignore[attr-defined]
                                            headers=headers, body=keep(body), after_typing=typing[0]))

    def on_socket(ws: object) -> None:
        def sent(payload: str | bytes) -> None:
            if len(requests) < MAX_REQUESTS_PER_PAGE:
                data = payload.encode() if isinstance(payload, str) else payload
                requests.append(ObservedRequest(ws.url, "websocket", method="WS", body=keep(data),  # type: ignore[attr-defined]
                                                after_typing=typing[0]))
        ws.on("framesent", sent)  # type: ignore[attr-defined]

    def on_failed(req: object) -> None:
        failures[req.url] = req.failure or "failed"  # type: ignore[attr-defined]

    cookies_before = {(c["name"], c["domain"]) for c in context.cookies()}  # type: ignore[attr-defined]
    context.on("request", on_request)  # type: ignore[attr-defined]
    context.on("requestfailed", on_failed)  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    page.on("websocket", on_socket)
    typed: list = []
    canvas: list = []
    clicked: str | None = None
    before_click: tuple[ObservedRequest, ...] = ()
    status: int | None = None
    final_url = url
    html: str | None = None
    error: str | None = None
    frames: list[tuple[str, str]] = []
    try:
        budget_ms = max(500.0, min(page_timeout, deadline - time.monotonic() - 1.0) * 1000)
        try:
            response = page.goto(url, wait_until="load", timeout=budget_ms)
            status = response.status if response is not None else None
            final_url = page.url
            _settle(page, deadline, _SETTLE_MS)
            before_click = tuple(requests)
            if consent == "accept" and click_accept(page, 1500):
                clicked = "accepted"
            elif consent == "reject" and click_reject(page, 1500):
                clicked = "rejected"
            if clicked:
                _settle(page, deadline, _SETTLE_MS)
            if type_into_forms:
                typing[0] = True
                typed = fill_forms(page, deadline - 2.0)
                if typed:  # networkidle needs 500 ms without a request: blur handlers have sent by then
                    _settle(page, deadline, _TYPED_SETTLE_MS)
            canvas = canvas_reads(page)
            html = page.content()
            frames = _frame_documents(page)
        except PlaywrightTimeout:
            error = f"the page did not finish loading within {budget_ms / 1000:g}s"
        except PlaywrightError as exc:
            error = _short(exc)
        storage = _storage_keys(page) if error is None else []
        cookies: list[ObservedCookie] = []
        with contextlib.suppress(PlaywrightError):  # the browser may have been stopped
            cookies = [ObservedCookie(c["name"], c["domain"].lstrip("."))
                       for c in context.cookies()  # type: ignore[attr-defined]
                       if (c["name"], c["domain"]) not in cookies_before]
    finally:
        context.remove_listener("request", on_request)  # type: ignore[attr-defined]
        context.remove_listener("requestfailed", on_failed)  # type: ignore[attr-defined]
        with contextlib.suppress(PlaywrightError):
            page.close()
    recorded = tuple(replace(r, failed=failures.get(r.url)) for r in requests)
    return PageEvidence(page=page_name, url=url, final_url=final_url, status=status, html=html, error=error,
                        requests=recorded, cookies=tuple(cookies), storage=tuple(storage),
                        frames=tuple(frames), typed=tuple(typed), canvas=tuple(canvas), consent=clicked,
                        consent_before=before_click if clicked else ())
