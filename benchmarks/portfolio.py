"""A portfolio of N client practices (a website, a mail domain on a loopback DNS responder and a
declared platform each), scanned whole and as 4 shards merged, compared client by client.

    PYTHONPATH=src python benchmarks/portfolio.py --clients 40 [--shards 4]

Prints the wall time of the whole run, of each shard and of the merge, and whether the merged
index equals the unsharded one (slug, status, grade, score, critical, high, problems).
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trustme

from cyberaudit.demo.dns_server import DnsResponder, txt
from cyberaudit.demo.http_server import HttpServer, Route

PAGE = ('<html><head><script src="https://www.googletagmanager.com/gtag/js?id=G-XYZ"></script></head>'
        '<body><form action="/book" method="post"><input name="email"></form></body></html>')
KEEP = ("slug", "status", "grade", "score", "critical", "high", "problems")


def write_client(path: Path, i: int, https: int, plain: int, dns: str) -> None:
    path.write_text("\n".join([
        "practice:", f"  name: Client {i:03d} Counseling", "  jurisdiction: US", "targets:", "  websites:",
        f"    - url: https://c{i}.portfolio.example:{https}/", "      address: 127.0.0.1",
        f"      http_url: http://c{i}.portfolio.example:{plain}/",
        "  mail_domains:", f"    - domain: c{i}.portfolio.example", "dns:", f"  nameservers: ['{dns}']",
        "platforms:", "  - name: SimplePractice", "    holds_client_data: true", "    baa_signed: true",
    ]) + "\n", encoding="utf-8")


def cli(*args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "cyberaudit", *args], env=env, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"cyberaudit {' '.join(args[:2])} exited {run.returncode}: {run.stderr.strip()[-400:]}")
    return time.perf_counter() - start


def index(folder: Path) -> list[dict]:
    return [{k: c.get(k) for k in KEEP} for c in json.loads((folder / "index.json").read_text())["clients"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--shards", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ca = trustme.CA()
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("*.portfolio.example").configure_cert(server_ctx)
        ca.cert_pem.write_to_path(str(tmp / "ca.pem"))
        zone = {}
        for i in range(args.clients):
            d = f"c{i}.portfolio.example"
            zone[d] = {"A": ["127.0.0.1"], "TXT": [txt("v=spf1 -all")], "MX": [f"10 mx.{d}."]}
            zone[f"_dmarc.{d}"] = {"TXT": [txt("v=DMARC1; p=reject")] if i % 3 else [txt("v=DMARC1; p=none")]}
        headers = (("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "sid=1; Path=/"))
        with HttpServer({"/": Route(200, PAGE, headers)}, tls=server_ctx) as https, \
                HttpServer({"/": Route(200, "plain", (("Content-Type", "text/plain"),))}) as plain, \
                DnsResponder(zone) as dns:
            clients = tmp / "clients"
            clients.mkdir()
            for i in range(args.clients):
                write_client(clients / f"client-{i:03d}.yaml", i, https.port, plain.port, dns.address)
            common = ("--profiles", str(clients), "--ca-bundle", str(tmp / "ca.pem"), "--no-history", "-q",
                      "--keep-going")
            whole = cli("scan", *common, "-o", str(tmp / "whole"))
            shards = [cli("scan", *common, "--shard", f"{i}/{args.shards}", "-o", str(tmp / f"s{i}"))
                      for i in range(1, args.shards + 1)]
            merge = cli("merge", *[str(tmp / f"s{i}") for i in range(1, args.shards + 1)], "-o", str(tmp / "m"))
            same = index(tmp / "m") == index(tmp / "whole")
            print(f"{args.clients} clients: whole run {whole:.1f} s, {len(index(tmp / 'whole'))} index rows; "
                  f"{args.shards} shards {', '.join(f'{s:.1f}' for s in shards)} s, merge {merge:.1f} s; "
                  f"merged index {'equals' if same else 'DIFFERS FROM'} the unsharded one")


if __name__ == "__main__":
    main()
