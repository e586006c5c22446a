"""A site slow to answer is crawled several pages at once, with the same facts as a fast one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

import pytest

from cyberaudit.demo.http_server import Route

from .conftest import HTML, SECURE_HEADERS, security_txt

LINKED = ["/about", "/team", "/fees", "/blog", "/faq", "/contact-us"]
HOME = ("<!doctype html><html><head><title>Home</title></head><body>"
        + "".join(f'<a href="{p}">{p[1:]}</a>' for p in LINKED)
        + '<a href="/privacy">Privacy policy</a></body></html>')
SECURITY_TXT = security_txt()  # one expiry for both scans: made twice, it may differ by a second


class Site:
    """The routes of a six-page site; each answer may wait, later pages less than earlier ones."""

    def __init__(self, slow: bool, page_wait: float | None = None, sitemap: bool = False) -> None:
        self.slow = slow
        self.page_wait = page_wait  # every linked page waits this long instead
        # a sitemap naming an intake page no link leads to, and security.txt only at the old address
        self.sitemap = sitemap
        self.in_flight = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def _answer(self, route: Route, wait: float) -> Callable[[str, Mapping[str, str]], Route]:
        def handler(path: str, headers: Mapping[str, str]) -> Route:
            with self._lock:
                self.in_flight += 1
                self.most_at_once = max(self.most_at_once, self.in_flight)
            try:
                time.sleep(wait if self.slow else 0)
                return route
            finally:
                with self._lock:
                    self.in_flight -= 1
        return handler

    def routes(self) -> dict[str, Callable[[str, Mapping[str, str]], Route]]:
        sec = "/security.txt" if self.sitemap else "/.well-known/security.txt"
        out = {"/": self._answer(Route(200, HOME, SECURE_HEADERS), 0.3),
               sec: self._answer(Route(200, SECURITY_TXT, (("Content-Type", "text/plain"),)), 0.3)}
        if self.sitemap:
            xml = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   + "".join(f"<url><loc>{p}</loc></url>" for p in ["/", "/about", "/new-client-intake"])
                   + "</urlset>")
            out["/sitemap.xml"] = self._answer(Route(200, xml, (("Content-Type", "application/xml"),)), 0.4)
            out["/new-client-intake"] = self._answer(Route(200, "<title>Intake</title><form></form>",
                                                           (("Content-Type", HTML),)), 0.3)
        for i, path in enumerate(LINKED):
            # a later page answers sooner: an order taken from the answers would differ
            body = f"<html><head><title>{path}</title></head><body><p>{path}</p></body></html>"
            wait = self.page_wait if self.page_wait is not None else 0.3 + 0.05 * (len(LINKED) - i)
            out[path] = self._answer(Route(200, body, (("Content-Type", HTML),)), wait)
        return out


def _same_facts(facts: dict) -> dict:
    return {k: facts[k] for k in ("crawl", "cookies", "redirect", "hsts", "csp", "mixed_content")} | {
        "pages": [(p["page"], p["status"]) for p in facts["pages"]],
        "security_txt": {k: v for k, v in facts["security_txt"].items() if k != "days_to_expiry"}}


@pytest.mark.parametrize(("sitemap", "checked"), [
    # fees and contact pages first, then the others in the order linked, whichever answered first
    (False, ["/", "/fees", "/contact-us", "/about", "/team"]),
    # the sitemap's intake page outranks /team, which was already being fetched ahead of it
    (True, ["/", "/fees", "/contact-us", "/new-client-intake", "/about"]),
])
def test_slow_site_is_crawled_several_pages_at_once_with_the_facts_of_a_fast_one(site, sitemap, checked):
    fast, slow = Site(slow=False, sitemap=sitemap), Site(slow=True, sitemap=sitemap)
    fast_scan = site.scan(fast.routes(), pages=["/"], max_pages=5)
    slow_scan = site.scan(slow.routes(), pages=["/"], max_pages=5)
    assert fast.most_at_once == 1  # a fast site costs no extra connections
    assert 2 <= slow.most_at_once <= 4  # never more than the per-address limit
    assert slow_scan.facts["crawl"]["checked"] == checked
    assert _same_facts(slow_scan.facts) == _same_facts(fast_scan.facts)
    assert slow_scan.facts["security_txt"]["present"] is not sitemap
    assert slow_scan.facts["security_txt"]["fallback_present"] is (True if sitemap else None)
    assert slow_scan.facts["redirect"]["to_https"] is True


def test_pages_still_out_at_the_deadline_are_errors_and_the_probe_ends_on_time(site):
    slow = Site(slow=True, page_wait=8.0)
    scan = site.scan(slow.routes(), pages=["/", *LINKED], deadline=1.5, timeout=5.0)
    pages = {p["page"]: p for p in scan.facts["pages"]}
    assert pages["/"]["ok"] is True
    assert all(not pages[p]["ok"] and pages[p]["error"] for p in LINKED)
    assert "http.mixed_content" in scan.output.errors  # never "none found" while pages are missing
    assert scan.seconds < 4.0  # the pages' 8 s were not waited for
