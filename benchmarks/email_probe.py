"""Time and DNS queries of the email probe on loopback zones; reproducible, no network needed.

    PYTHONPATH=src:. python benchmarks/email_probe.py [--runs 20]

Prints, for the good domain of the test zones (all records present, MTA-STS policy over HTTPS):
median and worst wall time per probe run with a cold cache, DNS queries per run, and peak memory.
A second line does the same with every DKIM selector silent, to show the cost of a slow zone.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

from tests.probes.email import zones
from tests.probes.email.conftest import POLICY_PATH, policy_route

from cyberaudit.demo.certs import issue, make_ca
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.http_server import HttpServer, server_context
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.base import ProbeContext, ScanOptions
from cyberaudit.probes.email.probe import PROBE
from cyberaudit.profile import MailDomain, Practice, Profile
from cyberaudit.targets import Target


def measure(domain: str, dns: DnsResponder, settings: dict, runs: int) -> tuple[list[float], int, int]:
    times, queries = [], 0
    tracemalloc.start()
    for _ in range(runs):
        network = Network(NetworkSettings(nameservers=(("127.0.0.1", dns.port),), **settings))
        ctx = ProbeContext(profile=Profile(practice=Practice(name="bench")), network=network,
                           options=ScanOptions(), deadline=time.monotonic() + 30)
        start = time.perf_counter()
        PROBE.run(Target("mail_domain", domain, MailDomain(domain=domain, senders=["198.51.100.25"])), ctx)
        times.append(time.perf_counter() - start)
        queries = network.dns.queries_sent
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return times, queries, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ca = make_ca()
    leaf = issue(ca, [f"mta-sts.{n}.test" for n in zones.POLICY_HOSTS])
    with open("/tmp/cyberaudit-bench-ca.pem", "wb") as fh:
        fh.write(ca.cert_pem)
    with DnsResponder(zones.build_zone(), silent=zones.SILENT) as dns, \
            HttpServer(routes={POLICY_PATH: policy_route},
                       tls=server_context(leaf.fullchain_pem, leaf.key_pem)) as web:
        settings = {"connect_to": {("mta-sts.good.test", 443): ("127.0.0.1", web.port)},
                    "ca_bundle": "/tmp/cyberaudit-bench-ca.pem", "dns_timeout": 1.0, "dns_retries": 0}
        for label, domain, runs in (("good.test", "good.test", args.runs),
                                    ("slowdkim.test (26 silent selectors, 1 s timeout)", "slowdkim.test", 3)):
            times, queries, peak = measure(domain, dns, settings, runs)
            print(f"{label}: median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms, "
                  f"{queries} DNS queries per run, peak traced memory {peak / 1024:.0f} KiB ({runs} runs)")


if __name__ == "__main__":
    main()
