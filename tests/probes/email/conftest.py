"""Loopback DNS and HTTPS servers for the email probe, and helpers to run it and its rules."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from cyberaudit.demo.certs import issue, make_ca
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.evaluate import TargetFacts, evaluate_rule
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.packs import Pack, load_pack
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.email.probe import PROBE
from cyberaudit.profile import MailDomain, Practice, Profile
from cyberaudit.resources import builtin_rules_dir
from cyberaudit.targets import Target

from . import zones

POLICY_PATH = "/.well-known/mta-sts.txt"
TEXT = (("Content-Type", "text/plain; charset=utf-8"),)


@pytest.fixture(scope="session")
def zone() -> dict:
    return zones.build_zone()


@pytest.fixture(scope="session")
def dns_server(zone: dict) -> Iterator[DnsResponder]:
    with DnsResponder(zone, silent=zones.SILENT, servfail=zones.SERVFAIL) as server:
        yield server


@pytest.fixture(scope="session")
def signed_dns_server(zone: dict) -> Iterator[DnsResponder]:
    with DnsResponder(zone, signed=True) as server:
        yield server


@pytest.fixture(scope="session")
def ca_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    ca = make_ca()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_bytes(ca.cert_pem)
    return ca, path


def policy_route(path: str, headers: Mapping[str, str]) -> Route:
    host = next((v for k, v in headers.items() if k.lower() == "host"), "").split(":")[0]
    if path != POLICY_PATH:
        return Route(404, "not found", TEXT)
    if host == "mta-sts.good.test":
        return Route(200, zones.GOOD_POLICY, TEXT)
    if host == "mta-sts.ststesting.test":
        return Route(200, zones.TESTING_POLICY, TEXT)
    if host == "mta-sts.stsmx.test":
        return Route(200, zones.STSMX_POLICY, TEXT)
    if host == "mta-sts.ststype.test":  # a valid enforce policy, served as a web page
        return Route(200, zones.GOOD_POLICY.replace("good.test", "ststype.test"))
    if host == "mta-sts.stsredirect.test":
        return Route(301, "", (("Location", "https://mta-sts.good.test" + POLICY_PATH),))
    return Route(404, "not found", TEXT)


@pytest.fixture(scope="session")
def policy_server(ca_file: tuple) -> Iterator[HttpServer]:
    ca, _ = ca_file
    leaf = issue(ca, [f"mta-sts.{name}.test" for name in zones.POLICY_HOSTS])
    with HttpServer(routes={POLICY_PATH: policy_route}, tls=server_context(leaf.fullchain_pem, leaf.key_pem)) as srv:
        yield srv


class SilentServer:
    """Accepts TCP connections on loopback and never sends a byte (a hostile policy host)."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self._held.append(conn)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self._held:
            conn.close()
        self._sock.close()


@pytest.fixture(scope="session")
def silent_https() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.stop()


RunProbe = Callable[..., ProbeOutput]


@pytest.fixture
def run_probe(dns_server: DnsResponder, signed_dns_server: DnsResponder, policy_server: HttpServer,
              silent_https: SilentServer, ca_file: tuple) -> RunProbe:
    """Run the email probe on a domain with the test servers; keyword arguments tune the network."""

    def run(domain: str, *, selectors: tuple[str, ...] = (), senders: tuple[str, ...] = (),
            signed: bool = False, deadline: float = 20.0, **settings: object) -> ProbeOutput:
        server = signed_dns_server if signed else dns_server
        connect_to = {(f"mta-sts.{name}.test", 443): ("127.0.0.1", policy_server.port)
                      for name in zones.POLICY_HOSTS}
        connect_to[("mta-sts.stshang.test", 443)] = ("127.0.0.1", silent_https.port)
        base = {"nameservers": (("127.0.0.1", server.port),), "connect_to": connect_to,
                "ca_bundle": ca_file[1], "dns_timeout": 2.0, "dns_retries": 0, "connect_timeout": 2.0,
                "read_timeout": 5.0}
        network = Network(NetworkSettings(**{**base, **settings}))
        ctx = ProbeContext(profile=Profile(practice=Practice(name="t")), network=network,
                           options=ScanOptions(), deadline=time.monotonic() + deadline)
        spec = MailDomain(domain=domain, dkim_selectors=list(selectors), senders=list(senders))
        return PROBE.run(Target("mail_domain", domain, spec), ctx)

    return run


@pytest.fixture(scope="session")
def email_pack() -> Pack:
    return load_pack(builtin_rules_dir() / "email.yaml", builtin=True)


Evaluate = Callable[[ProbeOutput], dict[str, str]]


@pytest.fixture
def evaluate(email_pack: Pack) -> Evaluate:
    """Every rule of the email pack on one probe output: rule id → status."""

    def run(output: ProbeOutput) -> dict[str, str]:
        tf = TargetFacts({"email": output.facts}, output.errors, {}, frozenset())
        target = Target("mail_domain", output.facts.get("domain", "?"))
        return {rule.id: evaluate_rule(rule, target, tf, rule.default_params(), (), dt.date.today()).status
                for rule in email_pack.rules if rule.model.probe == "email"}  # smtp rules: tests/probes/smtp

    return run
