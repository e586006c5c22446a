"""Speed and memory of the http probe's parts, reproducible on any machine with no network.

    PYTHONPATH=src python benchmarks/http_probe.py

1. parse_html on a synthetic 5 MB page (the body cap) full of resources, forms and links:
   time and peak memory (tracemalloc);
2. the whole probe against a loopback HTTPS site with 20 configured pages of 200 KB each:
   wall time and peak Python memory.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.base import ProbeContext, ScanOptions
from cyberaudit.probes.http.htmldoc import parse_html
from cyberaudit.probes.http.probe import PROBE
from cyberaudit.profile import Practice, Profile, Website
from cyberaudit.targets import Target

HOST = "www.practice.example"


def synthetic_page(size: int) -> str:
    block = ('<div class="card"><img src="/img/{i}.png" srcset="/img/{i}@2x.png 2x" alt="x">'
             '<a href="/page/{i}">Read more about item {i}</a><script src="https://cdn.example/{i}.js">'
             '</script><form action="/f/{i}" method="post"><label for="f{i}">Name</label>'
             '<input id="f{i}" name="n{i}"></form><p>' + "lorem ipsum " * 20 + "</p></div>\n")
    parts, total, i = ["<html><head><title>Bench</title></head><body>"], 0, 0
    while total < size:
        chunk = block.format(i=i)
        parts.append(chunk)
        total += len(chunk)
        i += 1
    return "".join(parts)


def bench_parse(runs: int = 5) -> None:
    html = synthetic_page(5 * 1024 * 1024)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        doc = parse_html(html, "https://www.practice.example/")
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    parse_html(html, "https://www.practice.example/")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"parse_html 5 MB: median {statistics.median(times):.2f} s over {runs} runs, "
          f"peak {peak / 2**20:.0f} MiB above the input; {len(doc.resources)} resources, "
          f"{len(doc.forms)} forms, {len(doc.links)} links (lists capped), truncated={doc.truncated}")


def bench_probe(pages: int = 20, page_kb: int = 200) -> None:
    ca = certs.make_ca()
    leaf = certs.issue(ca, [HOST])
    body = synthetic_page(page_kb * 1024)
    routes = {f"/p{i}": Route(200, body) for i in range(pages)}
    routes["/"] = Route(200, body)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "ca.pem"
        bundle.write_bytes(ca.cert_pem)
        tls = HttpServer(routes=routes, tls=server_context(leaf.fullchain_pem, leaf.key_pem)).start()
        plain = HttpServer(routes={"/": Route(301, "", (("Location", f"https://{HOST}/"),))}).start()
        try:
            net = Network(NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", tls.port),
                                                      (HOST, 80): ("127.0.0.1", plain.port)},
                                          ca_bundle=bundle))
            site = Website(url=f"https://{HOST}/", pages=["/", *routes])
            ctx = ProbeContext(profile=Profile(practice=Practice(name="bench")), network=net,
                               options=ScanOptions(), deadline=time.monotonic() + 120)
            target = Target("website", site.url, site)
            start = time.perf_counter()
            out = PROBE.run(target, ctx)
            elapsed = time.perf_counter() - start
            # a second run under tracemalloc for memory: tracing slows Python down too much to time it
            ctx.deadline = time.monotonic() + 120
            tracemalloc.start()
            PROBE.run(target, ctx)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            tls.stop()
            plain.stop()
    print(f"http probe, {len(out.facts['pages'])} pages of {page_kb} KB over loopback TLS: {elapsed:.2f} s, "
          f"peak {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    bench_parse()
    bench_probe()
