"""How the http probe reaches a site: which https:// and http:// addresses, and with which TLS settings.

A page is fetched the way a browser would first (certificates verified, modern settings). When that
handshake fails, the page is fetched again for inspection with wider settings, for that fetch only,
so that headers, cookies, forms and trackers can still be judged; the tls probe reports the
certificate and the suites themselves.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from cyberaudit.errors import ProbeError
from cyberaudit.network import FetchResult, NetworkTimeout, ResolutionFailed, TlsFailure, TlsMode
from cyberaudit.probes.base import ProbeContext
from cyberaudit.probes.http.sites import scheme_of
from cyberaudit.profile import Website

_VERIFY_FAILED = re.compile(r"certificate verify failed: (?P<why>[^(]+)", re.I)
_NAME_MISMATCH = re.compile(r"hostname '.*' doesn't match", re.I)
_SSL_CODE = re.compile(r"\[SSL: (?P<code>[A-Z0-9_]+)\]\s*(?P<text>[^(]*)")


def _netloc(host: str, port: int | None) -> str:
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def plain_url(site: Website) -> str:
    """The plain-HTTP address for the redirect check: http_url, an http:// url itself, else port 80."""
    if site.http_url:
        return site.http_url
    if scheme_of(site.url) == "http":
        return site.url
    return f"http://{_netloc(site.host, None)}/"


def secure_url(site: Website) -> str:
    """The https:// address of the site: url itself, https_url, else the same host and path on port 443."""
    if scheme_of(site.url) == "https":
        return site.url
    if site.https_url:
        return site.https_url
    parts = urlsplit(site.url)
    return urlunsplit(("https", _netloc(site.host, None), parts.path or "/", parts.query, ""))


def certificate_problem(error: str) -> str | None:
    """The verifier's reason when a TLS error is about the certificate, else None."""
    match = _VERIFY_FAILED.search(error)
    if match:
        return match.group("why").strip().rstrip(".")
    if _NAME_MISMATCH.search(error):
        return "the certificate is not valid for this name"
    return None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def _handshake_words(error: str) -> str:
    match = _SSL_CODE.search(error)
    if not match:
        return error.split("TLS error: ", 1)[-1][:200]
    text = match.group("text").strip()
    return text or match.group("code").lower()


@dataclass
class SiteFetcher:
    """Fetches one site's pages, widening TLS settings only where a verified handshake failed.

    Once an origin needed wider settings, its later pages are fetched with them at once (one
    connection each, not three).
    """

    ctx: ProbeContext
    untrusted: str | None = None  # why certificate checks were off (the verifier's words)
    legacy: str | None = None  # why the widest cipher list was needed (the server's refusal)
    _modes: dict[tuple[str, str, int | None], TlsMode] = field(default_factory=dict)

    @property
    def inspected(self) -> bool:
        return self.untrusted is not None or self.legacy is not None

    def note(self) -> str | None:
        """Plain words for the report on how the pages were read, or None when nothing was widened."""
        if not self.inspected:
            return None
        cert = f"inspected although its certificate is not trusted ({self.untrusted})"
        old = (f"older encryption settings than current clients accept (with modern settings the server "
               f"answered: {self.legacy})")
        if self.legacy is None:
            return (f"The site's pages were {cert}: certificate checks were off for these page fetches "
                    f"only, and the TLS checks report the certificate.")
        if self.untrusted is None:
            return (f"The site's pages were read with {old}, for these page fetches only; the TLS checks "
                    f"report the encryption.")
        return (f"The site's pages were {cert} and with {old}: both were relaxed for these page fetches "
                f"only, and the TLS checks report the certificate and the encryption.")

    def mode_used(self, url: str) -> TlsMode:
        """The TLS settings the fetches of url's origin used ("default" for plain HTTP)."""
        return self._modes.get(_origin(url), "default")

    def fetch(self, url: str, *, follow_redirects: bool = True) -> FetchResult:
        """GET url the way a browser would, then, after a failed handshake, for inspection."""
        net, deadline = self.ctx.network, self.ctx.deadline
        if scheme_of(url) != "https":
            return net.fetch(url, follow_redirects=follow_redirects, deadline=deadline)
        origin = _origin(url)
        known = self._modes.get(origin)
        if known is not None:
            return net.fetch(url, follow_redirects=follow_redirects, deadline=deadline, tls=known)
        try:
            result = net.fetch(url, follow_redirects=follow_redirects, deadline=deadline)
        except TlsFailure as first:
            result = self._widened(url, origin, str(first), follow_redirects)
        else:
            self._modes[origin] = "default"
        return result

    def _widened(self, url: str, origin: tuple[str, str, int | None], first: str,
                 follow_redirects: bool) -> FetchResult:
        net, deadline = self.ctx.network, self.ctx.deadline
        cert = certificate_problem(first)
        legacy: str | None = None
        if cert is None:
            # not the certificate: the handshake itself failed; try every suite, still verifying
            legacy = _handshake_words(first)
            try:
                result = net.fetch(url, follow_redirects=follow_redirects, deadline=deadline, tls="legacy")
            except TlsFailure as second:
                cert = certificate_problem(str(second))
                if cert is None:
                    raise TlsFailure(f"{first}; with the widest cipher list and TLS 1.0 allowed: "
                                     f"{_handshake_words(str(second))}") from None
            else:
                self._modes[origin] = "legacy"
                self.legacy = self.legacy or legacy
                return result
        result = net.fetch(url, follow_redirects=follow_redirects, deadline=deadline, tls="inspect")
        self._modes[origin] = "inspect"
        self.untrusted = self.untrusted or cert
        if legacy is not None:
            self.legacy = self.legacy or legacy
        return result


@dataclass(frozen=True)
class HttpsAttempt:
    """What the site's https:// address gave: a fetch to reuse, or why there is no HTTPS site."""

    url: str
    result: FetchResult | None
    available: bool | None  # None: could not tell (timeout, name lookup failed)
    reason: str | None  # why not available, or why it could not be told


def listens(url: str, ctx: ProbeContext) -> bool:
    """False when the address's port refuses connections; ProbeError when it could not be told."""
    parts = urlsplit(url)
    default = 443 if scheme_of(url) == "https" else 80
    host, port = (parts.hostname or ""), parts.port or default
    addr, real_port = ctx.network.address_for(host, port)
    timeout = min(ctx.network.settings.connect_timeout, max(ctx.remaining(), 0.1))
    try:
        socket.create_connection((addr, real_port), timeout=timeout).close()
    except ConnectionRefusedError:
        return False
    except TimeoutError:
        raise NetworkTimeout(f"{url}: connection timed out after {timeout:g}s") from None
    except OSError as exc:
        raise ProbeError(f"{url}: cannot connect: {exc.strerror or exc}") from None
    return True


def try_https(url: str, fetcher: SiteFetcher) -> HttpsAttempt:
    """Open the https:// address of a site configured as http://: does an HTTPS site answer there?"""
    ctx = fetcher.ctx
    if ctx.remaining() <= 0:
        return HttpsAttempt(url, None, None, "not tried: the probe's time ran out")
    try:
        if not listens(url, ctx):
            return HttpsAttempt(url, None, False, f"nothing answers at {url} (the connection is refused)")
        result = fetcher.fetch(url)
    except TlsFailure as exc:
        return HttpsAttempt(url, None, False, f"{url} does not complete an HTTPS connection: {exc}")
    except (NetworkTimeout, ResolutionFailed) as exc:
        return HttpsAttempt(url, None, None, str(exc))
    except ProbeError as exc:
        return HttpsAttempt(url, None, None, str(exc))
    return HttpsAttempt(url, result, *opens_over_https(result))


def opens_over_https(result: FetchResult) -> tuple[bool | None, str | None]:
    """Whether a fetch of the site's https:// address shows a page over HTTPS, and why not."""
    if result.error is not None:
        return None, result.error
    final = result.final
    if scheme_of(final.url) != "https":
        return False, f"the https:// address sends visitors to plain {final.url}"
    if final.status >= 400:
        return False, f"{final.url} answered {final.status} {final.reason}".rstrip()
    return True, None
