"""How the scan reaches targets: address overrides, trust, timeouts, capped HTTP fetches.

Every connection the scan makes (TLS handshakes, page fetches, policy fetches) goes through
`Network`, so `--resolve`, `--connect-to`, a target's `address:`, `--ca-bundle` and
`--nameserver` apply to all of them alike.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import ssl
import tempfile
import threading
import time
import warnings
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import certifi
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ProtocolError

from cyberaudit import alarms
from cyberaudit.dnsclient import DnsClient
from cyberaudit.errors import InputError, ProbeError
from cyberaudit.politeness import Politeness, PolitenessSettings, SharedLimits


class NetworkTimeout(ProbeError):
    """No answer in time: our side cannot tell whether the target is at fault."""


class ResolutionFailed(ProbeError):
    """The resolver could not answer (timeout, SERVFAIL): inconclusive, unlike a name that does not exist."""


class TlsFailure(ProbeError):
    """The TLS handshake failed or the certificate did not verify: an answer from the target's side."""


# How a fetch sets up TLS. "default": Python's secure client settings, certificates verified.
# "legacy": the widest cipher list and TLS 1.0 up, certificates still verified. "inspect": the same
# with certificate checks off. The wider modes exist so a page can still be read for inspection; the
# tls probe is what judges the certificate and the suites.
TlsMode = Literal["default", "legacy", "inspect"]
_LEGACY_SERVER_CONNECT = getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)  # old servers without RFC 5746


# an inspection fetch is unverified on purpose, and says so in the facts: no warning on stderr
warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)


def legacy_client_context(*, verify: bool) -> ssl.SSLContext:
    """A client context with every cipher and protocol version the linked OpenSSL still allows."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False  # urllib3 matches the name itself when verifying
    ctx.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
    ctx.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    with contextlib.suppress(ValueError, ssl.SSLError):
        ctx.minimum_version = ssl.TLSVersion.TLSv1  # refused by builds without TLS 1.0
    ctx.options |= _LEGACY_SERVER_CONNECT
    return ctx


USER_AGENT = "cyberaudit (privacy and security self-audit; +https://github.com/cyberaudit/cyberaudit)"


@dataclass(frozen=True)
class NetworkSettings:
    """What the user set about reaching targets; all optional."""

    resolve: dict[tuple[str, int], str] = field(default_factory=dict)
    connect_to: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    ca_bundle: Path | None = None
    nameservers: tuple[tuple[str, int], ...] = ()
    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # one read of the socket
    response_timeout: float = 20.0  # one whole response, headers and body: a server dripping bytes stops here
    dns_timeout: float = 3.0
    dns_retries: int = 1
    max_body_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    per_ip: int = 4  # connections opening or awaiting an answer at once per IP address (0: no limit)
    rate: float | None = None  # new connections a second across the scan
    connect_retries: int = 1  # extra attempts after a failed TCP connect (never after an answer)
    # the per-IP slots and the rate shared with the other worker processes of the scan
    shared_limits: SharedLimits | None = field(default=None, compare=False, repr=False)


def parse_resolve(text: str) -> tuple[tuple[str, int], str]:
    """curl's HOST:PORT:ADDRESS (ADDRESS may be [v6])."""
    host, port, addr = _split_colon(text, 3, "--resolve expects HOST:PORT:ADDRESS")
    if not is_ip(addr):
        raise InputError(f"--resolve: {addr!r} is not an IP address (in {text!r})")
    return (host.lower(), _port(port, text)), addr


def parse_connect_to(text: str) -> tuple[tuple[str, int], tuple[str, int]]:
    """curl's HOST:PORT:ADDRESS:PORT2."""
    host, port, addr, port2 = _split_colon(text, 4, "--connect-to expects HOST:PORT:ADDRESS:PORT2")
    return (host.lower(), _port(port, text)), (addr, _port(port2, text))


def _split_colon(text: str, n: int, usage: str) -> list[str]:
    parts: list[str] = []
    rest = text
    while rest and len(parts) < n:
        if rest.startswith("["):
            end = rest.find("]")
            if end < 0:
                raise InputError(f"{usage}: unbalanced '[' in {text!r}")
            parts.append(rest[1:end])
            rest = rest[end + 1:]
            rest = rest[1:] if rest.startswith(":") else rest
        else:
            head, sep, rest = rest.partition(":")
            parts.append(head)
            if not sep:
                break
    if len(parts) != n or any(p == "" for p in parts) or rest:
        raise InputError(f"{usage}, got {text!r}")
    return parts


def _port(text: str, whole: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise InputError(f"invalid port {text!r} in {whole!r}") from None
    if not 0 < port < 65536:
        raise InputError(f"port out of range in {whole!r}")
    return port


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class HttpResponse:
    """One HTTP response as received; the body is read up to the configured cap."""

    url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool
    elapsed_ms: int

    def header(self, name: str) -> str | None:
        """First value of a header (case-insensitive), or None."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def content_type(self) -> str:
        value = self.header("content-type") or ""
        return value.split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        msg = Message()
        msg["content-type"] = self.header("content-type") or "text/plain"
        charset = msg.get_content_charset() or "utf-8"
        try:
            return self.body.decode(charset, "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class FetchResult:
    """A fetch and the redirects it followed; `final` is the last response.

    `error` says why the chain stopped before its end (a later hop failed, or the redirect limit was
    reached): `final` is then a redirect, not the page that was asked for.
    """

    chain: tuple[HttpResponse, ...]
    error: str | None = None

    @property
    def final(self) -> HttpResponse:
        return self.chain[-1]

    @property
    def redirected(self) -> bool:
        return len(self.chain) > 1


class Network:
    """Connections for one scan, with the user's overrides applied to every one."""

    def __init__(self, settings: NetworkSettings | None = None) -> None:
        self.settings = settings or NetworkSettings()
        self.dns = DnsClient(self.settings.nameservers, self.settings.dns_timeout, self.settings.dns_retries)
        self._extra_resolve: dict[tuple[str, int], str] = {}
        self._bundle_path: str | None = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._contexts: dict[tuple[str, bool], ssl.SSLContext] = {}
        self.politeness = Politeness(PolitenessSettings(per_ip=self.settings.per_ip, rate=self.settings.rate,
                                                        connect_retries=self.settings.connect_retries),
                                     self.settings.shared_limits)

    def add_address(self, host: str, port: int, address: str) -> None:
        """A target's `address:`: connect there for host:port (a CLI --resolve wins)."""
        self._extra_resolve.setdefault((host.lower(), port), address)

    def address_for(self, host: str, port: int) -> tuple[str, int]:
        """Where to connect for host:port, after --connect-to, --resolve, address: and --nameserver."""
        key = (host.lower().strip("[]"), port)
        if key in self.settings.connect_to:
            return self.settings.connect_to[key]
        if key in self.settings.resolve:
            return self.settings.resolve[key], port
        if key in self._extra_resolve:
            return self._extra_resolve[key], port
        if is_ip(key[0]) or not self.settings.nameservers:
            return key[0], port
        for rdtype in ("A", "AAAA"):
            answer = self.dns.query(key[0], rdtype)
            if answer.status == "ok" and answer.records:
                return answer.records[0], port
            if answer.failed:
                raise ResolutionFailed(f"cannot resolve {host}: {answer.error}")
        raise ProbeError(f"cannot resolve {host}: no A or AAAA record")

    def connect(self, host: str, port: int, timeout: float | None = None) -> socket.socket:
        """A TCP connection to host:port (overrides applied); ProbeError when it fails."""
        addr, real_port = self.address_for(host, port)
        timeout = self.settings.connect_timeout if timeout is None else timeout
        deadline = getattr(self._local, "deadline", None)
        try:
            release = self.politeness.hold(addr, deadline)
            try:
                sock = self.politeness.connect(
                    addr, lambda: socket.create_connection((addr, real_port), timeout=timeout), deadline)
            except BaseException:
                release()
                raise
            return _SlotSocket.adopt(sock, release)
        except TimeoutError:
            raise NetworkTimeout(f"connection to {host}:{port} timed out after {timeout:g}s") from None
        except OSError as exc:
            raise ProbeError(f"cannot connect to {host}:{port}: {exc.strerror or exc}") from None

    def ca_bundle_path(self) -> str:
        """A PEM file with certifi's roots plus the user's --ca-bundle (written once per scan)."""
        with self._lock:
            if self._bundle_path is None:
                extra = self.settings.ca_bundle
                if extra is None:
                    self._bundle_path = certifi.where()
                else:
                    try:
                        extra_pem = Path(extra).read_text()
                    except OSError as exc:
                        raise InputError(f"cannot read CA bundle: {exc.strerror}", extra) from None
                    combined = Path(certifi.where()).read_text() + "\n" + extra_pem
                    fd, name = tempfile.mkstemp(suffix=".pem", prefix="cyberaudit-ca-")
                    with os.fdopen(fd, "w") as fh:
                        fh.write(combined)
                    self._bundle_path = name
                    # removed when this Network is closed or collected, or at exit at the latest
                    self._cleanup = weakref.finalize(self, _remove_file, name)
            return self._bundle_path

    def close(self) -> None:
        """Remove the combined CA file, if one was written (the Network stays usable)."""
        cleanup = getattr(self, "_cleanup", None)
        if cleanup is not None:
            cleanup()
            self._bundle_path = None

    def ssl_context(self, tls: TlsMode, verify: bool) -> ssl.SSLContext:
        """The client context of one trust setting, built once per scan and shared by its threads.

        Loading the CA bundle costs tens of milliseconds of CPU; a context per connection (what
        requests does when `verify` is a path) made it a large part of a many-site scan. One
        context per (mode, verify) pair also means urllib3, which sets verify_mode on the context it
        is given, only ever sets the value it already has.
        """
        key = (tls, verify)
        with self._lock:
            ctx = self._contexts.get(key)
        if ctx is not None:
            return ctx
        if tls == "default":
            ctx = urllib3.util.ssl_.create_urllib3_context()
            if not verify:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
        else:
            ctx = legacy_client_context(verify=verify)
        if verify:
            ctx.load_verify_locations(self.ca_bundle_path())
        with self._lock:
            return self._contexts.setdefault(key, ctx)

    def session(self, tls: TlsMode = "default", verify: bool = True) -> requests.Session:
        """A requests session (one per thread, TLS mode and trust setting) that connects through this Network."""
        verify = verify and tls != "inspect"
        name = f"session_{tls}_{'verify' if verify else 'noverify'}"
        sess = getattr(self._local, name, None)
        if sess is None:
            sess = requests.Session()
            sess.trust_env = False  # proxies from the environment would bypass --resolve
            # every fetch stands alone: no cookie is kept or sent back, so each page shows its own
            # Set-Cookie headers and no cookie value outlives the response that carried it
            sess.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
            sess.headers["User-Agent"] = USER_AGENT
            adapter = _MappedAdapter(self, max_retries=0, ssl_context=self.ssl_context(tls, verify))
            sess.mount("http://", adapter)
            sess.mount("https://", adapter)
            # True, not the bundle's path: with a path, requests loads it into a new context for
            # every connection; the adapter's context already holds it
            sess.verify = verify
            setattr(self._local, name, sess)
        return sess

    def fetch(self, url: str, *, follow_redirects: bool = True, max_redirects: int | None = None,
              method: str = "GET", verify: bool = True, deadline: float | None = None,
              tls: TlsMode = "default") -> FetchResult:
        """GET `url`, following up to max_redirects redirects by hand so each hop is recorded.

        `tls` other than "default" widens the client's TLS settings for this fetch only (see TlsMode).

        Raises ProbeError when the first request fails; a later hop's failure, or reaching the
        redirect limit, ends the chain there with the reason in FetchResult.error.
        """
        limit = self.settings.max_redirects if max_redirects is None else max_redirects
        chain: list[HttpResponse] = []
        current = url
        while True:
            try:
                resp = self._request(method, current, verify=verify and tls != "inspect", deadline=deadline,
                                     tls=tls)
            except ProbeError as exc:
                if not chain:
                    raise
                return FetchResult(tuple(chain), f"a redirect led to an address that failed: {exc}")
            chain.append(resp)
            location = resp.header("location")
            if not (follow_redirects and 300 <= resp.status < 400 and location):
                break
            if len(chain) > limit:
                return FetchResult(tuple(chain), f"more than {limit} redirects (a loop or a very long "
                                                 f"chain); the last asked for {location[:200]}")
            try:
                current = urljoin(current, location)
            except ValueError:
                return FetchResult(tuple(chain), f"{current}: invalid Location header {location[:200]!r}")
        return FetchResult(tuple(chain))

    def _request(self, method: str, url: str, *, verify: bool, deadline: float | None,
                 tls: TlsMode = "default") -> HttpResponse:
        # one response never takes longer than response_timeout, however slowly its bytes come
        now = time.monotonic()
        own = now + self.settings.response_timeout
        until = own if deadline is None else min(deadline, own)
        if until <= now:
            # a fetch queued behind others past the deadline: asking now would wait a whole read timeout
            raise NetworkTimeout(f"{url}: no complete response before the deadline")
        # read by the connection's watchdog, which cuts a handshake or header read still going at the deadline
        self._local.deadline = until
        try:
            return self._request_once(method, url, verify=verify, deadline=until, tls=tls)
        except ProbeError:
            if time.monotonic() >= until:
                if deadline is not None and deadline <= own:
                    raise NetworkTimeout(f"{url}: no complete response before the deadline") from None
                raise NetworkTimeout(f"{url}: the response was still arriving after "
                                     f"{self.settings.response_timeout:g}s") from None
            raise
        finally:
            self._local.deadline = None

    def _request_once(self, method: str, url: str, *, verify: bool, deadline: float | None,
                      tls: TlsMode = "default") -> HttpResponse:
        start = time.monotonic()
        cap = self.settings.max_body_bytes
        try:
            with self.session(tls, verify).request(
                method, url, allow_redirects=False, stream=True,
                timeout=(self.settings.connect_timeout, self.settings.read_timeout),
                verify=bool(verify and tls != "inspect"),
            ) as r:
                chunks: list[bytes] = []
                size = 0
                truncated = False
                # each read waits up to read_timeout: a timer ends a read still waiting at the deadline
                conn = getattr(r.raw, "connection", None) or getattr(r.raw, "_connection", None)
                cut = getattr(conn, "_cut", None)
                timer = alarms.call_at(deadline, cut) if deadline is not None and cut is not None else None
                try:
                    for chunk in _body_chunks(r):
                        chunks.append(chunk)
                        size += len(chunk)
                        if size >= cap:
                            truncated = True
                            break
                        if deadline is not None and time.monotonic() > deadline:
                            raise NetworkTimeout(f"{url}: response body still arriving at the deadline")
                finally:
                    if timer is not None:
                        timer.cancel()
                if deadline is not None and time.monotonic() >= deadline and not truncated:
                    # the cut ends the body as if the server had closed it: never take that for the page
                    raise NetworkTimeout(f"{url}: response body still arriving at the deadline")
                body = b"".join(chunks)[:cap]
                headers = tuple((k, v) for k, v in r.raw.headers.items())
                return HttpResponse(url=url, status=r.status_code, reason=r.reason or "",
                                    headers=headers, body=body, truncated=truncated,
                                    elapsed_ms=int((time.monotonic() - start) * 1000))
        except requests.exceptions.SSLError as exc:
            raise TlsFailure(f"{url}: TLS error: {_reason(exc)}") from None
        except requests.exceptions.ConnectTimeout:
            raise NetworkTimeout(f"{url}: connection timed out after {self.settings.connect_timeout:g}s") from None
        except requests.exceptions.ReadTimeout:
            raise NetworkTimeout(f"{url}: no response within {self.settings.read_timeout:g}s") from None
        except requests.exceptions.ConnectionError as exc:
            inner = _probe_error_in(exc)
            kind = type(inner) if inner is not None else ProbeError
            raise kind(f"{url}: cannot connect: {_reason(exc)}") from None
        except requests.exceptions.RequestException as exc:
            raise ProbeError(f"{url}: {_reason(exc)}") from None
        except urllib3.exceptions.HTTPError as exc:
            raise ProbeError(f"{url}: {_reason(exc)}") from None


class _SlotSocket(socket.socket):
    """A socket that gives its per-IP slot back when it is closed, detached (wrapped by ssl) or lost."""

    _release: Any = None

    @classmethod
    def adopt(cls, sock: socket.socket, release: Any) -> _SlotSocket:
        timeout = sock.gettimeout()
        out = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        out.settimeout(timeout)
        out._release = weakref.finalize(out, release)
        return out

    def close(self) -> None:
        if self._release is not None:
            self._release()
        super().close()

    def detach(self) -> int:
        if self._release is not None:
            self._release()
        return super().detach()


def _remove_file(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _probe_error_in(exc: BaseException) -> ProbeError | None:
    """The ProbeError (e.g. a failed name resolution) at the root of a requests exception, if any."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        cur = stack.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, ProbeError):
            return cur
        stack += [e for e in (cur.__cause__, cur.__context__) if e is not None]
        stack += [a for a in cur.args if isinstance(a, BaseException)]
        reason = getattr(cur, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return None


def _body_chunks(r: requests.Response) -> Iterator[bytes]:
    """The body as it arrives, so a server that trickles bytes cannot hold one read past the deadline.

    iter_content(n) blocks until n bytes have come; read1 returns whatever the socket has.
    """
    read1 = getattr(r.raw, "read1", None)
    if read1 is None:  # urllib3 older than 2.3
        yield from r.iter_content(64 * 1024)
        return
    while True:
        chunk = read1(64 * 1024, decode_content=True)
        if not chunk:
            return
        yield chunk


def _reason(exc: BaseException) -> str:
    inner: BaseException | None = exc
    seen = 0
    while inner is not None and seen < 6:
        if isinstance(inner, ProbeError):
            return str(inner)
        nxt = inner.__context__ or inner.__cause__ or (inner.args[0] if inner.args and
                                                         isinstance(inner.args[0], BaseException) else None)
        if nxt is None:
            break
        inner, seen = nxt, seen + 1
    text = str(inner or exc)
    return text[:300]


def site_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def _until(deadline: float | None, timeout: Any) -> Any:
    """The socket timeout for a connect and TLS handshake: never past the deadline.

    ssl's handshake counts its timeout over the whole handshake, not per read, and the watchdog
    cannot shut down a socket that ssl is wrapping; this bound holds where the watchdog cannot.
    """
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the deadline passed before the connection was made")
    return left if timeout is None or not isinstance(timeout, (int, float)) else min(timeout, left)


def _mapped_connection(base: type[HTTPConnection], network: Network) -> type[HTTPConnection]:
    class MappedConnection(base):  # type: ignore[valid-type, misc]
        # Only the socket's destination changes: SNI, Host and certificate checks keep the name.
        _watchdog: alarms.Alarm | None = None
        _raw_sock: socket.socket | None = None
        _cut_at_deadline = False

        # Timeouts apply to each read, so a server sending one byte at a time never trips them. Until
        # the response headers are in, a timer shuts the socket down at the fetch's deadline.
        _slot_ip: str | None = None
        _slot_release: Any = None

        def connect(self) -> None:
            self._arm()
            try:
                super().connect()
                if self._cut_at_deadline:
                    # cut while ssl swapped the sockets over: neither one was there to shut down
                    raise ConnectTimeoutError(self, f"connection to {self.host} cut at the deadline")
            except BaseException:
                self._disarm()
                self._free_slot()
                raise

        def request(self, *args: Any, **kwargs: Any) -> None:
            self._arm()
            if self._slot_release is None and self._slot_ip is not None:  # a kept-alive connection
                self._take_slot(self._slot_ip)
            try:
                super().request(*args, **kwargs)
            except BaseException:
                self._disarm()
                self._free_slot()
                raise

        def getresponse(self, *args: Any, **kwargs: Any) -> Any:
            try:
                response = super().getresponse(*args, **kwargs)
            finally:
                self._disarm()
                self._free_slot()
            if self._cut_at_deadline:
                # http.client takes the cut for the end of the headers: never hand on such a response
                raise ProtocolError("the response did not arrive before the deadline")
            return response

        def _arm(self) -> None:
            deadline = getattr(network._local, "deadline", None)
            if deadline is None or self._watchdog is not None:
                return
            self._cut_at_deadline = False
            self._watchdog = alarms.call_at(deadline, self._cut)

        def _disarm(self) -> None:
            if self._watchdog is not None:
                self._watchdog.cancel()
                self._watchdog = None

        def _cut(self) -> None:
            self._cut_at_deadline = True
            for sock in (self.sock, self._raw_sock):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

        def _take_slot(self, ip: str) -> None:
            self._slot_ip = ip
            self._slot_release = network.politeness.hold(ip, getattr(network._local, "deadline", None))

        def _free_slot(self) -> None:
            release, self._slot_release = self._slot_release, None
            if release is not None:
                release()

        def _new_conn(self) -> socket.socket:
            try:
                addr, port = network.address_for(self._dns_host, self.port)
            except ProbeError as exc:
                raise NewConnectionError(self, str(exc)) from exc
            deadline = getattr(network._local, "deadline", None)
            try:
                if self._slot_release is None:
                    self._take_slot(addr)
                timeout = _until(deadline, self.timeout)
                sock = network.politeness.connect(addr, lambda: urllib3.util.connection.create_connection(
                    (addr, port), timeout, source_address=self.source_address,
                    socket_options=self.socket_options), deadline)
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from exc
            except OSError as exc:
                raise NewConnectionError(self, f"cannot connect to {addr}:{port}: {exc}") from exc
            self._raw_sock = sock
            if self._cut_at_deadline:  # the watchdog fired before there was a socket to shut down
                sock.close()
                raise ConnectTimeoutError(self, f"connection to {self.host} cut at the deadline")
            return sock

    return MappedConnection


class _MappedAdapter(HTTPAdapter):
    def __init__(self, network: Network, ssl_context: ssl.SSLContext | None = None, **kwargs: object) -> None:
        self._network = network
        self._ssl_context = ssl_context
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # requests points every new connection at certifi's bundle, and urllib3 then loads that
        # file into the shared context again: ~25 ms of CPU per connection. The context already
        # holds the scan's trust (certifi plus --ca-bundle): only say whether to verify.
        if self._ssl_context is None:
            super().cert_verify(conn, url, verify, cert)
            return
        conn.cert_reqs = "CERT_REQUIRED" if verify and url.lower().startswith("https") else "CERT_NONE"
        conn.ca_certs = None
        conn.ca_cert_dir = None

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        if self._ssl_context is not None:
            kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        network = self._network

        class Pool(HTTPConnectionPool):
            ConnectionCls = _mapped_connection(HTTPConnection, network)

        class SecurePool(HTTPSConnectionPool):
            ConnectionCls = _mapped_connection(HTTPSConnection, network)  # type: ignore[assignment]

        self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": SecurePool}
