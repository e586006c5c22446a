"""A full scan of 14 "lab" websites, each its own loopback server, beside sslyze's TLS subset on them.

    PYTHONPATH=src python benchmarks/lab_sites.py --rounds 3 --workers default,1 \
        --sslyze ~/.cache/cyberaudit-interop/sslyze/bin/python

Each site listens on its own 127.0.0.N address and port with its own TLS settings and certificate
(from a root and an intermediate made for the run), plus a plain-HTTP twin; they are modelled on
what small practices run (see SITES). cyberaudit scans them as one profile (`address:` on each
website, `--resolve` for a www. name, `--ca-bundle` for the run's root); sslyze runs certinfo and
every protocol version on the same host:port pairs (`{127.0.0.N}`). A first round of each tool is
not counted (bytecode written, files cached); then rounds alternate the tools, so both see the same
machine. Per tool: median wall, CPU (user + system) and peak RSS of the child
process; then cyberaudit's findings per site by status, each `error` finding, and probe times.
A DNS responder on loopback is the scan's only resolver: any name it is asked for is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import lab_pages as pages
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cyberaudit.demo import certs
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.demo.site import AnyPath

DOMAIN = "lab.example"
STATUSES = ("pass", "fail", "error", "not_applicable", "waived")
TLS12, TLS13 = ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3


@dataclass
class Pki:
    """The run's root (trusted through --ca-bundle) and the intermediate that signs most leaves."""

    root: certs.Issued
    intermediate: certs.Issued
    rsa_intermediate: certs.Issued


@dataclass
class LabSite:
    """One site: what it models, its TLS context, its HTTPS routes and what its plain-HTTP port does."""

    number: int
    label: str
    tls: ssl.SSLContext
    routes: Mapping[str, object]
    plain: str = "redirect"  # redirect (301 to https), serve (the pages over HTTP too) or closed
    pages: tuple[str, ...] = ("/",)
    www_redirect: bool = False
    servers: list[HttpServer] = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"clinic-{self.number:02d}.{DOMAIN}"

    @property
    def address(self) -> str:
        return f"127.0.0.{10 + self.number}"

    @property
    def https_port(self) -> int:
        return self.servers[0].port

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.https_port}/"


def _context(leaf: certs.Issued, *, chain: bool = True, minimum: ssl.TLSVersion | None = TLS12,
             maximum: ssl.TLSVersion | None = None, ciphers: str | None = None) -> ssl.SSLContext:
    cert = leaf.fullchain_pem if chain else leaf.cert_pem
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 are on show on one site
        return server_context(cert, leaf.key_pem, minimum=minimum, maximum=maximum, ciphers=ciphers)


def self_signed(name: str) -> certs.Issued:
    """A leaf signed by its own key, as a NAS or a hosting panel makes: SAN right, issuer unknown."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=30))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return certs.Issued(cert.public_bytes(serialization.Encoding.PEM), key_pem, b"", cert, key)


def _slow(routes: Mapping[str, Route], seed: int, low: float = 0.3, high: float = 0.8) -> AnyPath:
    """Every answer (a 404 too) waits 300-800 ms before its first byte, as an overloaded PHP host does."""
    rng = random.Random(seed)

    def handler(path: str, headers: Mapping[str, str]) -> Route:
        time.sleep(rng.uniform(low, high))
        return routes.get(path.split("?", 1)[0]) or Route(404, "not found", (("Content-Type", "text/plain"),))
    return AnyPath(handler)


def _to_www(site: LabSite, routes: Mapping[str, Route]) -> AnyPath:
    """The bare name answers 301 to www.; the www. name serves the pages."""
    def handler(path: str, headers: Mapping[str, str]) -> Route:
        host = next((v for k, v in headers.items() if k.lower() == "host"), "")
        if not host.startswith("www."):
            return Route(301, "", (("Location", f"https://www.{site.host}:{site.https_port}{path}"),))
        return routes.get(path.split("?", 1)[0]) or Route(404, "not found", (("Content-Type", "text/plain"),))
    return AnyPath(handler)


def build_sites(pki: Pki) -> list[LabSite]:
    """The 14 sites; a site's routes that need its port are bound once its server is up."""
    def leaf(n: int, **kw: object) -> certs.Issued:
        issuer = pki.rsa_intermediate if kw.get("key_type") == "rsa" else pki.intermediate
        return certs.issue(issuer, [f"clinic-{n:02d}.{DOMAIN}", f"www.clinic-{n:02d}.{DOMAIN}"], **kw)  # type: ignore[arg-type]

    now = dt.datetime.now(dt.timezone.utc)
    rsa = {"key_type": "rsa", "key_size": 2048}
    plain_origin = "http://clinic-14.lab.example"
    return [
        LabSite(1, "modern: TLS 1.2+1.3, ECDSA P-256, HSTS, headers and cookies right, security.txt",
                _context(leaf(1)), pages.simple_site("Harbor Therapy", pages.GOOD_HEADERS, security=True)),
        LabSite(2, "TLS 1.3 only", _context(leaf(2), minimum=TLS13),
                pages.simple_site("Northside Psychology", pages.PLAIN_HEADERS)),
        LabSite(3, "still accepts TLS 1.0 and 1.1 (RSA-2048); plain HTTP serves the site too",
                _context(leaf(3, **rsa), minimum=ssl.TLSVersion.TLSv1, ciphers="DEFAULT:@SECLEVEL=0"),
                pages.simple_site("Maple Family Counseling", pages.PLAIN_HEADERS), plain="serve"),
        LabSite(4, "certificate expired 12 days ago",
                _context(leaf(4, not_before=now - dt.timedelta(days=102), not_after=now - dt.timedelta(days=12))),
                pages.simple_site("Cedar Grove Therapy", pages.PLAIN_HEADERS)),
        LabSite(5, "self-signed certificate; nothing on port 80",
                _context(self_signed(f"clinic-05.{DOMAIN}")),
                pages.simple_site("Riverbend Counseling", pages.PLAIN_HEADERS), plain="closed"),
        LabSite(6, "certificate for another name (the host's default certificate)",
                _context(certs.issue(pki.intermediate, ["*.sharedhost.lab.example", "sharedhost.lab.example"])),
                pages.simple_site("Summit Behavioral Health", pages.PLAIN_HEADERS)),
        LabSite(7, "chain missing its intermediate", _context(leaf(7), chain=False),
                pages.simple_site("Willow Creek Counseling", pages.PLAIN_HEADERS)),
        LabSite(8, "RSA-2048 leaf and RSA intermediate, TLS 1.2+1.3", _context(leaf(8, **rsa)),
                pages.simple_site("Bayview Psychotherapy", (("X-Content-Type-Options", "nosniff"),))),
        LabSite(9, "WordPress-like: GA4, Meta Pixel, intake form, 14 pages in a sitemap", _context(leaf(9, **rsa)),
                {}, pages=("/", "/new-client-intake/")),
        LabSite(10, "Squarespace-like: 10 pages, ~56 CDN assets and ~60 kB inline JSON each", _context(leaf(10)),
                pages.squarespace_site("Lumen Therapy Collective")),
        LabSite(11, "redirects http -> https -> www.", _context(leaf(11)),
                {}, www_redirect=True),
        LabSite(12, "slow: 300-800 ms before the first byte of every answer", _context(leaf(12, **rsa)),
                _slow(pages.simple_site("Oak Street Counseling", pages.PLAIN_HEADERS), seed=12)),
        LabSite(13, "weak ciphers: TLS 1.2 at most, CBC-SHA1 and RSA key exchange (no forward secrecy)",
                _context(leaf(13, **rsa), maximum=TLS12,
                         ciphers="ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:AES256-SHA256:ECDHE-RSA-AES128-SHA"),
                pages.simple_site("Pinecrest Counseling", pages.PLAIN_HEADERS)),
        LabSite(14, "headers and cookies done badly: HSTS 300 s, framing allowed, http:// script and form",
                _context(leaf(14)), pages.badly_done_site("Sunrise Wellness", plain_origin), plain="serve"),
    ]


def start(site: LabSite, stack: contextlib.ExitStack) -> None:
    """The HTTPS server, then the plain-HTTP one (its redirect needs the HTTPS port)."""
    https = stack.enter_context(HttpServer({}, tls=site.tls, host=site.address))
    site.servers.append(https)
    if site.number == 9:
        site.routes = pages.wordpress_site("Evergreen Counseling Center", f"https://{site.host}:{https.port}")
    if site.www_redirect:
        site.routes = _to_www(site, pages.simple_site("Meadowbrook Therapy", pages.GOOD_HEADERS))
    https.routes = site.routes  # type: ignore[assignment]
    if site.plain == "closed":
        return
    if site.plain == "serve":
        routes: Mapping[str, object] = site.routes
    else:
        routes = AnyPath(lambda path, headers: Route(301, "", (("Location", f"{site.url.rstrip('/')}{path}"),)))
    site.servers.append(stack.enter_context(HttpServer(routes, host=site.address)))  # type: ignore[arg-type]


def closed_port(address: str) -> int:
    """A port nothing listens on (bound, then released): connection refused, as a closed port 80."""
    with socket.socket() as s:
        s.bind((address, 0))
        return int(s.getsockname()[1])


def write_profile(path: Path, sites: list[LabSite]) -> None:
    lines = ["practice:", "  name: Lab practices", "  jurisdiction: US", "targets:", "  websites:"]
    for site in sites:
        plain_port = site.servers[1].port if len(site.servers) > 1 else closed_port(site.address)
        lines += [f"    - url: {site.url}", f"      address: {site.address}",
                  f"      http_url: http://{site.host}:{plain_port}/",
                  f"      pages: [{', '.join(site.pages)}]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_kib: int


def run_child(cmd: list[str], env: Mapping[str, str]) -> Run:
    """Wall and CPU seconds and peak RSS of exactly this child (wait4, not the children's maximum)."""
    start_t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start_t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:4])} exited {proc.returncode}: {err.decode(errors='replace').strip()[-600:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def summary(name: str, runs: list[Run]) -> str:
    return (f"{name:<28} wall {statistics.median(r.wall for r in runs):6.2f} s   "
            f"CPU {statistics.median(r.cpu for r in runs):6.2f} s   "
            f"peak RSS {max(r.rss_kib for r in runs) / 1024:5.0f} MB   "
            f"(walls: {', '.join(f'{r.wall:.2f}' for r in runs)})")


def site_of(target: str, sites: list[LabSite]) -> LabSite | None:
    return next((s for s in sites if f"{s.host}:" in target or f"/{s.host}" in target), None)


def per_site(result: dict, sites: list[LabSite]) -> tuple[dict[int, Counter], list[str], dict[int, dict]]:
    """Findings by status per site, each error finding, and each site's probe times (ms)."""
    counts: dict[int, Counter] = {s.number: Counter() for s in sites}
    errors: list[str] = []
    for f in result["findings"]:
        site = site_of(f["target"], sites)
        if site is None:
            continue
        counts[site.number][f["status"]] += 1
        if f["status"] == "error":
            errors.append(f"  clinic-{site.number:02d} {f['rule_id']}: {f['message'][:220]}")
    times: dict[int, dict] = {s.number: {} for s in sites}
    for t in result["targets"]:
        site = site_of(t["id"], sites)
        if site is not None:
            for p in t["probes"]:
                times[site.number][p["probe"]] = (p["duration_ms"], p["status"])
    return counts, errors, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", default="default",
                        help="comma-separated worker settings to run, e.g. default,1 ('default': not given)")
    parser.add_argument("--extra", default="", help="extra scan arguments, space-separated")
    parser.add_argument("--sslyze", default="", help="a Python interpreter with sslyze installed")
    parser.add_argument("--serve", action="store_true",
                        help="start the sites, print the scan and sslyze commands, and wait (for profiling)")
    parser.add_argument("--save", type=Path, help="copy the last Result JSON of the first setting here")
    args = parser.parse_args()
    settings = [w.strip() for w in args.workers.split(",") if w.strip()]

    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        root = certs.make_ca("Lab Root CA (cyberaudit benchmark)")
        pki = Pki(root, certs.issue(root, [], is_ca=True, common_name="Lab Issuing CA E1"),
                  certs.issue(root, [], is_ca=True, common_name="Lab Issuing CA R1", key_type="rsa", key_size=2048))
        ca_path = tmp / "ca.pem"
        ca_path.write_bytes(root.cert_pem)
        sites = build_sites(pki)
        for site in sites:
            start(site, stack)
        dns = stack.enter_context(DnsResponder({}, "127.0.0.1"))
        profile = tmp / "profile.yaml"
        write_profile(profile, sites)
        result_path = tmp / "result.json"
        base = [sys.executable, "-m", "cyberaudit", "scan", "-p", str(profile), "--ca-bundle", str(ca_path),
                "--nameserver", f"{dns.host}:{dns.port}", "-o", str(result_path), "--no-history", "-q"]
        for site in sites:
            if site.www_redirect:
                base += ["--resolve", f"www.{site.host}:{site.https_port}:{site.address}"]
        base += [a for a in args.extra.split() if a]
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
        # an installed cyberaudit runs from compiled bytecode: let the warm-up round write it
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        senv = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        targets = [f"{s.host}:{s.https_port}{{{s.address}}}" for s in sites]
        scmd = [args.sslyze, "-m", "sslyze", "--certinfo", "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1",
                "--tlsv1_2", "--tlsv1_3", "--quiet", *targets]

        if args.serve:
            print(f"PYTHONPATH={env['PYTHONPATH']} {' '.join(base)}\n{' '.join(scmd)}", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
            return
        ours: dict[str, list[Run]] = {w: [] for w in settings}
        theirs: list[Run] = []
        results: dict[str, dict] = {}
        # one round not counted: bytecode written, files cached, for both tools alike
        for w in settings[:1]:
            run_child(base if w == "default" else [*base, "--workers", w], env)
        if args.sslyze:
            run_child(scmd, senv)
        for _ in range(args.rounds):
            for w in settings:
                cmd = base if w == "default" else [*base, "--workers", w]
                ours[w].append(run_child(cmd, env))
                results[w] = json.loads(result_path.read_text(encoding="utf-8"))
            if args.sslyze:
                theirs.append(run_child(scmd, senv))

        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"14 lab sites, median of {args.rounds} rounds, {os.cpu_count()} CPUs, load average {load}")
        for w in settings:
            print(summary(f"cyberaudit (workers {w})", ours[w]))
        if theirs:
            print(summary("sslyze (certinfo+versions)", theirs))
            swall = statistics.median(r.wall for r in theirs)
            for w in settings:
                print(f"ratio cyberaudit (workers {w}) / sslyze: "
                      f"{statistics.median(r.wall for r in ours[w]) / swall:.2f}x (target <= 0.35x)")

        first = results[settings[0]]
        if args.save:
            args.save.write_text(json.dumps(first, indent=1), encoding="utf-8")
        counts, errors, times = per_site(first, sites)
        probes = sorted({p for t in times.values() for p in t})
        print(f"\nfindings per site (workers {settings[0]}, last round); probe times in ms")
        print(f"{'site':<10}" + "".join(f"{s[:6]:>7}" for s in STATUSES) + "".join(f"{p:>10}" for p in probes)
              + "  what it models")
        for site in sites:
            c, t = counts[site.number], times[site.number]
            cells = "".join(f"{t[p][0]:>9}{'!' if t[p][1] != 'ok' else ' '}" if p in t else f"{'-':>10}"
                            for p in probes)
            print(f"clinic-{site.number:02d} " + "".join(f"{c[s]:>7}" for s in STATUSES) + cells
                  + f"  {site.label}")
        print(f"error findings: {len(errors)}")
        print("\n".join(errors))
        for w in settings[1:]:
            if per_site(results[w], sites)[0] != counts:
                print(f"note: workers {w} gave other counts: {dict(per_site(results[w], sites)[0])}")
        print(f"scan total {first['timings']['total_ms']} ms, probes {first['timings']['probes_ms']} ms")
        if dns.queries:
            print(f"names the scan looked up (none expected): {sorted(set(dns.queries))}")


if __name__ == "__main__":
    main()
