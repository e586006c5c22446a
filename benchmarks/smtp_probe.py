"""Cost of the smtp probe on loopback MX hosts; reproducible, no network needed.

    PYTHONPATH=src:. python benchmarks/smtp_probe.py [--runs 10]

Prints, for a domain with 2 MX hosts of 2 addresses each (real SMTP with STARTTLS on 127.0.0.x):
TCP connections, SMTP commands and TLS handshakes per MX address, and the median and worst wall
time per domain. Then a domain whose 4 MX hosts never send a greeting, with a 3 s probe deadline
and a 30 s read timeout: how long the probe takes and what it reports.
"""

from __future__ import annotations

import argparse
import statistics
import time
from contextlib import ExitStack

from cyberaudit.demo import certs
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.http_server import server_context
from cyberaudit.demo.smtp_server import SmtpServer
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.smtp.probe import PROBE
from cyberaudit.profile import MailDomain, Practice, Profile
from cyberaudit.targets import Target


def serve(stack: ExitStack, domain: str, mx_count: int, per_mx: int, mode: str, ca: certs.Issued,
          base: int) -> tuple[DnsResponder, dict, list[SmtpServer]]:
    zone: dict = {domain: {"MX": [f"{10 * (i + 1)} mx{i}.{domain}." for i in range(mx_count)]}}
    connect_to, servers = {}, []
    for i in range(mx_count):
        name = f"mx{i}.{domain}"
        leaf = certs.issue(ca, [name])
        addrs = [f"127.0.{base}.{i * per_mx + j + 1}" for j in range(per_mx)]
        zone[name] = {"A": addrs}
        for a in addrs:
            srv = stack.enter_context(SmtpServer(mode, server_context(leaf.fullchain_pem, leaf.key_pem),  # type: ignore[arg-type]
                                                 host=a, name=name))
            servers.append(srv)
            connect_to[(a, 25)] = (a, srv.port)
    return stack.enter_context(DnsResponder(zone)), connect_to, servers


def run(domain: str, dns: DnsResponder, connect_to: dict, bundle: str, *, deadline: float,
        read_timeout: float) -> tuple[ProbeOutput, float]:
    network = Network(NetworkSettings(nameservers=(("127.0.0.1", dns.port),), connect_to=connect_to,
                                      ca_bundle=bundle, read_timeout=read_timeout))  # type: ignore[arg-type]
    ctx = ProbeContext(profile=Profile(practice=Practice(name="bench")), network=network, options=ScanOptions(),
                       deadline=time.monotonic() + deadline)
    start = time.perf_counter()
    out = PROBE.run(Target("mail_domain", domain, MailDomain(domain=domain)), ctx)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    import tempfile
    from pathlib import Path

    ca = certs.make_ca()
    bundle = Path(tempfile.mkdtemp()) / "ca.pem"
    bundle.write_bytes(ca.cert_pem)
    with ExitStack() as stack:
        dns, connect_to, servers = serve(stack, "two.bench", 2, 2, "good", ca, 10)
        times = []
        for _ in range(args.runs):
            out, took = run("two.bench", dns, connect_to, str(bundle), deadline=30, read_timeout=10)
            times.append(took)
        n = len(out.facts["servers"])
        print(f"2 MX x 2 addresses, STARTTLS good: {n} servers, per MX address "
              f"{out.facts['commands'] / n:g} SMTP commands, {out.facts['handshakes'] / n:g} TLS handshake, "
              f"1 TCP connection; per domain median {statistics.median(times) * 1000:.0f} ms, "
              f"worst {max(times) * 1000:.0f} ms over {args.runs} runs "
              f"(server-side commands seen: {sorted({c.split()[0] for s in servers for c in s.commands})})")
        dns2, connect2, _ = serve(stack, "silent.bench", 4, 1, "silent", ca, 11)
        out, took = run("silent.bench", dns2, connect2, str(bundle), deadline=3, read_timeout=30)
        statuses = {s["status"] for s in out.facts["servers"]}
        print(f"4 MX that never greet, deadline 3 s, read timeout 30 s: returned after {took:.2f} s, "
              f"statuses {statuses}, MAIL-MX-STARTTLS reads error: {out.errors.get('smtp.starttls', '')[:110]}")


if __name__ == "__main__":
    main()
