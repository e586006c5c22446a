"""Helpers for the tls tests: loopback TLS servers, probing them, evaluating the tls pack."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from OpenSSL import crypto

from cyberaudit import conditions, packs
from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.tls.probe import PROBE
from cyberaudit.profile import Endpoint, Practice, Profile
from cyberaudit.targets import Target

HOST = "portal.lakeside.test"
NOW = dt.datetime.now(dt.timezone.utc)
# generous for servers that answer, short for the hostile ones (see hostile tests)
GOOD_TIMEOUT = 10.0


def resign_sha1(leaf: certs.Issued, issuer: certs.Issued) -> certs.Issued:
    """The same certificate signed with SHA-1 by the same issuer.

    cryptography refuses to create SHA-1 signatures; OpenSSL's X509_sign (via pyOpenSSL) still does,
    which is how such certificates were made in the wild.
    """
    cert = crypto.X509.from_cryptography(leaf.cert)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # X509.sign: the only SHA-1 signer left
        cert.sign(crypto.PKey.from_cryptography_key(issuer.key), "sha1")  # type: ignore[arg-type]
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
    return certs.Issued(pem, leaf.key_pem, leaf.chain_pem, x509.load_pem_x509_certificate(pem), leaf.key)


def self_signed(names: list[str]) -> certs.Issued:
    """A leaf signed by its own key, as `openssl req -x509` makes them."""
    ca = certs.make_ca(names[0])
    return certs.Issued(ca.cert_pem, ca.key_pem, b"", ca.cert, ca.key)


@contextmanager
def tls_server(chain_pem: bytes, key_pem: bytes, **kwargs: Any) -> Iterator[HttpServer]:
    """An HTTPS server on 127.0.0.1 serving `chain_pem` (leaf first) with server_context options."""
    with HttpServer({"/": Route(200, "ok")}, tls=server_context(chain_pem, key_pem, **kwargs)) as srv:
        yield srv


def network_for(port: int, bundle: Path | None, *, timeout: float = GOOD_TIMEOUT) -> Network:
    """HOST:443 connects to 127.0.0.1:port (curl's --connect-to); SNI and checks keep HOST."""
    return Network(NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", port)}, ca_bundle=bundle,
                                   connect_timeout=timeout, read_timeout=timeout))


def probe(network: Network, *, host: str = HOST, port: int = 443, deadline: float = 30.0) -> ProbeOutput:
    ctx = ProbeContext(profile=Profile(practice=Practice(name="t")), network=network, options=ScanOptions(),
                       deadline=time.monotonic() + deadline)
    return PROBE.run(Target("endpoint", f"{host}:{port}", Endpoint(host=host, port=port)), ctx)


def probe_server(srv: HttpServer, bundle: Path | None) -> ProbeOutput:
    return probe(network_for(srv.port, bundle))


@dataclass(frozen=True)
class Verdicts:
    output: ProbeOutput
    statuses: dict[str, str]
    reasons: dict[str, list[str]]

    def __getitem__(self, rule_id: str) -> str:
        return self.statuses[rule_id]


def judge(pack: packs.Pack, output: ProbeOutput, params: dict[str, dict[str, Any]] | None = None) -> Verdicts:
    """Every rule of the tls pack evaluated against one probe output."""
    view = conditions.FactView({"tls": output.facts}, output.errors)
    statuses: dict[str, str] = {}
    reasons: dict[str, list[str]] = {}
    for rule in pack.rules:
        values = {**rule.default_params(), **(params or {}).get(rule.id, {})}
        outcome = conditions.evaluate(rule.check, view, values)
        statuses[rule.id] = outcome.status
        reasons[rule.id] = outcome.reasons
    return Verdicts(output, statuses, reasons)


class RawServer:
    """A TCP server on 127.0.0.1 whose per-connection behaviour is a plain function (hostile servers)."""

    def __init__(self, behaviour: Any) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.behaviour = behaviour
        self.connections = 0
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            self._held.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            self.behaviour(conn)
        except OSError:
            pass

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        for c in self._held:
            c.close()
        self.sock.close()


def pem_of(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


TLS1 = ssl.TLSVersion.TLSv1
TLS1_1 = ssl.TLSVersion.TLSv1_1
TLS1_2 = ssl.TLSVersion.TLSv1_2
TLS1_3 = ssl.TLSVersion.TLSv1_3
