"""The privacy probe: third-party trackers, where forms send their data, and a privacy-policy link.

Static mode reads the pages the http probe already fetched (no second fetch); browser mode
(ScanOptions.browser) renders them in headless Chromium and records what they really load.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from cyberaudit.errors import InputError, ProbeError
from cyberaudit.network import Network
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput
from cyberaudit.probes.http import DEFAULT_MAX_PAGES, Candidate, FetchedPage, PageCrawl
from cyberaudit.probes.privacy.analysis import analyse
from cyberaudit.probes.privacy.behaviour import BEHAVIOUR_FACTS, behaviour_facts
from cyberaudit.probes.privacy.browser import STOPPED, check_browser_available, render_pages
from cyberaudit.probes.privacy.evidence import PageEvidence
from cyberaudit.probes.privacy.lists import load_tracker_list
from cyberaudit.probes.privacy.page_render import BUSY, BUSY_ERROR
from cyberaudit.probes.privacy.parties import Parties
from cyberaudit.probes.privacy.trackerdb import TrackerDatabase, builtin_database
from cyberaudit.profile import TrackerList, profile_catalog
from cyberaudit.targets import Target, TargetKind
from cyberaudit.urlsafe import safe_facts

__all__ = ["PROBE", "PrivacyProbe", "check_browser_available"]

_TRACKER_ITEM = (
    ("name", "str", "Display label: product, company, category, page and evidence."),
    ("company", "str", "The company behind the tracker (Meta, Google, ...)."),
    ("product", "str", "The product (Meta Pixel, Google Analytics, Hotjar, ...)."),
    ("category", "str", "advertising, analytics, session-replay, social, tag-manager, customer-interaction "
                        "or unclassified (from a user's domain list)."),
    ("page", "str", "The configured page it was found on."),
    ("evidence", "str", "The URL requested or the inline-script signature that matched."),
    ("detected_by", "str", "How: script, img, iframe, link, source, noscript pixel, inline script "
                           "signature, inline script tag ID (G-..., GTM-...), inline script URL, data- "
                           "attribute, JSON configuration ..., script held until consent ..., request "
                           "(TYPE) or cookie."),
    ("source", "str", "The tracker list that named it (cyberaudit trackers or a user list)."),
    ("domain", "str?", "The listed domain that matched, when found by host."),
    ("hits", "int", "How many times it was seen on that page."),
    ("methods", "list", "Every way it was detected on that page (detected_by is the first)."),
    ("reference", "str?", "The vendor's own documentation of the tag, when the list gives it."),
)


def _tracker_specs(path: str, what: str) -> tuple[FactSpec, ...]:
    return (FactSpec(path, "list", what), FactSpec(f"{path}[]", "object", "One tracker on one page."),
            *(FactSpec(f"{path}[].{name}", kind, text) for name, kind, text in _TRACKER_ITEM))


FACTS: tuple[FactSpec, ...] = (
    FactSpec("privacy.mode", "str", "static (the served HTML) or browser (pages rendered in headless Chromium)."),
    FactSpec("privacy.note", "str", "Plain words on what this mode can see; a static scan cannot see tags "
                                    "injected by JavaScript."),
    FactSpec("privacy.sees_injected_tags", "bool", "Whether tags injected by JavaScript were visible (browser mode)."),
    FactSpec("privacy.pages", "list", "Each configured page and whether it could be analysed."),
    FactSpec("privacy.pages[].page", "str", "The page as configured."),
    FactSpec("privacy.pages[].url", "str", "The URL requested."),
    FactSpec("privacy.pages[].final_url", "str", "The URL after redirects."),
    FactSpec("privacy.pages[].status", "int?", "HTTP status, null when the page could not be fetched."),
    FactSpec("privacy.pages[].analysed", "bool", "Whether its HTML was analysed."),
    FactSpec("privacy.pages[].error", "str?", "Why the page could not be checked."),
    FactSpec("privacy.pages[].requests", "int?", "Requests the page made while rendering (browser mode)."),
    FactSpec("privacy.pages[].failed_requests", "list?", "Requests that failed, with the reason (browser "
                                                         "mode; names the scan does not map fail here)."),
    FactSpec("privacy.pages[].failed_requests[].url", "str", "The URL."),
    FactSpec("privacy.pages[].failed_requests[].reason", "str", "Chromium's reason (net::ERR_...)."),
    FactSpec("privacy.pages[].found_by", "str?", "For a page not in `pages:`: how the crawl found it "
                                                 "(link from PAGE, sitemap.xml); null for a configured page."),
    FactSpec("privacy.pages[].incomplete", "str?", "Browser mode: the page had not finished loading by its "
                                                   "deadline, and what was checked instead; null otherwise."),
    FactSpec("privacy.crawl", "object?", "Pages found beyond `pages:` and checked, up to max_pages."),
    FactSpec("privacy.crawl.max_pages", "int", "The most pages checked (the website's max_pages, default 20)."),
    FactSpec("privacy.crawl.checked", "list", "Every page checked: the configured ones, then those found."),
    FactSpec("privacy.crawl.found", "list", "Pages the crawl found, best first (contact, intake, booking...)."),
    FactSpec("privacy.crawl.found[].page", "str", "Path and query."),
    FactSpec("privacy.crawl.found[].found_by", "str", "How: link from PAGE or sitemap.xml."),
    FactSpec("privacy.crawl.found[].checked", "bool", "Whether it was checked."),
    FactSpec("privacy.crawl.found[].error", "str?", "Why it was not."),
    FactSpec("privacy.coverage", "object", "How much of the site could be checked."),
    FactSpec("privacy.coverage.pages", "int", "Configured pages."),
    FactSpec("privacy.coverage.analysed", "int", "Pages analysed."),
    FactSpec("privacy.coverage.complete", "bool", "Every page was analysed in full."),
    FactSpec("privacy.truncated", "bool", "Some list facts were cut to their first 500 items."),
    FactSpec("privacy.lists", "list", "Tracker lists used: the built-in database and the user's lists."),
    FactSpec("privacy.lists[].name", "str", "The list's name."),
    FactSpec("privacy.lists[].version", "str?", "Its version, when known."),
    FactSpec("privacy.lists[].licence", "str?", "Its licence, when known."),
    FactSpec("privacy.lists[].file", "str?", "The file it was read from (null for the built-in database)."),
    FactSpec("privacy.lists[].format", "str", "cyberaudit, disconnect, domains or adblock."),
    FactSpec("privacy.lists[].domains", "int", "How many domains it lists."),
    *_tracker_specs("privacy.trackers", "Known third-party trackers found, one per product and page "
                                        "(declared processors are never listed here)."),
    *_tracker_specs("privacy.session_replay", "The trackers that record visitors' sessions "
                                              "(keystrokes, clicks, form input)."),
    *_tracker_specs("privacy.advertising", "The trackers that are advertising pixels or ad platforms."),
    *_tracker_specs("privacy.trackers_on_form_pages", "Trackers on a page with a form that collects data."),
    FactSpec("privacy.forms", "list", "Every form on the checked pages."),
    FactSpec("privacy.forms[].name", "str", "Display label: method, page, destination and the health or "
                                            "identity fields."),
    FactSpec("privacy.forms[].page", "str", "The page the form is on."),
    FactSpec("privacy.forms[].frame", "str?", "The embedded frame's URL when the form sits in an iframe "
                                             "(browser mode), else null."),
    FactSpec("privacy.forms[].action", "str", "Where it submits (absolute URL)."),
    FactSpec("privacy.forms[].method", "str", "GET or POST."),
    FactSpec("privacy.forms[].destination", "str", "The host it submits to."),
    FactSpec("privacy.forms[].third_party", "bool", "It submits to another party's domain that is not a "
                                                    "declared processor."),
    FactSpec("privacy.forms[].processor", "str?", "The declared platform it submits to, if any."),
    FactSpec("privacy.forms[].tracker", "str?", "The company, when the destination is a known tracker."),
    FactSpec("privacy.forms[].collects_data", "bool", "It has fields a visitor fills in (not just a search box)."),
    FactSpec("privacy.forms[].fields", "int", "Number of fields a visitor fills in (named, or read by "
                                              "id, label or placeholder)."),
    FactSpec("privacy.forms[].form_element", "bool", "false for inputs outside any <form> that the page's "
                                                     "script sends (site builders): listed as one form a page."),
    FactSpec("privacy.forms[].sensitive_fields", "list", "Fields whose name or label suggests health, "
                                                         "identity or contact data."),
    FactSpec("privacy.forms[].sensitive_fields[].name", "str", "Field name (its id or label when it has none)."),
    FactSpec("privacy.forms[].sensitive_fields[].label", "str?", "Its label."),
    FactSpec("privacy.forms[].sensitive_fields[].kind", "str", "health, identity or contact."),
    FactSpec("privacy.forms[].health_fields", "list", "Names of the fields that suggest health information."),
    FactSpec("privacy.form_pages", "list", "Pages with a form that collects data."),
    FactSpec("privacy.processors", "list", "Declared processors (profile platforms[].domains) the pages use."),
    FactSpec("privacy.processors[].name", "str", "The platform's name in the profile."),
    FactSpec("privacy.processors[].domain", "str", "The host seen."),
    FactSpec("privacy.processors[].page", "str", "The page it was seen on."),
    FactSpec("privacy.third_parties", "list", "Every other party's registrable domain the pages load from."),
    FactSpec("privacy.third_parties[].domain", "str", "Registrable domain (Public Suffix List)."),
    FactSpec("privacy.third_parties[].company", "str?", "Company, when a tracker list knows it."),
    FactSpec("privacy.third_parties[].product", "str?", "Product, when known."),
    FactSpec("privacy.third_parties[].category", "str", "The list's category, or unknown."),
    FactSpec("privacy.third_parties[].tracker", "bool", "Whether it counts as a tracker."),
    FactSpec("privacy.third_parties[].pages", "list", "Pages it was seen on."),
    FactSpec("privacy.connection_hints", "list", "preconnect / dns-prefetch links to another party's host: "
                                                 "they load nothing, so they are notes, never trackers."),
    FactSpec("privacy.connection_hints[].domain", "str", "The host named."),
    FactSpec("privacy.connection_hints[].page", "str", "The page."),
    FactSpec("privacy.connection_hints[].rel", "str", "preconnect, dns-prefetch or both."),
    FactSpec("privacy.connection_hints[].company", "str?", "The company, when a tracker list knows the host."),
    FactSpec("privacy.connection_hints[].product", "str?", "The product the host serves, when known."),
    FactSpec("privacy.connection_hints[].tracker", "bool", "Whether that host would be a tracker if a tag "
                                                            "loaded from it."),
    FactSpec("privacy.privacy_policy", "object", "The privacy-policy link found, if any."),
    FactSpec("privacy.privacy_policy.present", "bool", "A privacy-policy (or notice of privacy practices) "
                                                       "link was found."),
    FactSpec("privacy.privacy_policy.url", "str?", "Where it points."),
    FactSpec("privacy.privacy_policy.text", "str?", "The link's text."),
    FactSpec("privacy.privacy_policy.page", "str?", "The page it was found on."),
    FactSpec("privacy.cookies", "list?", "Cookies the pages set (browser mode; null in static mode)."),
    FactSpec("privacy.cookies[].name", "str", "Cookie name."),
    FactSpec("privacy.cookies[].domain", "str", "Cookie domain."),
    FactSpec("privacy.cookies[].party", "str", "first, processor or third."),
    FactSpec("privacy.cookies[].page", "str", "The page on which it first appeared."),
    FactSpec("privacy.cookies[].company", "str?", "The tracker company that sets it, when known."),
    FactSpec("privacy.cookies[].product", "str?", "The tracker product, when known."),
    FactSpec("privacy.cookies[].category", "str?", "The tracker category, when known."),
    FactSpec("privacy.cookies[].tracker", "bool", "Whether it belongs to a known tracker."),
    FactSpec("privacy.local_storage", "list?", "localStorage keys the pages set (browser mode; null in static)."),
    FactSpec("privacy.local_storage[].origin", "str", "The origin that owns the key."),
    FactSpec("privacy.local_storage[].key", "str", "The key."),
    FactSpec("privacy.local_storage[].page", "str", "The page on which it appeared."),
    FactSpec("privacy.inspection", "str", "Present only when the http probe read the pages with relaxed "
                                          "TLS settings (a certificate that is not trusted, or old cipher "
                                          "suites; static mode): how and why, in plain words."),
    *BEHAVIOUR_FACTS,
)

_list_cache: dict[tuple[str, float, int, TrackerList], TrackerDatabase] = {}
_list_lock = threading.Lock()


def tracker_database(lists: list[TrackerList], base_dir: Path | None) -> TrackerDatabase:
    """The built-in database followed by the user's lists (each file read once per change)."""
    db = builtin_database()
    for spec in lists:
        path = Path(spec.file).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        try:
            stat = path.stat()
            key = (str(path.resolve()), stat.st_mtime, stat.st_size, spec)
        except OSError:
            key = None
        with _list_lock:
            loaded = _list_cache.get(key) if key else None
        if loaded is None:
            loaded = load_tracker_list(spec, base_dir)
            if key:
                with _list_lock:
                    _list_cache[key] = loaded
        db = db.merged(loaded)
    return db


def page_urls(target: Target) -> list[tuple[str, str]]:
    """(page, absolute URL): the site's own address first, then each configured page, as the http
    probe fetches them (a page naming the site's address takes its place)."""
    site = target.spec
    base = getattr(site, "url", target.id)
    items: list[list[str]] = [[urlsplit(base).path or "/", base.split("#")[0]]]
    for page in getattr(site, "pages", None) or ["/"]:
        url = urljoin(base, page).split("#")[0]
        same = next((item for item in items if item[1] == url), None)
        if same is None:
            items.append([page, url])
        elif same is items[0]:
            same[0] = page
    return [(page, url) for page, url in items]


def _static_evidence(pages: list[FetchedPage]) -> list[PageEvidence]:
    out = []
    for p in pages:
        error = p.error
        if error is None and p.status is None:
            error = "the page could not be fetched"
        out.append(PageEvidence(page=p.page, url=p.url, final_url=p.final_url or p.url, status=p.status,
                                html=p.html, error=error, truncated=p.truncated,
                                partial=p.partial, found_by=p.found_by))
    return out


def _served_instead(ev: PageEvidence, fetched: FetchedPage | None) -> PageEvidence:
    """A page whose script never let the browser read it: its HTML as the http probe fetched it,
    with the requests it made until then, and a note that only that was checked."""
    if ev.html is not None or ev.requests == () or fetched is None or fetched.html is None:
        return ev
    if ev.error not in (BUSY_ERROR, STOPPED):
        return ev
    return replace(ev, html=fetched.html, error=None, truncated=fetched.truncated, partial=BUSY,
                   status=ev.status or fetched.status, incomplete=BUSY)


class PrivacyProbe:
    name = "privacy"
    title = "Third-party trackers, form destinations and privacy-policy link"
    scopes: frozenset[TargetKind] = frozenset({"website"})
    requires: tuple[str, ...] = ("http",)
    redacts_urls = True  # its own output passes through safe_facts: the engine need not repeat it
    facts = FACTS

    def prepare(self, network: Network) -> None:
        builtin_database()

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        try:
            db = tracker_database(ctx.profile.privacy.tracker_lists, ctx.profile_dir)
        except InputError as exc:
            raise ProbeError(f"tracker list: {exc}") from None
        crawl_fact = None
        if ctx.options.browser:
            evidence, crawl_fact = self._browser(target, ctx)
            mode = "browser"
        else:
            evidence = self._static(ctx)
            mode = "static"
            http_facts = ctx.deps["http"].facts if ctx.deps.get("http") is not None else {}
            crawl_fact = http_facts.get("crawl")
        if evidence and all(ev.error is not None for ev in evidence):
            raise ProbeError("no page could be checked: " + "; ".join(f"{ev.page}: {ev.error}" for ev in evidence))
        hosts = [urlsplit(target.id).hostname or ""]
        hosts += [urlsplit(ev.final_url).hostname or "" for ev in evidence if ev.error is None]
        parties = Parties.for_site(hosts, ctx.profile.platforms, profile_catalog(ctx.profile, ctx.profile_dir))
        result = analyse(evidence, db, parties, mode,
                         accepted_consent=ctx.options.browser and ctx.options.browser_accept_consent,
                         deadline=ctx.deadline)
        reject = ctx.options.browser and ctx.options.browser_reject_consent
        seen, unseen = behaviour_facts(evidence, db, parties, mode, reject_consent=reject,
                                       forms_seen=bool(result.facts["form_pages"]))
        result.facts.update(seen)
        result.errors.update(unseen)
        result.facts["crawl"] = crawl_fact
        found = {ev.page: ev for ev in evidence}
        for item in result.facts["pages"]:
            ev = found.get(item["page"])
            item["found_by"] = ev.found_by if ev is not None else None
            item["incomplete"] = ev.incomplete if ev is not None else None
        http = ctx.deps.get("http")
        note = http.facts.get("inspection") if http is not None and mode == "static" else None
        if isinstance(note, str):  # the verdicts below come from pages read that way: the report says so
            result.facts["inspection"] = note
        return ProbeOutput(facts=safe_facts(result.facts), errors=safe_facts(result.errors))

    @staticmethod
    def _static(ctx: ProbeContext) -> list[PageEvidence]:
        http = ctx.deps.get("http")
        pages = http.artifacts.get("pages") if http is not None else None
        if not pages:
            raise ProbeError("the pages were not fetched (the http probe did not run or could not fetch them)")
        return _static_evidence(list(pages))

    @staticmethod
    def _browser(target: Target, ctx: ProbeContext) -> tuple[list[PageEvidence], dict[str, object]]:
        try:
            executable = check_browser_available()
        except InputError as exc:
            raise ProbeError(str(exc)) from None
        network = ctx.network
        site = target.spec
        if getattr(site, "address", None):
            network.add_address(site.host, site.port, site.address)
        s = network.settings
        # Pointed at chosen addresses (staging, tests): no name may escape to the real internet.
        confine = bool(s.resolve or s.connect_to or s.nameservers or getattr(site, "address", None))
        pages = page_urls(target)
        limit = getattr(site, "max_pages", None) or DEFAULT_MAX_PAGES
        hosts = {(urlsplit(u).hostname or "").lower() for _p, u in pages} if confine else None
        crawl = PageCrawl(pages[0][1], [u for _p, u in pages], limit, hosts)
        http = ctx.deps.get("http")
        for fetched in (http.artifacts.get("pages") or []) if http is not None else []:
            if fetched.found_by:  # what the http probe's crawl found (its sitemap.xml too) comes first
                crawl.add([Candidate(fetched.url, fetched.found_by, 1000)])
        try:
            evidence = render_pages(pages, network, ctx.deadline, confine=confine,
                                    accept_consent=ctx.options.browser_accept_consent, executable=executable,
                                    reject_consent=ctx.options.browser_reject_consent, crawl=crawl)
        except InputError as exc:
            raise ProbeError(str(exc)) from None
        served = {p.url: p for p in (http.artifacts.get("pages") or [])} if http is not None else {}
        evidence = [_served_instead(ev, served.get(ev.url)) for ev in evidence]
        return evidence, crawl.fact([ev.page for ev in evidence])


PROBE = PrivacyProbe()
