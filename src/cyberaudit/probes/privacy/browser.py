"""Browser mode: render pages in headless Chromium (Playwright) and record what they really load.

cyberaudit starts Chromium itself (privacy/chromium.py) and drives it with Playwright over the
DevTools protocol; one browser serves every website of a scan (privacy/shared_browser.py), each
in its own context, and a page that never yields is abandoned at its deadline.

Tag managers inject most trackers at run time, which static HTML cannot show. Chromium runs with a
fresh profile, resolves names through the scan's --resolve/--connect-to/address:/--nameserver
settings (as --host-resolver-rules) and, when the scan points names at chosen addresses, fails
every other name instead of reaching the internet. Requests to such names are still recorded.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import ssl
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cyberaudit.errors import InputError, ProbeError
from cyberaudit.network import Network, is_ip, site_of
from cyberaudit.probes.privacy.evidence import PageEvidence
from cyberaudit.probes.privacy.interact import INIT_SCRIPT
from cyberaudit.probes.privacy.page_render import PageRecord, Visit, _short, render_page
from cyberaudit.probes.privacy.shared_browser import SharedBrowser, lease

ENV_CHROMIUM = "CYBERAUDIT_CHROMIUM"
_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = ("--browser needs Chromium and Playwright for Python: install Chromium "
                "(Debian/Ubuntu: `apt-get install chromium`, or set CYBERAUDIT_CHROMIUM to a Chromium "
                "binary) and `pip install 'cyberaudit[browser]'`")
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage")


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


_OUT_OF_TIME = "not rendered: the probe's time ran out"
STOPPED = "the page kept the browser busy until the probe's time ran out (the page was stopped)"
_GRACE = 1.5  # seconds past a page's own bound before it is abandoned from outside


def render_pages(pages: list[tuple[str, str]], network: Network, deadline: float, *,
                 confine: bool, accept_consent: bool = False, executable: str | None = None,
                 page_timeout: float = 20.0, reject_consent: bool = False,
                 type_into_forms: bool = True,
                 crawl: Callable[[list[PageEvidence], list[PageEvidence]], tuple[str, str, str] | None]
                 | None = None,
                 ) -> list[PageEvidence]:
    """Render (page, url) pairs in one fresh browser context, as one visitor browsing in order.

    `crawl`, when given, is shown the pages rendered so far (and the crawled ones that could not be)
    and asked for the next page beyond `pages` as (page, url, how it was found), None when there is
    none. A crawled page that cannot be rendered is left out: a dead link is not a page anyone asked
    to check."""
    executable = executable or check_browser_available()
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
    consent = "reject" if reject_consent else "accept" if accept_consent else None
    visit = Visit(consent, type_into_forms, page_timeout)
    results: list[PageEvidence] = []
    with lease(executable, args, deadline) as shared:
        try:
            context = shared.call(_new_context(shared), min(deadline, time.monotonic() + 15))
        except TimeoutError:
            raise ProbeError("the browser did not open a page in time (the machine is busy?)") from None
        except Exception as exc:
            if isinstance(exc, ProbeError):
                raise
            raise ProbeError(f"cannot drive Chromium: {_short(exc)}") from None
        try:
            _browse(shared, context, pages, deadline, visit, crawl, results)
        finally:
            try:
                shared.call(_close(context), time.monotonic() + 5)
            except TimeoutError:
                shared.kill("a page stopped answering and its tab could not be closed")
            except Exception:  # the browser already went away: nothing left to close
                pass
    return results


def _browse(shared: SharedBrowser, context: object, pages: list[tuple[str, str]], deadline: float,
            visit: Visit, crawl: Callable[[list[PageEvidence], list[PageEvidence]], tuple[str, str, str] | None]
            | None, results: list[PageEvidence]) -> None:
    queue: list[tuple[str, str, str | None]] = [(p, u, None) for p, u in pages]
    dropped: list[PageEvidence] = []
    while queue or crawl is not None:
        if not queue:
            found = crawl(results, dropped) if crawl is not None else None
            if found is None or shared.broken is not None or time.monotonic() > deadline - 2:
                break
            queue.append(found)
        page_name, url, found_by = queue.pop(0)
        if shared.broken is not None or time.monotonic() > deadline - 0.5:
            if found_by is None:
                results.append(PageEvidence(page_name, url, url, None, None, error=_OUT_OF_TIME))
            continue
        evidence = _one(shared, context, page_name, url, deadline, visit)
        if found_by is not None:
            if evidence.error is not None or evidence.html is None:
                dropped.append(replace(evidence, found_by=found_by))
                continue
            evidence = replace(evidence, found_by=found_by)
        results.append(evidence)


def _one(shared: SharedBrowser, context: object, page_name: str, url: str, deadline: float,
         visit: Visit) -> PageEvidence:
    rec = PageRecord()
    bound = min(deadline, time.monotonic() + visit.page_timeout + 30.0) + _GRACE  # a slot may be busy
    try:
        return shared.call(_in_slot(shared, context, rec, page_name, url, deadline, visit), bound)
    except TimeoutError:
        pass
    except ProbeError as exc:
        return PageEvidence(page_name, url, url, None, None, error=str(exc), requests=rec.recorded())
    except Exception as exc:  # the browser went away between two steps
        return PageEvidence(page_name, url, url, None, None, error=_short(exc), requests=rec.recorded())
    # the page never gave the browser back: what it requested until then still counts
    return PageEvidence(page_name, url, rec.final_url or url, rec.status, None, error=STOPPED,
                        requests=rec.recorded())


async def _in_slot(shared: SharedBrowser, context: object, rec: PageRecord, page_name: str, url: str,
                   deadline: float, visit: Visit) -> PageEvidence:
    assert shared.slots is not None
    async with shared.slots:
        return await render_page(context, rec, page_name, url, deadline, visit)


async def _new_context(shared: SharedBrowser) -> object:
    context = await shared.browser.new_context()
    await context.add_init_script(INIT_SCRIPT)
    return context


async def _close(context: object) -> None:
    await context.close()  # type: ignore[attr-defined]
