"""Cost of the smtp probe on loopback MX hosts; reproducible, no network needed.

    PYTHONPATH=src:. python benchmarks/smtp_probe.py [--runs 10]

Prints:
1. per MX address, for each kind of server (TLS 1.2 + 1.3; TLS 1.0 to 1.2; TLS 1.0 only; no
   STARTTLS): TCP connections, SMTP commands (as counted by the probe and as seen by the server)
   and TLS handshakes, version probing included;
2. the median and worst wall time per domain with 2 MX hosts of 2 addresses each (real SMTP with
   STARTTLS on 127.0.x.y), over --runs runs;
3. what happens at the deadline: 4 MX that never greet (3 s deadline, 30 s read timeout), and 2 MX
   whose greeting takes 0.4 s on every connection with a 0.7 s deadline (the first connection
   finishes, the version connections cannot).
"""

from __future__ import annotations

import argparse
import ssl
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from cyberaudit.demo import certs
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.http_server import server_context
from cyberaudit.demo.smtp_server import SmtpServer
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.smtp.probe import PROBE
from cyberaudit.profile import MailDomain, Practice, Profile
from cyberaudit.targets import Target

KINDS: dict[str, dict[str, Any]] = {
    "TLS 1.2 + 1.3": {},
    "TLS 1.0 to 1.2": {"minimum": ssl.TLSVersion.TLSv1, "maximum": ssl.TLSVersion.TLSv1_2,
                       "ciphers": "DEFAULT:@SECLEVEL=0"},
    "TLS 1.0 only": {"minimum": ssl.TLSVersion.TLSv1, "maximum": ssl.TLSVersion.TLSv1,
                     "ciphers": "DEFAULT:@SECLEVEL=0"},
    "no STARTTLS": {},
}


def serve(stack: ExitStack, domain: str, mx_count: int, per_mx: int, mode: str, ca: certs.Issued, base: int,
          tls: dict[str, Any] | None = None, delay: float = 0.0) -> tuple[DnsResponder, dict, list[SmtpServer]]:
    zone: dict = {domain: {"MX": [f"{10 * (i + 1)} mx{i}.{domain}." for i in range(mx_count)]}}
    connect_to, servers = {}, []
    for i in range(mx_count):
        name = f"mx{i}.{domain}"
        leaf = certs.issue(ca, [name], key_type="rsa", key_size=2048)
        addrs = [f"127.0.{base}.{i * per_mx + j + 1}" for j in range(per_mx)]
        zone[name] = {"A": addrs}
        for a in addrs:
            context = server_context(leaf.fullchain_pem, leaf.key_pem, **(tls or {}))
            srv = stack.enter_context(SmtpServer(mode, context, host=a, name=name,  # type: ignore[arg-type]
                                                 greeting_delay=delay))
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


def per_address(ca: certs.Issued, bundle: str) -> None:
    print("per MX address (version probing included; median time of 5 runs after a warm-up):")
    for n, (kind, tls) in enumerate(KINDS.items()):
        with ExitStack() as stack:
            mode = "no_starttls" if kind == "no STARTTLS" else "good"
            dns, connect_to, servers = serve(stack, f"k{n}.bench", 1, 1, mode, ca, 20 + n, tls)
            run(f"k{n}.bench", dns, connect_to, bundle, deadline=30, read_timeout=10)  # warm-up, not timed
            times = []
            for _ in range(5):
                del servers[0].commands[:]
                out, took = run(f"k{n}.bench", dns, connect_to, bundle, deadline=30, read_timeout=10)
                times.append(took)
            took = statistics.median(times)
            (s,) = out.facts["servers"]
            seen = servers[0].commands
            accepted = [p for p, ok in s["protocols"].items() if ok]
            print(f"  {kind:15} {s['connections']} connections, {s['commands']} SMTP commands "
                  f"(server saw {len(seen)}: {sorted(set(c.split()[0] for c in seen))}), "
                  f"{s['handshakes']} TLS handshakes, {took * 1000:.0f} ms; accepted {accepted or '-'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    ca = certs.make_ca()
    bundle = Path(tempfile.mkdtemp()) / "ca.pem"
    bundle.write_bytes(ca.cert_pem)
    per_address(ca, str(bundle))
    with ExitStack() as stack:
        dns, connect_to, servers = serve(stack, "two.bench", 2, 2, "good", ca, 10)
        times = []
        for _ in range(args.runs):
            out, took = run("two.bench", dns, connect_to, str(bundle), deadline=30, read_timeout=10)
            times.append(took)
        f = out.facts
        print(f"2 MX x 2 addresses, TLS 1.2 + 1.3: {len(f['servers'])} servers, {f['connections']} connections, "
              f"{f['commands']} SMTP commands, {f['handshakes']} TLS handshakes per domain; median "
              f"{statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms over {args.runs} runs")
        dns2, connect2, _ = serve(stack, "silent.bench", 4, 1, "silent", ca, 11)
        out, took = run("silent.bench", dns2, connect2, str(bundle), deadline=3, read_timeout=30)
        statuses = {s["status"] for s in out.facts["servers"]}
        print(f"4 MX that never greet, deadline 3 s, read timeout 30 s: returned after {took:.2f} s, "
              f"statuses {statuses}, MAIL-MX-STARTTLS reads error: {out.errors.get('smtp.starttls', '')[:110]}")
        dns3, connect3, _ = serve(stack, "slow.bench", 2, 1, "good", ca, 12, delay=0.4)
        out, took = run("slow.bench", dns3, connect3, str(bundle), deadline=0.7, read_timeout=5)
        s = out.facts["servers"][0]
        print(f"2 MX greeting after 0.4 s, deadline 0.7 s: returned after {took:.2f} s, statuses "
              f"{[x['status'] for x in out.facts['servers']]}, protocols {s['protocols']}, "
              f"version_errors {s['version_errors'][:1]}, MAIL-MX-TLS-VERSIONS reads "
              f"{'pass' if out.facts['tls_versions']['ok'] else 'fail'}")


if __name__ == "__main__":
    main()
