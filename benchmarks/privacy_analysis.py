"""Speed and memory of the privacy probe's static analysis and tracker database.

Run: PYTHONPATH=src python benchmarks/privacy_analysis.py
Measures: loading the built-in tracker database; matching hosts; analysing a typical tagged page;
and analysing a hostile page at the size cap (5 MiB, thousands of resources and large inline scripts).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from cyberaudit.probes.privacy.analysis import analyse
from cyberaudit.probes.privacy.evidence import PageEvidence
from cyberaudit.probes.privacy.lists import load_tracker_list
from cyberaudit.probes.privacy.parties import Parties
from cyberaudit.probes.privacy.trackerdb import builtin_database, load_database
from cyberaudit.profile import TrackerList
from cyberaudit.resources import data_dir


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """(median seconds over `repeat` runs, peak MiB of one more run under tracemalloc)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()  # timed apart: tracing slows Python down several times
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def typical_page() -> str:
    tags = "".join(f'<script src="https://cdn{i}.vendor{i}.example/x.js"></script>' for i in range(20))
    tags += '<script src="https://www.googletagmanager.com/gtm.js?id=GTM-1"></script>'
    tags += "<script>fbq('init','1');gtag('config','G-1');</script>"
    body = "<p>" + "Text about our practice. " * 2000 + "</p>"
    form = '<form action="/contact" method="post">' + "".join(
        f'<label for="f{i}">Field {i}</label><input id="f{i}" name="f{i}">' for i in range(20)) + "</form>"
    return f"<html><head>{tags}</head><body>{body}{form}<a href='/privacy'>Privacy</a></body></html>"


def hostile_page() -> str:
    resources = "".join(f'<img src="https://t{i}.host{i % 500}.example/p.gif">' for i in range(4000))
    script = "<script>" + ("var a='https://x.example/'+1;fbq('init','1');" * 6000) + "</script>"
    page = f"<html><body>{resources}{script * 4}</body></html>"
    return (page * (5 * 2**20 // len(page) + 1))[:5 * 2**20]


def main() -> None:
    path = data_dir() / "trackers.yaml"
    t, mem = timed(lambda: load_database(path))
    db = builtin_database()
    print(f"load tracker database ({len(db.domains)} domains): {t * 1000:.1f} ms, peak {mem:.1f} MiB")
    hosts = [f"sub{i}.host{i}.example" for i in range(10_000)] + ["region1.google-analytics.com"] * 10_000
    t, mem = timed(lambda: [db.match_host(h) for h in hosts])
    print(f"match 20,000 hosts: {t * 1000:.1f} ms ({t / len(hosts) * 1e6:.2f} µs a host)")
    with tempfile.TemporaryDirectory() as tmp:
        big_list = Path(tmp) / "list.txt"
        big_list.write_text("! Title: bench\n" + "".join(f"||t{i}.tracker{i % 997}.example^\n" for i in range(50_000)))
        spec = TrackerList(file=str(big_list), format="adblock")
        t, mem = timed(lambda: db.merged(load_tracker_list(spec)), repeat=3)
        print(f"load a 50,000-rule adblock list and merge it: {t * 1000:.0f} ms, peak {mem:.0f} MiB")
        merged = db.merged(load_tracker_list(spec))
    parties = Parties.for_site(["lakeside.example"], [])
    page = typical_page()
    evm = [PageEvidence("/", "https://lakeside.example/", "https://lakeside.example/", 200, page)]
    t, mem = timed(lambda: analyse(evm, merged, parties, "static"))
    print(f"typical page with the 50,000-domain list merged: {t * 1000:.1f} ms")
    ev = [PageEvidence("/", "https://lakeside.example/", "https://lakeside.example/", 200, page)]
    t, mem = timed(lambda: analyse(ev, db, parties, "static"))
    print(f"typical page ({len(page) // 1024} KiB): {t * 1000:.1f} ms, peak {mem:.1f} MiB")
    big = hostile_page()
    ev = [PageEvidence("/", "https://lakeside.example/", "https://lakeside.example/", 200, big)]
    t, mem = timed(lambda: analyse(ev, db, parties, "static"), repeat=3)
    print(f"hostile page at the cap ({len(big) // 2**20} MiB): {t:.2f} s, peak {mem:.0f} MiB")


if __name__ == "__main__":
    main()
