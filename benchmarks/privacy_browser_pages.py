"""A 43-page browser scan of loopback practice sites, as the CLI runs it: time, pages and memory.

    PYTHONPATH=src python benchmarks/privacy_browser_pages.py [--rounds 1] [--concurrency 8]

Eleven sites (`site-NN.sites.example`, one HTTPS server answering by Host) of four pages each but
the last (three): 43 pages with a home page's weight of text, scripts, a stylesheet and images.
Every third site loads a GTM-like container that injects Google Analytics 4, the Meta pixel and a
session recorder a moment after load; every third embeds the Meta pixel, which hashes the typed
e-mail on blur; the rest are clean. Each site has a contact form, the even ones an intake form
with selects, radios and checkboxes, and one page holds an image that never finishes. Tracker
hosts are served on loopback too (--connect-to), so nothing leaves 127.0.0.1.

Reports wall time, time per page, pages crawled per site, the peak memory of the browser (PSS of
Chromium's processes and Playwright's driver, sampled) and what was found against what the pages
hold (trackers, typed-data leaks, the unfinished page).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context

SITES = 11
TRACKER_HOSTS = ("www.googletagmanager.com", "www.google-analytics.com", "connect.facebook.net",
                 "www.facebook.com", "static.hotjar.com", "in.hotjar.com")
JS = (("Content-Type", "application/javascript"),)
TEXT = ("<p>We offer individual, couples and family counselling in a calm, private setting. "
        "Sessions are fifty minutes, in person or by secure video. </p>") * 120
SCRIPT = "(function(){var a=[];for(var i=0;i<200;i++){a.push(i*i)};window.__x=(window.__x||0)+a.length;})();\n" * 60
STYLE = "body{font-family:sans-serif;margin:0 auto;max-width:60em}.c{color:#333;padding:1em}\n" * 300
IMAGE = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00" \
        b"\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;" + b"\x00" * 20000

GTM = """(function(){setTimeout(function(){
  function add(src){var s=document.createElement('script');s.src=src;document.head.appendChild(s);}
  add('https://www.googletagmanager.com/gtag/js?id=G-BENCH1');
  add('https://connect.facebook.net/en_US/fbevents.js');
  add('https://static.hotjar.com/c/hotjar-1.js?sv=6');
}, 800);})();"""
GTAG = """new Image().src='https://www.google-analytics.com/g/collect?v=2&tid=G-BENCH1&en=page_view&dl='
  + encodeURIComponent(location.href);"""
FBEVENTS = """(function(){var tr='https://www.facebook.com/tr';
  new Image().src=tr+'?id=1&ev=PageView&dl='+encodeURIComponent(location.href);
  function hex(b){return Array.from(new Uint8Array(b)).map(function(x){return x.toString(16).padStart(2,'0')}).join('')}
  document.addEventListener('blur',function(e){var el=e.target;
    if(el.type==='email'&&el.value){crypto.subtle.digest('SHA-256',new TextEncoder().encode(el.value.trim().toLowerCase()))
      .then(function(d){new Image().src=tr+'?id=1&ev=Lead&ud[em]='+hex(d)})}},true);})();"""
HOTJAR = """setInterval(function(){ navigator.sendBeacon('https://in.hotjar.com/api/v2/client/sites/1/visit-data',
  JSON.stringify({t: Date.now(), n: document.querySelectorAll('*').length})); }, 1000);"""

CONTACT = """<form action="/thanks" method="post"><label for="n">Your name</label><input id="n" name="name">
<label for="e">E-mail</label><input id="e" type="email" name="email">
<label for="p">Phone</label><input id="p" type="tel" name="phone">
<label for="m">What brings you here?</label><textarea id="m" name="message"></textarea><button>Send</button></form>"""
INTAKE = """<form action="/intake" method="post"><label for="fn">First name</label><input id="fn" name="first">
<label for="dob">Date of birth</label><input id="dob" type="date" name="dob">
<label for="c">Main concern</label><select id="c" name="concern"><option value="">Choose one</option>
<option value="anxiety-panic">Anxiety &amp; panic</option><option value="depression">Depression</option></select>
<fieldset><legend>Preferred session</legend><label><input type="radio" name="mode" value="telehealth-video">
Video</label><label><input type="radio" name="mode" value="in-person">In person</label></fieldset>
<label><input type="checkbox" name="sms_ok" value="sms-reminders"> Text me reminders</label><button>Send</button></form>"""


def kind(site: int) -> str:
    return ("gtm", "pixel", "clean")[site % 3]


def page_html(site: int, path: str) -> str:
    head = "".join(f'<script src="/static/s{i}.js"></script>' for i in range(6))
    head += '<link rel="stylesheet" href="/static/site.css">'
    if kind(site) == "gtm":
        head += '<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-BENCH"></script>'
    elif kind(site) == "pixel":
        head += '<script async src="https://connect.facebook.net/en_US/fbevents.js"></script>'
    nav = "".join(f'<a href="{p}">{p.strip("/") or "home"}</a> ' for p in site_pages(site))
    body = f"<nav>{nav}</nav><h1>Practice {site}</h1>{TEXT}"
    body += "".join(f'<img src="/img/{i}.gif" alt="">' for i in range(4))
    if path == "/contact":
        body += CONTACT
    if path == "/services" and site % 2 == 0:
        body += INTAKE
    if site == 5 and path == "/about":
        body += '<img src="/img/never.gif" alt="">'  # the server never finishes sending it
    return f"<!doctype html><html><head><title>Practice {site}</title>{head}</head><body>{body}" \
           f'<a href="/privacy-policy">Privacy policy</a></body></html>'


def site_pages(site: int) -> list[str]:
    pages = ["/", "/about", "/services", "/contact"]
    return pages[:3] if site == SITES - 1 else pages


class Sites(Mapping[str, object]):
    """Every path answered by one handler that looks at the Host header."""

    def __getitem__(self, path: str) -> object:
        return self._handle

    def get(self, path: str, default: object = None) -> object:  # type: ignore[override]
        return self._handle

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    @staticmethod
    def _handle(path: str, headers: Mapping[str, str]) -> Route:
        host = (headers.get("Host") or "").split(":")[0]
        clean = path.split("?")[0]
        if host in TRACKER_HOSTS:
            body = {"/gtm.js": GTM, "/gtag/js": GTAG, "/en_US/fbevents.js": FBEVENTS,
                    "/c/hotjar-1.js": HOTJAR}.get(clean)
            if body is not None:
                return Route(200, body, JS)
            return Route(200, IMAGE[:43], (("Content-Type", "image/gif"),))
        if clean == "/img/never.gif":
            time.sleep(90)
            return Route(200, IMAGE, (("Content-Type", "image/gif"),))
        if clean.startswith("/static/s"):
            return Route(200, SCRIPT, JS)
        if clean == "/static/site.css":
            return Route(200, STYLE, (("Content-Type", "text/css"),))
        if clean.startswith("/img/"):
            return Route(200, IMAGE, (("Content-Type", "image/gif"),))
        site = int(host.split(".")[0].split("-")[1]) if host.startswith("site-") else -1
        if clean in site_pages(site):
            return Route(200, page_html(site, clean))
        if clean == "/privacy-policy":
            return Route(200, "<p>Privacy policy.</p>")
        return Route(404, "not found", (("Content-Type", "text/plain"),))


def browser_memory(root: int) -> tuple[int, int]:
    """PSS bytes of `root`'s descendants that are Chromium or Playwright's driver (node), and how
    many Chromium browsers (not their helpers) run."""
    children: dict[int, list[int]] = {}
    names: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(stat[1]), []).append(int(entry.name))
                names[int(entry.name)] = (entry / "cmdline").read_bytes()[:400]
            except (OSError, IndexError, ValueError):
                continue
    total, browsers, todo = 0, 0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        cmd = names.get(pid, b"")
        browsers += b"--user-data-dir" in cmd and b"--type=" not in cmd
        if b"chrom" in names.get(pid, b"") or b"node" in names.get(pid, b""):
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
    return total, browsers


def write_profile(path: Path, port: int) -> None:
    lines = ["practice:", "  name: Benchmark practice", "  jurisdiction: US", "targets:", "  websites:"]
    for i in range(SITES):
        lines += [f"    - url: https://site-{i:02d}.sites.example:{port}/", "      pages: [/]",
                  f"      max_pages: {len(site_pages(i))}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def expected_trackers(site: int) -> set[str]:
    return {"gtm": {"Google Tag Manager", "Google Analytics 4", "Meta Pixel", "Hotjar"},
            "pixel": {"Meta Pixel"}, "clean": set()}[kind(site)]


def summarise(result: dict) -> None:
    found_total = expected_total = 0
    pages = incomplete = leaks = typed = 0
    crawled = []
    for target in result["targets"]:
        if target["kind"] != "website":
            continue
        facts = (target.get("facts") or {}).get("privacy") or {}
        site = int(target["id"].split("site-")[1][:2])
        checked = (facts.get("crawl") or {}).get("checked") or []
        crawled.append(len(checked))
        pages += len(facts.get("pages") or [])
        incomplete += sum(1 for p in facts.get("pages") or [] if p.get("incomplete"))
        products = {t["product"] for t in facts.get("trackers") or []}
        products |= {"Google Analytics 4" for p in products if p.startswith("Google Analytics")}
        want = expected_trackers(site)
        expected_total += len(want)
        found_total += len(want & products)
        leaks += len(facts.get("form_input_leaks") or [])
        typed += len(facts.get("typed_fields") or [])
    print(f"pages checked {pages}; pages crawled per site {crawled}; pages not finished loading {incomplete}")
    print(f"trackers found {found_total}/{expected_total} (recall {found_total / max(1, expected_total):.2f}); "
          f"fields typed or picked {typed}; typed-data leaks {leaks}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ca = certs.make_ca()
        leaf = certs.issue(ca, ["*.sites.example", *TRACKER_HOSTS])
        ca_path = tmp / "ca.pem"
        ca_path.write_bytes(ca.cert_pem)
        with HttpServer(Sites(), tls=server_context(leaf.fullchain_pem, leaf.key_pem)) as server:
            profile = tmp / "profile.yaml"
            write_profile(profile, server.port)
            cmd = [sys.executable, "-m", "cyberaudit", "scan", "-p", str(profile), "--ca-bundle", str(ca_path),
                   "--browser", "-o", str(tmp / "result.json"), "--no-history", "-q",
                   "--concurrency", str(args.concurrency)]
            for host in TRACKER_HOSTS:
                cmd += ["--connect-to", f"{host}:443:127.0.0.1:{server.port}"]
            for i in range(SITES):  # the same rules for every site: one browser serves the scan
                cmd += ["--connect-to", f"site-{i:02d}.sites.example:{server.port}:127.0.0.1:{server.port}"]
            env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
            for _ in range(args.rounds):
                peak = [0, 0]
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                stop = threading.Event()

                def sample(pid: int = proc.pid, stop: threading.Event = stop, peak: list[int] = peak) -> None:
                    while not stop.is_set():
                        memory, browsers = browser_memory(pid)
                        peak[0], peak[1] = max(peak[0], memory), max(peak[1], browsers)
                        time.sleep(0.25)

                sampler = threading.Thread(target=sample, daemon=True)
                sampler.start()
                _out, err = proc.communicate()
                wall = time.perf_counter() - start
                stop.set()
                sampler.join()
                if proc.returncode not in (0, 1):
                    sys.exit(f"scan exited {proc.returncode}: {err.strip()[-600:]}")
                total = sum(len(site_pages(i)) for i in range(SITES))
                print(f"{total} pages on {SITES} sites, --browser, {len(os.sched_getaffinity(0))} CPUs: "
                      f"wall {wall:.1f} s, {wall / total:.2f} s a page, browser peak {peak[0] / 2**20:.0f} MiB PSS "
                      f"({peak[1]} Chromium at most)")
                (tmp / "last.json").write_bytes((tmp / "result.json").read_bytes())
                if os.environ.get("BENCH_KEEP"):
                    Path(os.environ["BENCH_KEEP"]).write_bytes((tmp / "result.json").read_bytes())
                summarise(json.loads((tmp / "result.json").read_text()))


if __name__ == "__main__":
    main()
