"""Wall time of browser mode: Chromium start-up plus rendering N loopback pages.

Run: PYTHONPATH=src python benchmarks/privacy_browser.py   (needs Chromium and Playwright)
Each page loads ten first-party scripts and an image; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import time

from cyberaudit.demo.http_server import HttpServer, Route
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.privacy.browser import check_browser_available, render_pages

JS = (("Content-Type", "application/javascript"),)


def main() -> None:
    executable = check_browser_available()
    page = "<html><head>" + "".join(f'<script src="/s{i}.js"></script>' for i in range(10)) + \
           '</head><body><img src="/i.gif"><a href="/privacy">Privacy</a></body></html>'
    routes = {f"/p{i}": Route(200, page) for i in range(10)}
    routes.update({f"/s{i}.js": Route(200, "var x=1;", JS) for i in range(10)})
    with HttpServer(routes) as server:
        network = Network(NetworkSettings(connect_to={("bench.test", 80): ("127.0.0.1", server.port)}))
        for count in (1, 5, 10):
            pages = [(f"/p{i}", f"http://bench.test/p{i}") for i in range(count)]
            start = time.perf_counter()
            results = render_pages(pages, network, time.monotonic() + 120, confine=True, executable=executable)
            elapsed = time.perf_counter() - start
            assert all(r.error is None for r in results), [r.error for r in results]
            print(f"{count:2d} page(s): {elapsed:.2f} s in all, {elapsed / count:.2f} s a page")


if __name__ == "__main__":
    main()
