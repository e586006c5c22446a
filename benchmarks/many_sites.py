"""Full scans of N loopback HTTPS websites served by one server process, as the CLI runs them.

    PYTHONPATH=src python benchmarks/many_sites.py --sites 100 --rounds 3 [--addresses K] [--sslyze PY]

This process serves every `site-NNNN.sites.example` (a wildcard certificate from a CA made here)
on 127.0.0.1, or with `--addresses K` on K loopback addresses 127.0.1.1 … (sites on different
hosts, as a survey of many practices meets them); the profile gives each website its `address:`,
so nothing leaves loopback. Each round runs `python -m cyberaudit scan` in a child process and
reports wall time, the child's CPU time (user + system), CPU per site, the child's peak RSS and
the CPU the server spent. The source is compiled to bytecode first, as an installed package is.
With `--sslyze PYTHON`, the same sites are scanned by sslyze (certinfo and protocol versions) run
by that interpreter, for a ratio. With `--history`, each round saves its result and compares with
the previous one, as users' scans do. `--src SRC` scans with another cyberaudit source tree; with
`--compare-with SRC`, the same scan is run once more with SRC and the two result.json files are
compared, apart from timings and timestamps.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context

PAGE = """<!doctype html><html lang="en"><head><title>Lakeside Counseling</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<script src="/static/app.js"></script><link rel="stylesheet" href="/static/site.css"></head>
<body><h1>Welcome</h1><p>{text}</p><a href="/contact">Contact</a>
<form action="/intake" method="post"><label for="n">Name</label><input id="n" name="name">
<label for="e">E-mail</label><input id="e" name="email" type="email">
<label for="r">What brings you here?</label><textarea id="r" name="reason"></textarea>
<button>Send</button></form></body></html>"""
HEADERS = (("Content-Type", "text/html; charset=utf-8"),
           ("Strict-Transport-Security", "max-age=31536000"),
           ("X-Content-Type-Options", "nosniff"),
           ("Set-Cookie", "sid=abc; Path=/; HttpOnly"))


def address_of(i: int, addresses: int) -> str:
    """Site i's loopback address: 127.0.0.1 for all, or one of `addresses` from 127.0.1.1 on."""
    if addresses <= 1:
        return "127.0.0.1"
    k = i % addresses
    return f"127.0.{1 + k // 250}.{1 + k % 250}"


def write_profile(path: Path, n: int, port: int, plain_port: int, endpoints: bool = False,
                  addresses: int = 1) -> None:
    lines = ["practice:", "  name: Benchmark practice", "  jurisdiction: US", "targets:"]
    if endpoints:
        lines += ["  endpoints:"]
        lines += [f"    - host: site-{i:04d}.sites.example\n      port: {port}\n"
                  f"      address: {address_of(i, addresses)}" for i in range(n)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    lines += ["  websites:"]
    for i in range(n):
        lines += [f"    - url: https://site-{i:04d}.sites.example:{port}/",
                  f"      address: {address_of(i, addresses)}",
                  f"      http_url: http://site-{i:04d}.sites.example:{plain_port}/"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one child run, and this process's CPU
    seconds meanwhile (the servers answering it). The child's own rusage, from wait4."""
    served = resource.getrusage(resource.RUSAGE_SELF)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        server = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(served)
        if proc.returncode not in (0, 1):
            err.seek(0)
            sys.exit(f"{cmd[0]} exited {proc.returncode}: {err.read().decode(errors='replace').strip()[-400:]}")
    return wall, _cpu(usage), usage.ru_maxrss, server


def site_fixture(tmp: Path) -> tuple[Path, ssl.SSLContext, dict[str, Route], dict[str, Route]]:
    """A CA made for the run (its PEM written in `tmp`), the sites' server context, and the routes
    of the HTTPS sites and of their plain-HTTP twins."""
    ca = certs.make_ca()
    leaf = certs.issue(ca, ["*.sites.example", "sites.example"])
    ca_path = tmp / "ca.pem"
    ca_path.write_bytes(ca.cert_pem)
    routes = {"/": Route(200, PAGE.format(text="Counselling for adults. " * 40), HEADERS),
              "/static/app.js": Route(200, "console.log(1)", (("Content-Type", "text/javascript"),))}
    plain = {"/": Route(301, "", (("Location", "https://sites.example/"),))}
    return ca_path, server_context(leaf.fullchain_pem, leaf.key_pem), routes, plain


def serve(addresses: int, routes: dict[str, Route], tls: ssl.SSLContext | None) -> list[HttpServer]:
    """One server per loopback address, all on one port, in this process."""
    first = HttpServer(routes, tls=tls, host=address_of(0, addresses)).start()
    servers = [first]
    for i in range(1, max(1, addresses)):
        servers.append(HttpServer(routes, tls=tls, host=address_of(i, addresses), port=first.port).start())
    return servers


def comparable(path: Path) -> list[str]:
    """A result.json's lines without what differs from run to run: timings, timestamps, probe durations."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"(duration_ms|total_ms|probes_ms)": \d+', r'"\1": 0', text)
    text = re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""', text)
    return text.splitlines()


def compare(cmd: list[str], result: Path, src: str) -> None:
    """Run `cmd` with the source tree `src` and say whether its result equals this tree's."""
    mine = comparable(result)
    other_path = result.with_name("other-result.json")
    run_child([str(other_path) if a == str(result) else a for a in cmd], dict(os.environ, PYTHONPATH=src))
    other = comparable(other_path)
    if mine == other:
        print(f"result.json identical to the one {src} writes (apart from timings and timestamps)")
        return
    diff = next(i for i, (a, b) in enumerate(zip(mine, other, strict=False)) if a != b) \
        if any(a != b for a, b in zip(mine, other, strict=False)) else min(len(mine), len(other))
    print(f"result.json differs from {src}'s from line {diff + 1} ({len(mine)} and {len(other)} lines)")
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--endpoints", action="store_true", help="TLS endpoints instead of websites (TLS only)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--extra", default="", help="extra scan arguments, space-separated")
    parser.add_argument("--sslyze", default="", help="a Python interpreter with sslyze installed")
    parser.add_argument("--addresses", type=int, default=1,
                        help="spread the sites over this many loopback addresses (default: all on 127.0.0.1)")
    parser.add_argument("--history", action="store_true",
                        help="keep the history as users do (each round after the first compares with the one before)")
    parser.add_argument("--src", default="", metavar="SRC",
                        help="the cyberaudit source tree to scan with (default: this checkout's src/)")
    parser.add_argument("--compare-with", default="", metavar="SRC",
                        help="another cyberaudit source tree: check that it writes the same result.json")
    args = parser.parse_args()
    src = Path(args.src) if args.src else Path(__file__).resolve().parents[1] / "src"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True, stdout=subprocess.DEVNULL,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ca_path, tls, routes, plain_routes = site_fixture(tmp)
        servers = serve(args.addresses, routes, tls)
        plains = serve(args.addresses, plain_routes, None)
        try:
            profile = tmp / "profile.yaml"
            port, plain_port = servers[0].port, plains[0].port
            write_profile(profile, args.sites, port, plain_port, args.endpoints, args.addresses)
            cmd = [sys.executable, "-m", "cyberaudit", "scan", "-p", str(profile), "--ca-bundle",
                   str(ca_path), "-o", str(tmp / "result.json"),
                   *(["--history", str(tmp / "history")] if args.history else ["--no-history"]), "-q",
                   "--concurrency", str(args.concurrency)]
            cmd += [a for a in args.extra.split() if a]
            env = dict(os.environ, PYTHONPATH=str(src))
            rows = [run_child(cmd, env) for _ in range(args.rounds)]
            walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
            rss = max(r[2] for r in rows)
            print(f"cyberaudit, {args.sites} {'endpoints (TLS only)' if args.endpoints else 'sites'}"
                  f" on {max(1, args.addresses)} address(es): "
                  f"wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s, "
                  f"{1000 * statistics.median(cpus) / args.sites:.1f} ms CPU per site, "
                  f"peak RSS {rss / 1024:.0f} MB, server CPU {statistics.median(r[3] for r in rows):.2f} s "
                  f"(median of {args.rounds}; walls {', '.join(f'{w:.2f}' for w in walls)})")
            if args.compare_with:
                compare(cmd, tmp / "result.json", args.compare_with)
            if args.sslyze:
                targets = [f"site-{i:04d}.sites.example:{port}{{{address_of(i, args.addresses)}}}"
                           for i in range(args.sites)]
                scmd = [args.sslyze, "-m", "sslyze", "--certinfo", "--sslv2", "--sslv3", "--tlsv1",
                        "--tlsv1_1", "--tlsv1_2", "--tlsv1_3", "--quiet", *targets]
                srows = [run_child(scmd, dict(os.environ)) for _ in range(args.rounds)]
                swall = statistics.median(r[0] for r in srows)
                print(f"sslyze, same sites: wall {swall:.2f} s, peak RSS {max(r[2] for r in srows) / 1024:.0f} MB;"
                      f" cyberaudit/sslyze = {statistics.median(walls) / swall:.2f}x")
        finally:
            for server in servers + plains:
                server.stop()


if __name__ == "__main__":
    main()
