"""The http probe: HTTPS (available, redirect), security headers, cookies, mixed content, forms, security.txt.

Each configured page is fetched once; the pages are handed to the privacy probe as artifacts so it
never fetches them again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from cyberaudit.domains import registrable_domain
from cyberaudit.errors import ProbeError
from cyberaudit.network import FetchResult, HttpResponse, Network
from cyberaudit.probes.base import ProbeContext, ProbeOutput
from cyberaudit.probes.http import headers as hdr
from cyberaudit.probes.http.access import (
    HttpsAttempt,
    SiteFetcher,
    listens,
    opens_over_https,
    plain_url,
    secure_url,
    try_https,
)
from cyberaudit.probes.http.cookies import parse_set_cookie
from cyberaudit.probes.http.crawl import DEFAULT_MAX_PAGES, Frontier, candidates, page_name, sitemap_urls
from cyberaudit.probes.http.decoding import DecodedPage, decode_html
from cyberaudit.probes.http.facts import FACTS
from cyberaudit.probes.http.fanout import EarlyStart, Fanout, Job, is_slow
from cyberaudit.probes.http.htmldoc import HtmlDocument, parse_html
from cyberaudit.probes.http.pages import PARTIAL, FetchedPage, own_responses, same_practice_site
from cyberaudit.probes.http.securitytxt import parse_security_txt
from cyberaudit.probes.http.sites import same_site, scheme_of
from cyberaudit.profile import Website
from cyberaudit.targets import Target
from cyberaudit.urlsafe import safe_facts

HTML_TYPES = ("text/html", "application/xhtml+xml", "")
WELL_KNOWN_SECURITY_TXT = "/.well-known/security.txt"
MAX_LIST = 500  # entries per list fact; a page with thousands of http:// images needs no more to fail

# <link rel> values that make the browser load the target, and what kind of load it is
_LINK_LOADS = {"stylesheet": "style", "icon": "image", "shortcut": "image", "apple-touch-icon": "image",
               "mask-icon": "image", "preload": "preload", "modulepreload": "script",
               "prefetch": "preload", "manifest": "manifest"}
_TAG_KIND = {"script": "script", "iframe": "frame", "frame": "frame", "embed": "object",
             "object": "object", "img": "image", "input": "image", "video": "media", "audio": "media",
             "source": "media", "track": "media"}
_ACTIVE = {"script", "style", "frame", "object", "form", "preload"}


@dataclass
class _Fetched:
    page: str
    url: str
    result: FetchResult | None = None
    error: str | None = None  # why the page was not checked (set also when a response came back)
    doc: HtmlDocument | None = None
    decoded: DecodedPage | None = None
    extra: list[str] = field(default_factory=list)  # other configured pages with the same URL
    own: list[HttpResponse] = field(default_factory=list)  # responses from the practice's own site
    off_site: bool = False  # the redirects end on another site
    found_by: str | None = None  # how a page not in `pages:` was found (the crawl)

    @property
    def complete(self) -> bool:
        """Every response of the redirect chain was received (its cookies are all known)."""
        return self.result is not None and self.result.error is None

    @property
    def partial(self) -> str | None:
        """Why only part of the HTML could be read (its charset, markup a browser stops at, a bound)."""
        reasons = [r for r in (self.decoded.mismatch if self.decoded else None,
                               self.doc.partial if self.doc else None) if r]
        return "; ".join(reasons) or None


@dataclass(frozen=True)
class _Checks:
    """The site's checks that need none of its pages, started together."""

    redirect: Job[tuple[dict[str, Any], list[tuple[str, HttpResponse]], str | None]]
    security_txt: Job[tuple[dict[str, Any], list[tuple[str, HttpResponse]], str | None]]
    sitemap: Job[HttpResponse | None] | None

    @staticmethod
    def start(site: Website, base: str, http_url: str, fetcher: SiteFetcher, ctx: ProbeContext,
              fetched: list[_Fetched], fan: Fanout) -> _Checks:
        redirect = fan.later(_check_redirect, http_url, site.url, ctx)
        # on a slow site the older /security.txt is asked for at once too; read only if needed
        legacy = fan.later(_fetch_final, fetcher, _origin(base) + "/security.txt") if fan.parallel else None
        limit = site.max_pages if site.max_pages is not None else DEFAULT_MAX_PAGES
        return _Checks(redirect, fan.later(_check_security_txt, base, fetcher, legacy),
                       fan.later(_fetch_sitemap, base, fetcher) if limit > len(fetched) else None)


class HttpProbe:
    name = "http"
    title = "Web security: HTTPS redirect, security headers, cookies, mixed content, forms, security.txt"
    scopes = frozenset({"website"})
    requires: tuple[str, ...] = ()
    redacts_urls = True  # its own output passes through safe_facts: the engine need not repeat it
    facts = FACTS

    def prepare(self, network: Network) -> None:
        network.ssl_context("default", True)
        registrable_domain("example.com")  # the Public Suffix List, parsed on first use

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        site = target.spec
        if not isinstance(site, Website):
            raise ProbeError(f"the http probe needs a website target, got {target.kind}")
        http_url = plain_url(site)
        if site.address:  # run_scan has done this already; a probe run on its own needs it too
            for host, port in site.address_bindings():
                ctx.network.add_address(host, port, site.address)

        out = ProbeOutput()
        fetcher = SiteFetcher(ctx)
        base, attempt = site.url, None
        if scheme_of(site.url) == "http":
            # a site written as http:// may still have HTTPS: judge that one when it works
            attempt = try_https(secure_url(site), fetcher)
            if attempt.available:
                base = attempt.url
        first = attempt.result if attempt is not None and attempt.available else None
        fetched = self._plan_pages(site, base, first)
        with Fanout(parallel=False) as fan:
            early = EarlyStart(fan, lambda: _Checks.start(site, base, http_url, fetcher, ctx, fetched, fan)) \
                if first is None else None
            try:
                self._fetch_main(fetched[0], fetcher, site.url, ctx)
            except ProbeError as exc:
                also = f"; HTTPS: {attempt.reason}" if attempt is not None and attempt.reason else ""
                raise ProbeError(f"{exc}{also}") from None
            finally:
                checks = early.settle() if early is not None else None
            # the main page settled how the site's origin is fetched (SiteFetcher): the rest may go at once
            if is_slow(fetched[0].result):
                fan.widen()
            checks = checks or _Checks.start(site, base, http_url, fetcher, ctx, fetched, fan)
            return self._checks(site, base, http_url, attempt, fetcher, ctx, fetched, fan, out, checks)

    def _checks(self, site: Website, base: str, http_url: str, attempt: HttpsAttempt | None,
                fetcher: SiteFetcher, ctx: ProbeContext, fetched: list[_Fetched], fan: Fanout,
                out: ProbeOutput, checks: _Checks) -> ProbeOutput:
        """Everything after the main page: the other pages, the crawl, the redirect and security.txt."""
        redirect_job, sec_job, sitemap_job = checks.redirect, checks.security_txt, checks.sitemap
        self._fetch_rest(fetched, fetcher, site.url, ctx, fan)
        crawled, crawl_fact = self._crawl(site, base, fetcher, ctx, fetched, fan, sitemap_job)
        fetched += crawled
        main = fetched[0]
        if main.result is None:  # the probe's time ran out before the first fetch
            raise ProbeError(f"the website could not be fetched: {main.error}")
        final = main.result.final
        facts: dict[str, Any] = out.facts
        facts["url"] = site.url
        facts["final_url"] = final.url
        facts["status"] = final.status
        # where a cut redirect chain would have ended is unknown
        facts["https"] = scheme_of(final.url) == "https" if main.complete else None
        _https_facts(facts, out.errors, secure_url(site), attempt, main.result)
        untrusted_main = fetcher.mode_used(main.url) == "inspect"

        facts["redirected_off_site"] = main.off_site
        if main.error is None and main.off_site:
            # another site's headers are not the practice's: HSTS is judged on the site's own last
            # response (browsers keep HSTS from a redirect); the page's other headers are unknown
            why = f"the page redirects to another site: {final.url}"
            own = main.own[-1] if main.own else None
            for key in _header_facts(final, https=False):
                facts[key] = None
                out.errors[f"http.{key}"] = why
            if own is not None and scheme_of(own.url) == "https":
                facts["hsts"] = _header_facts(own, https=True, untrusted=untrusted_main)["hsts"]
                del out.errors["http.hsts"]
        elif main.error is None:
            facts.update(_header_facts(final, https=facts["https"], untrusted=untrusted_main))
        else:
            # a redirect's or an error page's headers are not the page's: never judge them
            for key in _header_facts(final, https=False):
                facts[key] = None
                out.errors[f"http.{key}"] = f"the main page was not checked: {main.error}"
            if facts["https"] is None:
                out.errors["http.https"] = f"the main page was not checked: {main.error}"
        cookie_sources: list[tuple[str, HttpResponse]] = []
        for f in fetched:
            # cookies another site sets are not the practice's
            cookie_sources += [(f.page, r) for r in f.own]

        pages_facts, artifacts = _page_facts(fetched)
        facts["pages"] = pages_facts
        facts["crawl"] = crawl_fact
        out.artifacts["pages"] = artifacts
        failed = [(f.page, f.error) for f in fetched if f.error is not None]
        failed += [(f.page, "the page is larger than the size cap and was read in part") for f in fetched
                   if f.error is None and f.result is not None and f.doc is not None
                   and (f.result.final.truncated or f.doc.truncated)]
        failed += [(f.page, f"{PARTIAL}: {f.partial}") for f in fetched if f.error is None and f.partial]
        mixed, insecure = _content_findings(fetched)
        facts["mixed_content"] = mixed[:MAX_LIST]
        facts["insecure_forms"] = insecure[:MAX_LIST]
        if failed:
            why = "; ".join(f"{page}: {error}" for page, error in failed)
            # a problem seen on the fetched pages is certain; "none found" is not when pages are missing
            if not mixed:
                out.errors["http.mixed_content"] = f"some pages could not be checked ({why})"
            if not insecure:
                out.errors["http.insecure_forms"] = f"some pages could not be checked ({why})"
        cut = [f for f in fetched if not f.complete]
        if cut:
            why = "; ".join(f"{f.page}: {f.error}" for f in cut)
            out.errors["http.cookies"] = f"some pages could not be fetched ({why})"

        redirect, redirect_cookies, redirect_error = redirect_job.result()
        facts["redirect"] = redirect
        if redirect_error:
            out.errors["http.redirect"] = redirect_error
        cookie_sources += [(page, r) for page, r in redirect_cookies if same_practice_site(r.url, site.url)]

        sec, sec_cookies, sec_error = sec_job.result()
        facts["security_txt"] = sec
        if sec_error:
            out.errors["http.security_txt"] = sec_error
        cookie_sources += [(page, r) for page, r in sec_cookies if same_practice_site(r.url, site.url)]

        facts["cookies"] = _cookie_facts(cookie_sources)[:MAX_LIST]
        facts["inspected_untrusted"] = fetcher.untrusted is not None
        note = fetcher.note()
        if note is not None:  # only then: a report shows it beside every verdict drawn from these pages
            facts["inspection"] = note
        # addresses are kept without their query values, fragments or credentials (urlsafe.py)
        out.facts, out.errors = safe_facts(out.facts), safe_facts(out.errors)
        return out

    @staticmethod
    def _plan_pages(site: Website, base: str, first: FetchResult | None = None) -> list[_Fetched]:
        """The site's address (`base`) first, then each configured page with another URL."""
        items = [_Fetched(page=urlsplit(base).path or "/", url=base, result=first)]
        by_url = {_no_fragment(base): items[0]}
        for page in site.pages:
            url = _no_fragment(urljoin(base, page))
            if url in by_url:
                by_url[url].extra.append(page)
                if by_url[url] is items[0]:
                    items[0].page = page
                continue
            by_url[url] = _Fetched(page=page, url=url)
            items.append(by_url[url])
        return items

    @staticmethod
    def _fetch_main(main: _Fetched, fetcher: SiteFetcher, site_url: str, ctx: ProbeContext) -> None:
        if main.result is None and ctx.remaining() <= 0:
            main.error = "not fetched: the probe's time ran out"
            return
        try:
            _fetch_one(main, fetcher, site_url, ctx.deadline)
        except ProbeError as exc:
            # without the site's own address nothing can be said; don't wait on the other pages
            raise ProbeError(f"the website could not be fetched: {exc}") from None

    @staticmethod
    def _fetch_rest(items: list[_Fetched], fetcher: SiteFetcher, site_url: str, ctx: ProbeContext,
                    fan: Fanout) -> None:
        """The configured pages after the main one; one that fails is reported, the others still run."""
        if items[0].result is None:
            return  # the probe's time ran out before the main page
        def fetch(item: _Fetched) -> None:
            if item.result is None and ctx.remaining() <= 0:
                item.error = "not fetched: the probe's time ran out"
                return
            _fetch_caught(item, fetcher, site_url, ctx.deadline)
        fan.map(fetch, items[1:])

    @staticmethod
    def _crawl(site: Website, base: str, fetcher: SiteFetcher, ctx: ProbeContext, items: list[_Fetched],
               fan: Fanout, sitemap_job: Job[HttpResponse | None] | None) -> tuple[list[_Fetched], dict[str, Any]]:
        """Pages beyond `pages:` up to max_pages, best first: links, sitemap.xml. A crawled page that
        cannot be read is reported as found, not counted against the verdicts (a dead link is not a
        page the practice asked to check).

        The best `fan.width` candidates are fetched as one batch and read in the order taken, inline
        or at once alike, so which pages are checked never depends on which answer came first.
        """
        limit = site.max_pages if site.max_pages is not None else DEFAULT_MAX_PAGES
        fact: dict[str, Any] = {"max_pages": limit, "found": [], "checked": [f.page for f in items]}
        if len(items) >= limit or ctx.remaining() <= 1 or sitemap_job is None:
            return [], fact
        frontier = Frontier([f.url for f in items] + [f.result.final.url for f in items if f.result])
        for f in items:
            if f.doc is not None:
                frontier.add(candidates(f.doc, f.page, base))
        ahead: dict[str, tuple[_Fetched, Job[None]]] = {}
        if fan.parallel and not sitemap_job.done():
            # while sitemap.xml is on its way the best linked pages are too; the first batch takes
            # them only if they are still the best once the sitemap's pages have joined
            for cand in frontier.queue[:min(fan.width, limit - len(items))]:
                item = _Fetched(page=page_name(cand.url), url=cand.url, found_by=cand.found_by)
                ahead[cand.url] = (item, fan.later(_fetch_caught, item, fetcher, site.url, ctx.deadline))
        sitemap = sitemap_job.result()
        if sitemap is not None and sitemap.status == 200 and "xml" in sitemap.content_type:
            frontier.add(sitemap_urls(sitemap.text, base))
        out: list[_Fetched] = []
        while len(items) + len(out) < limit and ctx.remaining() > 1:
            batch: list[_Fetched] = []
            fresh: list[_Fetched] = []
            waiting: list[Job[None]] = []
            while len(batch) < min(fan.width, limit - len(items) - len(out)) and (cand := frontier.pop()):
                taken = ahead.pop(cand.url, None)
                if taken is not None:
                    batch.append(taken[0])
                    waiting.append(taken[1])
                else:
                    batch.append(_Fetched(page=page_name(cand.url), url=cand.url, found_by=cand.found_by))
                    fresh.append(batch[-1])
            for _, job in ahead.values():
                job.cancel()  # fetched ahead but outranked by the sitemap's pages: dropped, unread
            ahead.clear()
            if not batch:
                break
            fan.map(lambda item: _fetch_caught(item, fetcher, site.url, ctx.deadline), fresh)
            for job in waiting:
                job.result()
            for item in batch:
                entry = {"page": item.page, "found_by": item.found_by, "checked": False, "error": None}
                fact["found"].append(entry)
                if item.error is not None or item.doc is None:
                    entry["error"] = item.error or "not an HTML page"
                    continue
                entry["checked"] = True
                fact["checked"].append(item.page)
                out.append(item)
                frontier.add(candidates(item.doc, item.page, base))
        fact["found"] += [{"page": page_name(c.url), "found_by": c.found_by, "checked": False,
                           "error": "not checked: max_pages reached"} for c in frontier.queue[:50]]
        return out, fact


def _fetch_caught(item: _Fetched, fetcher: SiteFetcher, site_url: str, deadline: float | None) -> None:
    """_fetch_one, with a failure kept as the page's error."""
    try:
        _fetch_one(item, fetcher, site_url, deadline)
    except ProbeError as exc:
        item.error = str(exc)


def _fetch_final(fetcher: SiteFetcher, url: str) -> HttpResponse | ProbeError:
    """The last response for url, or the reason there is none (kept, not raised, for a later reader)."""
    try:
        return fetcher.fetch(url).final
    except ProbeError as exc:
        return exc


def _fetch_sitemap(base: str, fetcher: SiteFetcher) -> HttpResponse | None:
    try:
        return fetcher.fetch(urljoin(base, "/sitemap.xml")).final
    except ProbeError:
        return None  # no sitemap: the links are enough


def _fetch_one(item: _Fetched, fetcher: SiteFetcher, site_url: str, deadline: float | None) -> None:
    """Fetch one page (unless already fetched) and parse it, as a browser decodes it, when it is HTML."""
    item.result = item.result or fetcher.fetch(item.url)
    final = item.result.final
    item.own = own_responses(item.result.chain, site_url, item.url)
    item.off_site = not same_practice_site(final.url, site_url, item.url)
    if item.result.error is not None:
        item.error = item.result.error
    elif not 200 <= final.status < 300:
        # a redirect that was not followed, or an error page: not the page that was asked for
        item.error = f"{final.url} answered {final.status} {final.reason}".rstrip()
    elif final.content_type in HTML_TYPES:
        item.decoded = decode_html(final.body, final.header("content-type"))
        item.doc = parse_html(item.decoded.text, final.url, deadline=deadline, cut=final.truncated)


def _https_facts(facts: dict[str, Any], errors: dict[str, str], url: str, attempt: HttpsAttempt | None,
                 main: FetchResult) -> None:
    """http.https_url, https_available and https_problem: can the site be opened over HTTPS?"""
    if attempt is not None:  # an http:// site: its https:// address was tried first
        available, reason = attempt.available, attempt.reason
    else:
        available, reason = opens_over_https(main)
    facts["https_url"] = url
    facts["https_available"] = available
    facts["https_problem"] = reason
    if available is None:
        errors["http.https_available"] = f"it could not be told whether the site opens over HTTPS: {reason}"


def _no_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _values(resp: HttpResponse, name: str) -> list[str]:
    return [v[: hdr.MAX_HEADER_CHARS] for v in resp.header_all(name)]


def _header_facts(resp: HttpResponse, *, https: bool | None, untrusted: bool = False) -> dict[str, Any]:
    raw = {name: ", ".join(_values(resp, name))[: hdr.MAX_HEADER_CHARS]
           for name in hdr.SECURITY_HEADERS if resp.header_all(name)}
    # browsers ignore HSTS received over plain HTTP, or over HTTPS with certificate errors (RFC 6797 §8.1)
    heard = bool(https) and not untrusted
    hsts = hdr.parse_hsts(_values(resp, "strict-transport-security") if heard else [])
    if not https and resp.header_all("strict-transport-security"):
        hsts = hdr.Hsts(False, False, None, False, False, "HSTS sent over plain HTTP is ignored by browsers")
    elif https and untrusted:
        hsts = hdr.Hsts(False, False, None, False, False, "browsers ignore HSTS from a site whose certificate "
                        "they do not trust (RFC 6797 §8.1)")
    return {
        "headers": raw,
        "hsts": hsts.facts(),
        "csp": hdr.csp_facts(_values(resp, "content-security-policy"),
                             _values(resp, "content-security-policy-report-only")),
        "content_type_options": hdr.content_type_options_facts(_values(resp, "x-content-type-options")),
        "frame_options": hdr.frame_options_facts(_values(resp, "x-frame-options")),
        "referrer_policy": hdr.referrer_policy_facts(_values(resp, "referrer-policy")),
        "permissions_policy": hdr.simple_header_facts(_values(resp, "permissions-policy")),
        "corp": hdr.simple_header_facts(_values(resp, "cross-origin-resource-policy")),
        "coop": hdr.simple_header_facts(_values(resp, "cross-origin-opener-policy")),
    }


def _page_facts(fetched: list[_Fetched]) -> tuple[list[dict[str, Any]], list[FetchedPage]]:
    facts: list[dict[str, Any]] = []
    artifacts: list[FetchedPage] = []
    for f in fetched:
        for page in [f.page, *[p for p in f.extra if p != f.page]]:
            if f.result is None:
                facts.append({"page": page, "url": f.url, "final_url": None, "status": None, "ok": False,
                              "https": False, "content_type": "", "truncated": False, "title": None,
                              "forms": 0, "error": f.error, "redirected_off_site": False, "charset": None,
                              "undecodable": 0, "partial": None})
                artifacts.append(FetchedPage(page=page, url=f.url, final_url=f.url, status=None,
                                             content_type="", html=None, error=f.error))
                continue
            final = f.result.final
            html = f.decoded.text if f.doc is not None and f.decoded is not None else None
            facts.append({"page": page, "url": f.url, "final_url": final.url, "status": final.status,
                          "ok": f.error is None, "https": scheme_of(final.url) == "https",
                          "content_type": final.content_type, "truncated": final.truncated,
                          "title": f.doc.title if f.doc else None,
                          "forms": len(f.doc.forms) if f.doc else 0, "error": f.error,
                          "redirected_off_site": f.off_site,
                          "charset": f.decoded.charset if f.decoded else None,
                          "undecodable": f.decoded.replaced if f.decoded else 0, "partial": f.partial})
            artifacts.append(FetchedPage(page=page, url=f.url, final_url=final.url, status=final.status,
                                         content_type=final.content_type, html=html,
                                         truncated=final.truncated, error=f.error, partial=f.partial,
                                         found_by=f.found_by))
    return facts, artifacts


def _resource_kind(tag: str, rel: str | None) -> str | None:
    if tag == "link":
        for token in (rel or "").split():
            if token in _LINK_LOADS:
                return _LINK_LOADS[token]
        return None  # canonical, alternate, preconnect ... load nothing
    return _TAG_KIND.get(tag)


def _content_findings(fetched: list[_Fetched]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    mixed: list[dict[str, Any]] = []
    insecure: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for f in fetched:
        if f.doc is None or f.result is None:
            continue
        on_https = scheme_of(f.result.final.url) == "https"
        for res in f.doc.resources:
            kind = _resource_kind(res.tag, res.rel)
            key = (f.page, res.absolute, res.tag)
            if on_https and kind and scheme_of(res.absolute) == "http" and key not in seen:
                seen.add(key)
                mixed.append({"page": f.page, "url": res.absolute, "tag": res.tag, "kind": kind,
                              "active": kind in _ACTIVE})
        for form in f.doc.forms:
            # the form's action and every submit button's formaction
            for action in form.destinations:
                if scheme_of(action) != "http":
                    continue
                insecure.append({"page": f.page, "action": action, "method": form.method,
                                 "fields": len(form.fields)})
                if on_https:
                    mixed.append({"page": f.page, "url": action, "tag": "form", "kind": "form", "active": True})
    return mixed, insecure


def _cookie_facts(sources: list[tuple[str, HttpResponse]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    now = dt.datetime.now(dt.timezone.utc)
    for page, resp in sources:
        for header in resp.header_all("set-cookie"):
            cookie = parse_set_cookie(header, now)
            if cookie is None:
                continue
            key = (cookie.name, cookie.domain, cookie.path, cookie.secure, cookie.httponly, cookie.samesite)
            if key in seen:
                continue
            seen.add(key)
            out.append(cookie.facts(page))
    return out


def _check_redirect(http_url: str, site_url: str, ctx: ProbeContext
                    ) -> tuple[dict[str, Any], list[tuple[str, HttpResponse]], str | None]:
    """Follow plain-HTTP hops until an https:// address is named; that address is not fetched again."""
    facts: dict[str, Any] = {"url": http_url, "available": None, "status": None, "chain": [],
                             "final_url": None, "to_https": None, "same_site": None,
                             "to_https_same_site": None, "hops": 0, "capped": False}
    cookies: list[tuple[str, HttpResponse]] = []
    try:
        facts["available"] = listens(http_url, ctx)
    except ProbeError as exc:
        return facts, cookies, str(exc)
    if not facts["available"]:  # nothing there sends anyone anywhere
        facts.update(to_https=False, same_site=False, to_https_same_site=False)
        return facts, cookies, None
    limit = ctx.network.settings.max_redirects
    current = http_url
    destination: str | None = None
    for _ in range(limit + 1):
        if scheme_of(current) == "https":
            destination = current
            break
        if ctx.remaining() <= 0:
            return facts, cookies, f"{current}: not fetched, the probe's time ran out"
        try:
            resp = ctx.network.fetch(current, follow_redirects=False, deadline=ctx.deadline).final
        except ProbeError as exc:
            return facts, cookies, str(exc)
        cookies.append((current, resp))
        location = resp.header("location")
        facts["chain"].append({"url": current, "status": resp.status, "location": location})
        if facts["status"] is None:
            facts["status"] = resp.status
        if 300 <= resp.status < 400 and location:
            try:
                current = urljoin(current, location.strip())
            except ValueError:
                return facts, cookies, f"{current}: invalid Location header {location[:200]!r}"
            continue
        destination = current
        break
    else:
        facts["capped"] = True
        destination = None
    facts["hops"] = len(facts["chain"])
    facts["final_url"] = destination
    if destination is None:
        facts.update(to_https=False, same_site=False, to_https_same_site=False)
    else:
        to_https = scheme_of(destination) == "https"
        on_site = same_site(destination, site_url)
        facts.update(to_https=to_https, same_site=on_site, to_https_same_site=to_https and on_site)
    return facts, cookies, None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _check_security_txt(site_url: str, fetcher: SiteFetcher,
                        legacy_job: Job[HttpResponse | ProbeError] | None = None
                        ) -> tuple[dict[str, Any], list[tuple[str, HttpResponse]], str | None]:
    """The site's /.well-known/security.txt; the older /security.txt only when that is absent
    (`legacy_job`: its fetch, already under way)."""
    ctx = fetcher.ctx
    url = _origin(site_url) + WELL_KNOWN_SECURITY_TXT
    facts: dict[str, Any] = {"url": url, "status": None, "content_type": None, "present": False,
                             "contact": [], "expires": None, "expires_valid": False, "expired": None,
                             "days_to_expiry": None, "expires_within_year": None, "signed": False,
                             "encryption": [], "policy": [], "preferred_languages": None, "canonical": [],
                             "fallback_present": None}
    cookies: list[tuple[str, HttpResponse]] = []
    if ctx.remaining() <= 0:
        return facts, cookies, "not fetched: the probe's time ran out"
    try:
        result = fetcher.fetch(url)
    except ProbeError as exc:
        return facts, cookies, str(exc)
    cookies += [(WELL_KNOWN_SECURITY_TXT, r) for r in result.chain]
    if result.error is not None:  # a redirect hop failed: the file's answer was never seen
        return facts, cookies, result.error
    final = result.final
    facts["status"] = final.status
    facts["content_type"] = final.content_type
    # a 200 text/html answer is usually a catch-all page, not a security.txt
    facts["present"] = (final.status == 200 and final.content_type == "text/plain"
                        and scheme_of(final.url) == "https")
    if facts["present"]:
        facts.update(parse_security_txt(final.text).facts(dt.datetime.now(dt.timezone.utc)))
    elif legacy_job is not None or ctx.remaining() > 0:
        legacy = legacy_job.result() if legacy_job is not None else _fetch_final(fetcher, _origin(site_url)
                                                                                 + "/security.txt")
        if isinstance(legacy, ProbeError):
            facts["fallback_present"] = None
        else:
            cookies.append(("/security.txt", legacy))
            facts["fallback_present"] = legacy.status == 200 and legacy.content_type == "text/plain"
    return facts, cookies, None


PROBE = HttpProbe()
