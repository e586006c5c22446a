"""Browser mode on pages with forms: time per page with and without typing the test values, pages
the crawl reaches, and the browser's peak memory (resident set of Chromium and its helpers).

Run: PYTHONPATH=src python benchmarks/privacy_forms.py   (needs Chromium and Playwright)
Every page is served on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from cyberaudit.demo.http_server import HttpServer, Route
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.http import PageCrawl
from cyberaudit.probes.privacy.browser import check_browser_available, render_pages

FORM = ("<html><body><a href='/p{next}'>Book an appointment</a><form action='/thanks' method='post'>"
        "<input type='email' name='email'><input name='full_name'><input type='tel' name='phone'>"
        "<input type='date' name='dob'><textarea name='reason'></textarea><button>Send</button></form>"
        "</body></html>")
PAGES = 10


def _chromium_rss() -> int:
    """Resident bytes of the Chromium this process started (its process group), 0 when none runs."""
    total = 0
    groups = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"cyberaudit-chromium-" in cmd:
            groups.add(int(stat[2]))
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(stat[2]) in groups:
                    total += int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, ValueError):
                continue
    return total


def _peak(stop: threading.Event, out: list[int]) -> None:
    while not stop.is_set():
        out[0] = max(out[0], _chromium_rss())
        time.sleep(0.2)


def main() -> None:
    executable = check_browser_available()
    routes = {f"/p{i}": Route(200, FORM.format(next=i + 1)) for i in range(PAGES + 5)}
    with HttpServer(routes) as server:
        network = Network(NetworkSettings(connect_to={("bench.test", 80): ("127.0.0.1", server.port)}))
        pages = [(f"/p{i}", f"http://bench.test/p{i}") for i in range(PAGES)]
        for typing in (False, True):
            peak, stop = [0], threading.Event()
            sampler = threading.Thread(target=_peak, args=(stop, peak), daemon=True)
            sampler.start()
            start = time.perf_counter()
            results = render_pages(pages, network, time.monotonic() + 300, confine=True, executable=executable,
                                   type_into_forms=typing)
            elapsed = time.perf_counter() - start
            stop.set()
            sampler.join()
            typed = sum(len(r.typed) for r in results)
            print(f"typing {'on ' if typing else 'off'}: {PAGES} pages, {elapsed:.1f} s ({elapsed / PAGES:.2f} s a "
                  f"page), {typed} fields typed, browser peak {peak[0] / 2**20:.0f} MiB")
        crawl = PageCrawl("http://bench.test/p0", ["http://bench.test/p0"], 8, {"bench.test"})
        start = time.perf_counter()
        results = render_pages(pages[:1], network, time.monotonic() + 300, confine=True, executable=executable,
                               crawl=crawl)
        elapsed = time.perf_counter() - start
        print(f"crawl from one page, max_pages 8: {len(results)} pages checked in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
