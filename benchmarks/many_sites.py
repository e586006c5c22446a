"""Full scans of N loopback HTTPS websites served by one server process, as the CLI runs them.

    PYTHONPATH=src python benchmarks/many_sites.py --sites 100 --rounds 3 [--only tls] [--sslyze]

One TLS server on 127.0.0.1 answers for every `site-NNNN.sites.example` (a wildcard certificate from
a CA made here); the profile lists N websites with `address: 127.0.0.1`, so nothing leaves loopback.
Each round runs `python -m cyberaudit scan` in a child process and reports wall time, the child's
CPU time (user + system), CPU per site and the child's peak RSS. With `--sslyze PYTHON`, the same
sites are scanned by sslyze (certinfo and protocol versions) run by that interpreter, for a ratio.
With `--history`, each round saves its result and compares with the previous one, as users' scans do.
With `--compare-with SRC`, the same scan is run once more with the cyberaudit source tree SRC (another
checkout's src/) and the two result.json files are compared, apart from timings and timestamps.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
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


def write_profile(path: Path, n: int, port: int, plain_port: int, endpoints: bool = False) -> None:
    lines = ["practice:", "  name: Benchmark practice", "  jurisdiction: US", "targets:"]
    if endpoints:
        lines += ["  endpoints:"]
        lines += [f"    - host: site-{i:04d}.sites.example\n      port: {port}\n      address: 127.0.0.1"
                  for i in range(n)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    lines += ["  websites:"]
    for i in range(n):
        lines += [f"    - url: https://site-{i:04d}.sites.example:{port}/",
                  "      address: 127.0.0.1",
                  f"      http_url: http://site-{i:04d}.sites.example:{plain_port}/"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one child run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss


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
    parser.add_argument("--history", action="store_true",
                        help="keep the history as users do (each round after the first compares with the one before)")
    parser.add_argument("--src", default="", metavar="SRC",
                        help="the cyberaudit source tree to scan with (default: this checkout's src/)")
    parser.add_argument("--compare-with", default="", metavar="SRC",
                        help="another cyberaudit source tree: check that it writes the same result.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ca = certs.make_ca()
        leaf = certs.issue(ca, ["*.sites.example", "sites.example"])
        ca_path = tmp / "ca.pem"
        ca_path.write_bytes(ca.cert_pem)
        routes = {"/": Route(200, PAGE.format(text="Counselling for adults. " * 40), HEADERS),
                  "/static/app.js": Route(200, "console.log(1)", (("Content-Type", "text/javascript"),))}
        https = HttpServer(routes, tls=server_context(leaf.fullchain_pem, leaf.key_pem))
        with https:
            plain = HttpServer({"/": Route(301, "", (("Location", "https://sites.example/"),))})
            with plain:
                profile = tmp / "profile.yaml"
                write_profile(profile, args.sites, https.port, plain.port, args.endpoints)
                cmd = [sys.executable, "-m", "cyberaudit", "scan", "-p", str(profile), "--ca-bundle",
                       str(ca_path), "-o", str(tmp / "result.json"),
                       *(["--history", str(tmp / "history")] if args.history else ["--no-history"]), "-q",
                       "--concurrency", str(args.concurrency)]
                cmd += [a for a in args.extra.split() if a]
                env = dict(os.environ, PYTHONPATH=args.src or str(Path(__file__).resolve().parents[1] / "src"))
                rows = [run_child(cmd, env) for _ in range(args.rounds)]
                walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
                rss = max(r[2] for r in rows)
                print(f"cyberaudit, {args.sites} {'endpoints (TLS only)' if args.endpoints else 'sites'}: "
                      f"wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s, "
                      f"{1000 * statistics.median(cpus) / args.sites:.1f} ms CPU per site, "
                      f"peak RSS {rss / 1024:.0f} MB (median of {args.rounds})")
                if args.compare_with:
                    compare(cmd, tmp / "result.json", args.compare_with)
                if args.sslyze:
                    targets = [f"site-{i:04d}.sites.example:{https.port}{{127.0.0.1}}" for i in range(args.sites)]
                    scmd = [args.sslyze, "-m", "sslyze", "--certinfo", "--sslv2", "--sslv3", "--tlsv1",
                            "--tlsv1_1", "--tlsv1_2", "--tlsv1_3", "--quiet", *targets]
                    srows = [run_child(scmd, dict(os.environ)) for _ in range(args.rounds)]
                    swall = statistics.median(r[0] for r in srows)
                    print(f"sslyze, same sites: wall {swall:.2f} s, peak RSS {max(r[2] for r in srows) / 1024:.0f} MB;"
                          f" cyberaudit/sslyze = {statistics.median(walls) / swall:.2f}x")


if __name__ == "__main__":
    main()
