"""Time and memory of the tls probe against loopback servers.

    PYTHONPATH=src python benchmarks/tls_probe.py [--rounds N]

Starts three HTTPS servers on 127.0.0.1 (TLS 1.3-only, a typical TLS 1.2 + 1.3 server, and a legacy
server accepting TLS 1.0 and weak suites), probes each N times and prints, per server: handshakes
used, median and worst wall time per probe, and the peak Python memory of one probe (tracemalloc).
Loopback numbers measure the probe's own cost; over the internet add about one round trip per
handshake.
"""

from __future__ import annotations

import argparse
import ssl
import statistics
import tempfile
import time
import tracemalloc
import warnings

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.base import ProbeContext, ScanOptions
from cyberaudit.probes.tls.probe import PROBE
from cyberaudit.profile import Endpoint, Practice, Profile
from cyberaudit.targets import Target

HOST = "bench.lakeside.test"


def _probe(port: int, bundle: str):
    net = Network(NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", port)}, ca_bundle=bundle))
    ctx = ProbeContext(profile=Profile(practice=Practice(name="bench")), network=net, options=ScanOptions(),
                       deadline=time.monotonic() + 60)
    return PROBE.run(Target("endpoint", f"{HOST}:443", Endpoint(host=HOST)), ctx)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    ca = certs.make_ca()
    ec_leaf = certs.issue(ca, [HOST])
    rsa_leaf = certs.issue(ca, [HOST], key_type="rsa", key_size=2048)
    with tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False) as fh:
        fh.write(ca.cert_pem)
        bundle = fh.name
    servers = {
        "tls13-only": server_context(ec_leaf.fullchain_pem, ec_leaf.key_pem, minimum=ssl.TLSVersion.TLSv1_3),
        "typical-1.2+1.3": server_context(ec_leaf.fullchain_pem, ec_leaf.key_pem),
        "legacy-1.0+weak": server_context(rsa_leaf.fullchain_pem, rsa_leaf.key_pem,
                                          minimum=ssl.TLSVersion.TLSv1, ciphers="ALL:@SECLEVEL=0"),
    }
    print(f"{'server':18} {'handshakes':>10} {'median ms':>10} {'max ms':>8} {'peak KiB':>9}")
    for name, context in servers.items():
        with HttpServer({"/": Route(200, "ok")}, tls=context) as srv:
            _probe(srv.port, bundle)  # warm-up: trust store parsing, imports
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                out = _probe(srv.port, bundle)
                times.append((time.perf_counter() - start) * 1000)
            tracemalloc.start()
            _probe(srv.port, bundle)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(f"{name:18} {out.facts['handshakes']:>10} {statistics.median(times):>10.1f} "
              f"{max(times):>8.1f} {peak / 1024:>9.0f}")


if __name__ == "__main__":
    main()
