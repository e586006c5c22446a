"""Speed of check_host() and analyze_spf() over real loopback DNS.

Runs every openspf suite test whose zone answers all queries (TIMEOUT scenarios left out, as they
measure the timeout), with a fresh DnsClient per check so every lookup goes over the wire, then
walks a 10-lookup include tree. Reports checks per second and peak Python memory.

    PYTHONPATH=src python benchmarks/spf_check_host.py [ROUNDS]
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.spf_zones import build_zone, load_suite  # noqa: E402

from cyberaudit.demo.dns_server import DnsResponder, txt  # noqa: E402
from cyberaudit.dnsclient import DnsClient  # noqa: E402
from cyberaudit.spf import analyze_spf, check_host  # noqa: E402


def main(rounds: int) -> None:
    tracemalloc.start()
    checks = queries = 0
    elapsed = 0.0
    for scenario in load_suite():
        zone, silent = build_zone(scenario["zonedata"])
        if silent:
            continue
        with DnsResponder(zone) as server:
            for _ in range(rounds):
                for test in scenario["tests"].values():
                    dns = DnsClient(((server.host, server.port),), timeout=2.0, retries=0)
                    mailfrom, helo = test["mailfrom"], test["helo"]
                    domain = mailfrom.rpartition("@")[2] if mailfrom else helo
                    start = time.perf_counter()
                    check_host(test["host"], domain, mailfrom, helo, dns)
                    elapsed += time.perf_counter() - start
                    checks += 1
                    queries += dns.queries_sent
    print(f"check_host: {checks} checks, {queries} DNS queries in {elapsed:.2f}s: "
          f"{checks / elapsed:.0f} checks/s, {elapsed / max(queries, 1) * 1000:.2f} ms per query")

    zone = {f"n{i}.example": {"TXT": [txt(f"v=spf1 include:n{i + 1}.example ip4:192.0.2.{i} ~all")]}
            for i in range(1, 10)}
    zone["n10.example"] = {"TXT": [txt("v=spf1 ip4:192.0.2.10 -all")]}
    zone["top.example"] = {"TXT": [txt("v=spf1 include:n1.example -all")]}
    with DnsResponder(zone) as server:
        start = time.perf_counter()
        for _ in range(rounds * 20):
            analyze_spf("top.example", DnsClient(((server.host, server.port),), timeout=2.0, retries=0))
        took = time.perf_counter() - start
    print(f"analyze_spf: 10-lookup tree, {rounds * 20} walks in {took:.2f}s: {took / (rounds * 20) * 1000:.1f} ms each")
    print(f"peak traced memory: {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
