"""Loopback SMTP, DNS and HTTPS servers for the smtp probe, and helpers to run it and its rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from cyberaudit.demo import certs
from cyberaudit.demo.dns_server import DnsResponder, txt
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.demo.smtp_server import Mode, SmtpServer
from cyberaudit.evaluate import TargetFacts, evaluate_rule
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.packs import Pack, load_pack
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.email.probe import PROBE as EMAIL
from cyberaudit.probes.smtp.probe import PROBE as SMTP
from cyberaudit.profile import MailDomain, Practice, Profile
from cyberaudit.resources import builtin_rules_dir
from cyberaudit.targets import Target

NOW = dt.datetime.now(dt.timezone.utc)
POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.sts.test\r\nmax_age: 604800\r\n"


@pytest.fixture(scope="session")
def ca() -> certs.Issued:
    return certs.make_ca()


@pytest.fixture(scope="session")
def bundle(ca: certs.Issued, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("smtp-ca") / "ca.pem"
    path.write_bytes(ca.cert_pem)
    return path


def context(leaf: certs.Issued, **kwargs: object) -> ssl.SSLContext:
    return server_context(leaf.fullchain_pem, leaf.key_pem, **kwargs)  # type: ignore[arg-type]


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def tlsa_311(leaf: certs.Issued) -> str:
    assert leaf.cert is not None
    spki = leaf.cert.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    return f"3 1 1 {hashlib.sha256(spki).hexdigest()}"


@dataclass
class Mx:
    """One MX host of a scenario: its name, the loopback addresses it has and what it serves."""

    name: str
    addresses: tuple[str, ...]
    mode: Mode = "good"
    tls: ssl.SSLContext | None = None
    tlsa: tuple[str, ...] = ()


RunScan = Callable[..., tuple[ProbeOutput, dict[str, str], list[SmtpServer]]]


@pytest.fixture(scope="session")
def smtp_pack() -> Pack:
    return load_pack(builtin_rules_dir() / "email.yaml", builtin=True)


def verdicts(pack: Pack, output: ProbeOutput) -> dict[str, str]:
    tf = TargetFacts({"smtp": output.facts}, output.errors, {}, frozenset())
    target = Target("mail_domain", output.facts.get("domain", "?"))
    return {r.id: evaluate_rule(r, target, tf, r.default_params(), (), dt.date.today()).status
            for r in pack.rules if r.model.probe == "smtp"}


@pytest.fixture
def scan(bundle: Path, ca: certs.Issued, smtp_pack: Pack) -> Iterator[RunScan]:
    """Serve `mxs` for `domain` on loopback, run the email then the smtp probe, evaluate the rules."""
    stack = ExitStack()

    def run(domain: str, mxs: list[Mx], *, signed: bool = False, null: bool = False, policy: str | None = None,
            read_timeout: float = 5.0, deadline: float = 20.0) -> tuple[ProbeOutput, dict[str, str],
                                                                            list[SmtpServer]]:
        zone: dict[str, dict[str, list[str]]] = {domain: {"TXT": [txt("v=spf1 -all")]}}
        zone[domain]["MX"] = ["0 ."] if null else [f"{10 * (i + 1)} {m.name}." for i, m in enumerate(mxs)]
        connect_to: dict[tuple[str, int], tuple[str, int]] = {}
        servers = []
        for m in mxs:
            zone[m.name] = {"A": list(m.addresses)}
            if m.tlsa:
                zone[f"_25._tcp.{m.name}"] = {"TLSA": list(m.tlsa)}
            for addr in m.addresses:
                if m.mode == "absent":  # nothing listens there: the kernel refuses the connection
                    connect_to[(addr, 25)] = (addr, free_port(addr))
                    continue
                srv = stack.enter_context(SmtpServer(m.mode, m.tls, host=addr, name=m.name))
                servers.append(srv)
                connect_to[(addr, 25)] = (addr, srv.port)
        if policy is not None:
            leaf = certs.issue(ca, [f"mta-sts.{domain}"])
            https = stack.enter_context(HttpServer(
                routes={"/.well-known/mta-sts.txt": Route(200, policy, (("Content-Type", "text/plain"),))},
                tls=server_context(leaf.fullchain_pem, leaf.key_pem)))
            zone[f"_mta-sts.{domain}"] = {"TXT": [txt("v=STSv1; id=20260101")]}
            zone[f"mta-sts.{domain}"] = {"A": ["127.0.0.1"]}
            connect_to[(f"mta-sts.{domain}", 443)] = ("127.0.0.1", https.port)
        dns = stack.enter_context(DnsResponder(zone, signed=signed))
        network = Network(NetworkSettings(nameservers=(("127.0.0.1", dns.port),), connect_to=connect_to,
                                          ca_bundle=bundle, dns_timeout=2.0, dns_retries=0,
                                          connect_timeout=2.0, read_timeout=read_timeout))
        profile = Profile(practice=Practice(name="t"))
        target = Target("mail_domain", domain, MailDomain(domain=domain))
        email = EMAIL.run(target, ProbeContext(profile=profile, network=network, options=ScanOptions(),
                                               deadline=time.monotonic() + 20))
        ctx = ProbeContext(profile=profile, network=network, options=ScanOptions(),
                           deadline=time.monotonic() + deadline, deps={"email": email})
        out = SMTP.run(target, ctx)
        return out, verdicts(smtp_pack, out), servers

    yield run
    stack.close()
