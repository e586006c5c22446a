"""A loopback practice website (HTTPS and plain HTTP on 127.0.0.1) and helpers to scan and judge it."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cyberaudit.conditions import FactView, evaluate
from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.errors import ProbeError
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.packs import Rule, load_pack
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.http.probe import PROBE
from cyberaudit.profile import Practice, Profile, Website
from cyberaudit.targets import Target

HOST = "www.practice.example"
SITE = f"https://{HOST}/"
REPO = Path(__file__).resolve().parents[3]
RULES: dict[str, Rule] = {r.id: r for r in load_pack(REPO / "rules" / "http.yaml", builtin=True).rules}

HTML = "text/html; charset=utf-8"
SECURE_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Type", HTML),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'self'; script-src 'self' https://cdn.practice.example; "
                                "frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Set-Cookie", "session=SECRETVALUE123; Path=/; Secure; HttpOnly; SameSite=Lax"),
)
GOOD_HOME = """<!doctype html><html><head><title>Lakeside Counseling</title>
<link rel="stylesheet" href="/site.css"><script src="https://cdn.practice.example/app.js"></script>
</head><body><img src="/logo.png"><a href="/privacy">Privacy policy</a>
<form action="/contact/send" method="post"><label for="n">Name</label><input id="n" name="name"></form>
</body></html>"""
GOOD_CONTACT = """<html><head><title>Contact</title></head><body>
<form action="https://www.practice.example/send" method="post"><input name="email" placeholder="E-mail"></form>
</body></html>"""


def security_txt(expires: dt.datetime | None = None, contact: bool = True) -> str:
    expires = expires or dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=180)
    lines = ["# security contact of the practice"]
    if contact:
        lines.append("Contact: mailto:security@practice.example")
    lines.append(f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    return "\n".join(lines) + "\n"


def good_routes() -> dict[str, Route]:
    return {
        "/": Route(200, GOOD_HOME, SECURE_HEADERS),
        "/contact": Route(200, GOOD_CONTACT, SECURE_HEADERS),
        "/.well-known/security.txt": Route(200, security_txt(), (("Content-Type", "text/plain; charset=utf-8"),)),
    }


def redirect_routes(location: str = SITE) -> dict[str, Route]:
    return {"/": Route(301, "", (("Location", location),))}


def with_headers(drop: tuple[str, ...] = (), add: tuple[tuple[str, str], ...] = ()) -> tuple[tuple[str, str], ...]:
    """SECURE_HEADERS without the named headers (case-insensitive), plus `add`."""
    lowered = {d.lower() for d in drop}
    return tuple(h for h in SECURE_HEADERS if h[0].lower() not in lowered) + add


@dataclass
class Pki:
    ca: certs.Issued
    leaf: certs.Issued
    ca_file: Path


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    ca = certs.make_ca()
    leaf = certs.issue(ca, [HOST, "practice.example"])
    path = tmp_path_factory.mktemp("pki") / "ca.pem"
    path.write_bytes(ca.cert_pem)
    return Pki(ca, leaf, path)


def closed_port() -> int:
    """A loopback port with nothing listening (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Scan:
    output: ProbeOutput | None
    error: ProbeError | None
    seconds: float
    https_server: HttpServer | None = None

    def status(self, rule_id: str, params: Mapping[str, object] | None = None) -> str:
        """The finding a rule gets on this scan: pass, fail, error or not_applicable."""
        rule = RULES[rule_id]
        if self.output is None:
            return "error"
        view = FactView({"http": self.output.facts}, self.output.errors)
        values = {**rule.default_params(), **(params or {})}
        if rule.applies_if is not None:
            applies = evaluate(rule.applies_if, view, values)
            if applies.status != "pass":
                return "not_applicable" if applies.status == "fail" else "error"
        return evaluate(rule.check, view, values).status

    @property
    def facts(self) -> dict:
        assert self.output is not None, self.error
        return self.output.facts


@dataclass
class SharedServers:
    """One HTTPS and one plain-HTTP server for the whole session; each scan swaps their routes."""

    tls: HttpServer
    plain: HttpServer

    def serve(self, server: HttpServer, routes: Mapping[str, Route | Callable]) -> int:
        table = server.routes
        assert isinstance(table, dict)
        table.clear()
        table.update(routes)
        server.requests.clear()
        return server.port


@pytest.fixture(scope="session")
def shared_servers(pki: Pki) -> Iterator[SharedServers]:
    tls = HttpServer(routes={}, tls=server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem)).start()
    plain = HttpServer(routes={}).start()
    yield SharedServers(tls, plain)
    tls.stop()
    plain.stop()


class Listener:
    """A TCP server on 127.0.0.1 that hands each connection to `handle`, on a thread of its own."""

    def __init__(self, handle: Callable[[socket.socket], None], backlog: int = 8) -> None:
        self._handle = handle
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def close(self) -> None:
        self.sock.close()


@dataclass
class LoopbackSite:
    pki: Pki
    shared: SharedServers
    servers: list[HttpServer] = field(default_factory=list)

    def scan(self, https: Mapping[str, Route | Callable] | int | None = None,
             plain: Mapping[str, Route | Callable] | int | None = None, *,
             pages: list[str] | None = None, http_url: str | None = None,
             extra_connect: Mapping[tuple[str, int], tuple[str, int]] | None = None,
             timeout: float = 5.0, deadline: float = 20.0, url: str = SITE, max_pages: int | None = None,
             **settings: object) -> Scan:
        """Serve `https` and `plain` routes (or point at a given port), then run the http probe."""
        https_port = self._serve(good_routes() if https is None else https, tls=True)
        plain_port = self._serve(redirect_routes() if plain is None else plain, tls=False)
        connect_to = {(HOST, 443): ("127.0.0.1", https_port), (HOST, 80): ("127.0.0.1", plain_port)}
        connect_to.update(extra_connect or {})
        net = Network(NetworkSettings(connect_to=connect_to, ca_bundle=self.pki.ca_file,
                                      connect_timeout=timeout, read_timeout=timeout, **settings))
        site = Website(url=url, pages=pages or ["/", "/contact"], http_url=http_url, max_pages=max_pages)
        ctx = ProbeContext(profile=Profile(practice=Practice(name="t")), network=net, options=ScanOptions(),
                           deadline=time.monotonic() + deadline)
        start = time.monotonic()
        try:
            output, error = PROBE.run(Target("website", url, site), ctx), None
        except ProbeError as exc:
            output, error = None, exc
        server = self.shared.tls if https_port == self.shared.tls.port else None
        return Scan(output, error, time.monotonic() - start, server)

    def _serve(self, routes: Mapping[str, Route | Callable] | int, *, tls: bool) -> int:
        if isinstance(routes, int):
            return routes
        return self.shared.serve(self.shared.tls if tls else self.shared.plain, routes)


@pytest.fixture
def site(pki: Pki, shared_servers: SharedServers) -> Iterator[LoopbackSite]:
    loop = LoopbackSite(pki, shared_servers)
    yield loop
    for server in loop.servers:
        server.stop()
