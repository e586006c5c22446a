"""Finding the pages that matter on a site: its links, its sitemap.xml and its forms' own pages.

Only `pages:` used to be read, so an intake form at /book-now was missed unless the practice listed
it. The crawl stays on the site's own host and prefers pages whose address or link text suggests
contact, intake, booking, appointments, insurance, assessments or a patient portal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.etree import ElementTree

from cyberaudit.probes.http.htmldoc import HtmlDocument

DEFAULT_MAX_PAGES = 20
MAX_SITEMAP_URLS = 2000
_PRIORITY = re.compile(r"contact|intake|book|appointment|schedul|insurance|assessment|portal|consult|"
                       r"new[-_ ]?(client|patient)|get[-_ ]?started|referral|request|form|enquir|inquir|"
                       r"register|sign[-_ ]?up|telehealth|pay|fees", re.IGNORECASE)
_SKIP = re.compile(r"\.(pdf|jpe?g|png|gif|svg|webp|ico|css|js|json|xml|zip|docx?|xlsx?|pptx?|mp[34]|mov|avi|"
                   r"woff2?|ttf|eot|rss|atom|txt)$|/(wp-admin|wp-json|feed|cart|checkout|logout|wp-login\.php)\b",
                   re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A page of the site not configured in `pages:`, and how it was found."""

    url: str
    found_by: str  # "link from /", "frame on /book", "sitemap.xml"
    score: int  # higher is checked first


def normalise(url: str) -> str:
    """The URL without fragment, with a path ('/' when empty): one spelling per page."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def same_site(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    host_a = (a.hostname or "").removeprefix("www.")
    host_b = (b.hostname or "").removeprefix("www.")
    return a.scheme in ("http", "https") and bool(host_a) and host_a == host_b


def _score(url: str, text: str) -> int:
    path = urlsplit(url).path
    score = 10 if _PRIORITY.search(path) else 0
    score += 5 if _PRIORITY.search(text) else 0
    return score - path.count("/")  # shallow pages first among equals


def candidates(doc: HtmlDocument, page: str, base: str) -> list[Candidate]:
    """Same-site pages a document links to or embeds in a frame."""
    out = []
    for link in doc.links:
        url = link.absolute
        if (link.rel or "") in ("nofollow",) or not same_site(url, base) or _SKIP.search(urlsplit(url).path):
            continue
        out.append(Candidate(normalise(url), f"link from {page}", _score(url, link.text)))
    for res in doc.resources:
        # a form served in a frame by the site itself is a page of its own
        if res.tag in ("iframe", "frame") and same_site(res.absolute, base):
            out.append(Candidate(normalise(res.absolute), f"frame on {page}", _score(res.absolute, "form") + 5))
    return out


def sitemap_urls(xml_text: str, base: str) -> list[Candidate]:
    """Same-site page URLs listed in a sitemap (a sitemap index's child sitemaps are not followed)."""
    try:
        root = ElementTree.fromstring(xml_text.encode()[:5_000_000])  # noqa: S314 -- no entities are expanded by ElementTree
    except ElementTree.ParseError:
        return []
    out = []
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "loc" and el.text:
            url = urljoin(base, el.text.strip())
            if same_site(url, base) and not _SKIP.search(urlsplit(url).path):
                out.append(Candidate(normalise(url), "sitemap.xml", _score(url, "")))
            if len(out) >= MAX_SITEMAP_URLS:
                break
    return out


class Frontier:
    """Pages still to check, best first; each URL once."""

    def __init__(self, known: list[str]) -> None:
        self.seen = {normalise(u) for u in known}
        self.queue: list[Candidate] = []

    def add(self, items: list[Candidate]) -> None:
        for c in items:
            if c.url not in self.seen:
                self.seen.add(c.url)
                self.queue.append(c)
        self.queue.sort(key=lambda c: -c.score)  # stable: the order found breaks ties

    def pop(self) -> Candidate | None:
        return self.queue.pop(0) if self.queue else None


def page_name(url: str) -> str:
    """How a crawled page is called in the report: its path and query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class PageCrawl:
    """Browser mode's crawl: reads each rendered page's links and hands out the next page to render."""

    def __init__(self, base: str, configured: list[str], limit: int, hosts: set[str] | None = None) -> None:
        self.base = base
        self.limit = limit
        self.hosts = hosts  # only these hosts can be reached (the browser is confined to mapped names)
        self.frontier = Frontier(configured)
        self.read = 0
        self.found: list[dict[str, object]] = []

    def add(self, items: list[Candidate]) -> None:
        """Pages found some other way (the http probe's crawl, its sitemap.xml)."""
        self.frontier.add(items)

    def __call__(self, pages: list, dropped: list) -> tuple[str, str, str] | None:
        from cyberaudit.probes.http.htmldoc import parse_html

        for ev in pages[self.read:]:
            if ev.html is not None:
                self.frontier.add(candidates(parse_html(ev.html, ev.final_url or ev.url), ev.page, self.base))
        self.read = len(pages)
        for entry in self.found:
            if entry["checked"] is None:
                failed = next((d for d in dropped if d.page == entry["page"]), None)
                entry["checked"] = failed is None
                entry["error"] = failed.error if failed is not None else None
        if len(pages) >= self.limit:
            return None
        while (cand := self.frontier.pop()) is not None:
            host = (urlsplit(cand.url).hostname or "").lower()
            if self.hosts is not None and host not in self.hosts:
                continue
            name = page_name(cand.url)
            self.found.append({"page": name, "found_by": cand.found_by, "checked": None, "error": None})
            return name, cand.url, cand.found_by
        return None

    def fact(self, checked: list[str]) -> dict[str, object]:
        """The crawl as reported: what was found, and which pages were checked in all."""
        done = set(checked)
        found = [dict(e, checked=e["page"] in done) for e in self.found]
        found += [{"page": page_name(c.url), "found_by": c.found_by, "checked": False,
                   "error": "not checked: max_pages reached"} for c in self.frontier.queue[:50]]
        return {"max_pages": self.limit, "found": found, "checked": checked}
