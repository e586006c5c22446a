"""What scripts did in the browser, as facts: typed input sent before submit, pixel events, page
addresses with health words sent to trackers, third-party cookies, canvas fingerprinting, session
recorders' traffic and what loads after a cookie banner is rejected.

Static mode cannot see any of this: those facts are null, with an error saying it needs --browser.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cyberaudit.domains import registrable_domain
from cyberaudit.probes.base import FactSpec
from cyberaudit.probes.privacy.canaries import Typed, find_leaks, request_texts
from cyberaudit.probes.privacy.evidence import ObservedRequest, PageEvidence
from cyberaudit.probes.privacy.parties import Parties
from cyberaudit.probes.privacy.pixels import decode, health_terms
from cyberaudit.probes.privacy.trackerdb import TrackerDatabase

MAX_ITEMS = 500
NEEDS_BROWSER = ("not checked: this needs --browser (a static scan reads the HTML only and cannot see "
                 "what scripts send while a visitor types or browses)")
_KEYS = ("typed_fields", "form_input_leaks", "pixel_events", "health_urls_to_third_parties",
         "third_party_cookies", "canvas_fingerprinting", "session_recording_traffic", "consent_check")


def _specs(path: str, what: str, fields: tuple[tuple[str, str, str], ...]) -> tuple[FactSpec, ...]:
    return (FactSpec(path, "list?", what), FactSpec(f"{path}[]", "object", "One item."),
            *(FactSpec(f"{path}[].{n}", k, t) for n, k, t in fields))


BEHAVIOUR_FACTS: tuple[FactSpec, ...] = (
    *_specs("privacy.typed_fields", "Form fields the browser typed a test value into, key by key, or picked "
            "an option in, without ever submitting (browser mode; null in static mode).", (
                ("page", "str", "The page."), ("field", "str", "The field's name, id or label."),
                ("kind", "str", "email, phone, name, date of birth, health, text or choice (an option picked "
                                 "in a select, radio group or checkbox)."),
                ("value", "str", "The test value typed, or the value of the option picked."),
                ("frame", "str?", "The embedded frame's URL, null for the page itself."))),
    *_specs("privacy.form_input_leaks", "Typed values that reached another party before any submit "
            "(browser mode; null in static mode).", (
                ("name", "str", "Display label: field, recipient and how it was sent."),
                ("page", "str", "The page typed into."), ("field", "str", "The field."),
                ("kind", "str", "Which test value: email, phone, name, ..."),
                ("recipient", "str", "The host that received it."),
                ("company", "str?", "The tracker company, when known."),
                ("encoding", "str", "How it was sent: plain, url-encoded, base64, sha256, md5, ..."),
                ("where", "str", "url, body or header NAME (a WebSocket frame counts as body)."),
                ("url", "str", "The request (first 300 characters)."))),
    *_specs("privacy.pixel_events", "Events decoded from advertising and analytics pixels "
            "(browser mode; null in static mode).", (
                ("name", "str", "Display label: vendor, event and page."),
                ("page", "str", "The page."), ("vendor", "str", "Meta Pixel, Google Analytics 4, ..."),
                ("event", "str?", "The event name sent (PageView, page_view, Lead, ...)."),
                ("page_url", "str?", "The page address the pixel sent, when it sent one."),
                ("user_data", "list", "Keys of visitor data sent (advanced matching: ud[em], ...)."),
                ("hashed", "bool?", "Every visitor-data value was a hash; null when none was sent."),
                ("consent", "str?", "The consent-mode state sent (gcs), when any."),
                ("url", "str", "The request (first 300 characters)."))),
    *_specs("privacy.health_urls_to_third_parties", "Page addresses whose path or query reveals health "
            "terms, sent to a tracker (browser mode; null in static mode).", (
                ("name", "str", "Display label: recipient and the address sent."),
                ("page", "str", "The page."), ("recipient", "str", "The host that received it."),
                ("company", "str?", "The tracker company."), ("sent_url", "str", "The page address sent."),
                ("terms", "list", "The health words found in it."),
                ("how", "str", "pixel parameter, Referer header or request URL."))),
    *_specs("privacy.third_party_cookies", "Cookies set on another party's domain (browser mode; null in "
            "static mode).", (
                ("name", "str", "Cookie name."), ("domain", "str", "Its domain."),
                ("page", "str", "The page on which it appeared."),
                ("company", "str?", "The tracker company, when known."),
                ("set_by", "str?", "A request to that domain on the page (the likely setter)."))),
    *_specs("privacy.canvas_fingerprinting", "Scripts that drew text on a canvas and read it back, the "
            "usual browser-fingerprinting trick (browser mode; null in static mode).", (
                ("name", "str", "Display label: script and method."),
                ("page", "str", "The page."), ("script", "str", "The calling script's URL."),
                ("company", "str?", "The tracker company, when known."),
                ("method", "str", "toDataURL, getImageData or toBlob."),
                ("width", "int", "Canvas width."), ("height", "int", "Canvas height."),
                ("text", "str", "Text drawn on the canvas."))),
    *_specs("privacy.session_recording_traffic", "Data a session recorder sent while the page was used "
            "(browser mode; null in static mode).", (
                ("name", "str", "Display label."), ("page", "str", "The page."),
                ("product", "str", "The recorder (Hotjar, Clarity, ...)."), ("company", "str", "Its company."),
                ("url", "str", "The request (first 300 characters)."), ("method", "str", "HTTP method or WS."),
                ("bytes", "int", "Size of what was sent."))),
    FactSpec("privacy.consent_check", "object", "What happened when the cookie banner was rejected "
             "(browser mode with --reject-consent; nothing is clicked otherwise)."),
    FactSpec("privacy.consent_check.tried", "bool", "The scan was asked to reject (--reject-consent)."),
    FactSpec("privacy.consent_check.rejected", "bool", "A reject button was found and clicked on some page."),
    *_specs("privacy.consent_check.before_choice", "Trackers that sent requests before the banner was "
            "clicked.", (("name", "str", "Display label."), ("page", "str", "The page."),
                         ("company", "str", "The company."), ("product", "str", "The product."),
                         ("url", "str", "A request made before the click."))),
    FactSpec("privacy.consent_check.pages", "list", "Pages where it was clicked."),
    *_specs("privacy.consent_check.after_reject", "Trackers that still sent requests after rejecting.", (
        ("name", "str", "Display label."), ("page", "str", "The page."), ("company", "str", "The company."),
        ("product", "str", "The product."), ("url", "str", "A request made after rejecting."))),
)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class _Builder:
    def __init__(self, db: TrackerDatabase, parties: Parties) -> None:
        self.db = db
        self.parties = parties
        self.out: dict[str, list[dict[str, Any]]] = {k: [] for k in _KEYS if k != "consent_check"}

    def company(self, host: str) -> tuple[str | None, str | None, str | None]:
        match = self.db.match_host(host)
        if match is None or not match[0].tracks:
            return None, None, None
        return match[0].company, match[0].product, match[0].category

    def other(self, host: str) -> bool:
        return bool(host) and self.parties.classify(host) == "third"

    def page(self, ev: PageEvidence) -> None:
        typed = []
        frame_of = {t.field: registrable_domain(_host(t.frame)) for t in ev.typed if t.frame}
        for t in ev.typed:
            self.out["typed_fields"].append({"page": ev.page, "field": t.field, "kind": t.kind, "value": t.value,
                                             "frame": t.frame})
            typed.append(Typed(t.field, t.kind, (t.value, *t.also), t.choice))
        sent = [r for r in ev.requests if r.after_typing and self.other(_host(r.url))]
        known = [ev.url, ev.final_url, *(x for r in ev.requests if not r.after_typing for x in request_texts(r))]
        for leak in find_leaks(typed, sent, known):
            host = _host(leak.url)
            if leak.field in frame_of and registrable_domain(host) == frame_of[leak.field]:
                continue  # a form served by another company reaching that company: PRIV-FORM-THIRD-PARTY's case
            company = self.company(host)[0]
            self.out["form_input_leaks"].append({
                "name": f"{leak.field} ({leak.kind}) sent to {company or host} as {leak.encoding} in the {leak.where}",
                "page": ev.page, "field": leak.field, "kind": leak.kind, "recipient": host, "company": company,
                "encoding": leak.encoding, "where": leak.where, "url": leak.url[:300]})
        self._requests(ev)
        self._cookies(ev)
        for read in ev.canvas:
            if read.text and read.width >= 16 and read.height >= 16:
                self.out["canvas_fingerprinting"].append({
                    "name": f"{read.script[:120]} read the canvas back ({read.method}) on {ev.page}",
                    "page": ev.page, "script": read.script, "company": self.company(_host(read.script))[0],
                    "method": read.method, "width": read.width, "height": read.height, "text": read.text})

    def _requests(self, ev: PageEvidence) -> None:
        seen_health: set[tuple[str, str]] = set()
        for req in ev.requests:
            host = _host(req.url)
            if not self.other(host):
                continue
            company, product, category = self.company(host)
            for hit in decode(req):
                self.out["pixel_events"].append({
                    "name": f"{hit.vendor}: {hit.event or 'hit'} on {ev.page}", "page": ev.page,
                    "vendor": hit.vendor, "event": hit.event, "page_url": hit.page_url,
                    "user_data": list(hit.user_data), "hashed": hit.hashed, "consent": hit.consent,
                    "url": hit.url[:300]})
                if hit.page_url:
                    self._health(ev, host, company or hit.vendor, hit.page_url, "pixel parameter", seen_health)
            if company is None:
                continue
            referer = next((v for k, v in req.headers if k.lower() == "referer"), None)
            if referer:
                self._health(ev, host, company, referer, "Referer header", seen_health)
            for own in (ev.final_url, ev.url):
                if own and own in req.url and own != req.url:
                    self._health(ev, host, company, own, "request URL", seen_health)
            if category == "session-replay" and (req.method in ("POST", "WS") or req.resource_type in
                                                 ("xhr", "fetch", "ping", "websocket")):
                self.out["session_recording_traffic"].append({
                    "name": f"{product} sent {len(req.body)} bytes from {ev.page}", "page": ev.page,
                    "product": product, "company": company, "url": req.url[:300], "method": req.method,
                    "bytes": len(req.body)})

    def _health(self, ev: PageEvidence, host: str, company: str, sent_url: str, how: str,
                seen: set[tuple[str, str]]) -> None:
        if self.parties.classify(_host(sent_url) or "x.invalid") != "first" or (host, sent_url) in seen:
            return
        terms = health_terms(sent_url)
        if terms:
            seen.add((host, sent_url))
            self.out["health_urls_to_third_parties"].append({
                "name": f"{company} ({host}) received {sent_url[:150]}", "page": ev.page, "recipient": host,
                "company": company, "sent_url": sent_url[:300], "terms": terms, "how": how})

    def _cookies(self, ev: PageEvidence) -> None:
        for cookie in ev.cookies:
            domain = cookie.domain.lstrip(".").lower()
            if not self.other(domain):
                continue
            setter = next((r.url for r in ev.requests if _host(r.url) == domain or
                           _host(r.url).endswith("." + domain)), None)
            self.out["third_party_cookies"].append({
                "name": cookie.name, "domain": domain, "page": ev.page, "company": self.company(domain)[0],
                "set_by": setter[:300] if setter else None})

    def _trackers(self, page: str, requests: tuple[ObservedRequest, ...], label: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for req in requests:
            host = _host(req.url)
            company, product, _cat = self.company(host) if self.other(host) else (None, None, None)
            if company and product and product not in seen:
                seen.add(product)
                out.append({"name": f"{product} ({company}) {label}, on {page}", "page": page,
                            "company": company, "product": product, "url": req.url[:300]})
        return out

    def consent(self, pages: list[PageEvidence], tried: bool) -> dict[str, Any]:
        clicked = [ev for ev in pages if ev.consent == "rejected"]
        before, after = [], []
        for ev in clicked:
            before += self._trackers(ev.page, ev.consent_before, "loads before any choice")
            after += self._trackers(ev.page, ev.requests[len(ev.consent_before):], "still loads after rejecting")
        return {"tried": tried, "rejected": bool(clicked), "pages": [ev.page for ev in clicked],
                "before_choice": before[:MAX_ITEMS], "after_reject": after[:MAX_ITEMS]}


def behaviour_facts(pages: list[PageEvidence], db: TrackerDatabase, parties: Parties, mode: str,
                    reject_consent: bool = False, forms_seen: bool = True) -> tuple[dict[str, Any], dict[str, str]]:
    """Facts below `privacy.` and errors keyed by full fact path.

    Static mode: null facts with a "needs --browser" error, and typed_fields an empty list, so the
    leak rule reads not applicable with the reason instead of an error on every static scan.
    """
    if mode != "browser":
        facts: dict[str, Any] = dict.fromkeys(_KEYS)
        # only what the leak rule reads: the other facts are plainly null, their rules not applicable
        errors = {f"privacy.{k}": NEEDS_BROWSER for k in ("typed_fields", "form_input_leaks")}
        # no banner is clicked in a static scan: the consent rule does not apply (and says why)
        facts["consent_check"] = {"tried": False, "rejected": False, "pages": [], "before_choice": [],
                                  "after_reject": []}
        # nothing can be typed without a browser: the leak rule does not apply, and says it needs
        # --browser (an error here would fail every static scan's gate on a check it never tried)
        facts["typed_fields"] = []
        del errors["privacy.typed_fields"]
        return facts, errors
    builder = _Builder(db, parties)
    for ev in pages:
        if ev.error is None:
            builder.page(ev)
    facts = {k: v[:MAX_ITEMS] for k, v in builder.out.items()}
    facts["consent_check"] = builder.consent(pages, reject_consent)
    errors: dict[str, str] = {}
    unchecked = [f"{ev.page}: {ev.error}" for ev in pages if ev.error is not None]
    if unchecked:
        reason = "not every page could be checked: " + "; ".join(unchecked)[:500]
        for key in ("form_input_leaks", "health_urls_to_third_parties", "canvas_fingerprinting"):
            if not facts[key]:
                errors[f"privacy.{key}"] = reason
    return facts, errors
