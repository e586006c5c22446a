"""From what was seen of a site's pages to privacy facts: trackers, forms, processors, policy link.

The same classification serves both modes: in static mode the evidence is the served HTML; in
browser mode it is the rendered DOM plus every request, cookie and localStorage key recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from cyberaudit.domains import registrable_domain
from cyberaudit.probes.http import PARTIAL, Form, HtmlDocument, parse_html
from cyberaudit.probes.privacy.evidence import PageEvidence
from cyberaudit.probes.privacy.formfields import field_kind
from cyberaudit.probes.privacy.parties import Parties
from cyberaudit.probes.privacy.trackerdb import TrackerDatabase, TrackerEntry
from cyberaudit.urlsafe import safe_text, safe_url

Mode = Literal["static", "browser"]

STATIC_NOTE = (
    "Static scan: only tags written into the pages' HTML were seen. A static scan cannot see tags "
    "that JavaScript injects while the page runs (most tag-manager setups load trackers this way), "
    "so trackers may be missing from this report. Run the scan with --browser to render the pages "
    "in a headless browser and record every request they make.")
BROWSER_NOTE = (
    "Browser scan: each page was rendered in headless Chromium {consent}, and every request, cookie "
    "and localStorage key it produced was recorded, so tags injected by JavaScript are included.")
CONSENT_NONE = "without clicking any cookie banner (what a visitor gets before consenting)"
CONSENT_ACCEPTED = "after trying to accept the cookie banner (best effort)"

_INLINE_URL = re.compile(r"(?:https?:)?//((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62})"
                         r"(/[^\s'\"`\\<>()]{0,300})?", re.IGNORECASE)
_POLICY_LINK = re.compile(r"privacy|datenschutz|confidentialit|donn[ée]es personnelles|privacidad|"
                          r"privacit|\bhipaa\b|notice of privacy practices", re.IGNORECASE)
_SEARCH_NAMES = {"q", "s", "search", "query", "keyword", "keywords"}
_DATA_TYPES = {"text", "textarea", "email", "tel", "date", "number", "select", "radio", "checkbox", "file",
               "url", "password", "datetime-local", "month"}
_MAX_INLINE_SCRIPT = 256 * 1024
# <link rel> values that only warm up a connection: nothing is loaded, so no tag runs
_HINT_RELS = {"preconnect", "dns-prefetch"}
# a group of inputs outside any <form> collects data when a visitor can type into one of them
# (checkbox-only groups outside forms are mostly cookie-banner switches)
_TYPED = {"text", "textarea", "email", "tel", "date", "number", "url", "file", "datetime-local", "month", ""}
MAX_LIST = 500  # items a list fact keeps; the Result stays readable whatever a page holds


@dataclass
class _Collected:
    trackers: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    third: dict[str, dict[str, Any]] = field(default_factory=dict)
    processors: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    forms: list[dict[str, Any]] = field(default_factory=list)
    form_pages: list[str] = field(default_factory=list)
    policy: dict[str, Any] | None = None
    hints: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    cookies: list[dict[str, Any]] = field(default_factory=list)
    storage: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Analysis:
    """Facts below `privacy.` and errors keyed by full fact path."""

    facts: dict[str, Any]
    errors: dict[str, str]


def _brief(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https", ""):
            return None
        return (parts.hostname or "").lower() or None
    except ValueError:
        return None


class _PageScanner:
    def __init__(self, db: TrackerDatabase, parties: Parties, out: _Collected) -> None:
        self.db = db
        self.parties = parties
        self.out = out
        self._hosts: dict[str, tuple[str, str | None, tuple[TrackerEntry, str] | None, str]] = {}

    def _classify(self, host: str) -> tuple[str, str | None, tuple[TrackerEntry, str] | None, str]:
        known = self._hosts.get(host)
        if known is None:
            party = self.parties.classify(host)
            processor = self.parties.processor_for(host) if party == "processor" else None
            match = self.db.match_host(host) if party == "third" else None
            known = (party, processor, match, registrable_domain(host))
            if len(self._hosts) < 20_000:
                self._hosts[host] = known
        return known

    def url_seen(self, url: str, page: str, how: str, known_only: bool = False) -> None:
        """Classify one address the page loads from or sends to: by its tag ID, path and host."""
        host = _host(url)
        if host is None:
            return
        party, processor, match, reg = self._classify(host)
        if party == "third" and match is not None:
            match = self.db.match_url(url) or match
        elif party == "first":
            # a tag served from the practice's own domain (server-side tagging) is named by its ID
            tagged = self.db.match_url(url)
            if tagged is not None and tagged[0].tracks:
                self.tracker(tagged[0], page, url, how, None)
            return
        self.host_seen(host, page, url, how, known_only, (party, processor, match, reg))

    def host_seen(self, host: str, page: str, evidence: str, how: str, known_only: bool = False,
                  known: tuple[str, str | None, tuple[TrackerEntry, str] | None, str] | None = None) -> None:
        """Classify one host the page loads from or sends to."""
        party, processor, match, reg = known or self._classify(host)
        if party == "first" or (known_only and party == "third" and match is None):
            return
        if party == "processor":
            name = processor or host
            self.out.processors.setdefault((name, host, page), {"name": name, "domain": host, "page": page})
            return
        entry = match[0] if match else None
        third = self.out.third.setdefault(reg, {
            "domain": reg, "company": entry.company if entry else None,
            "product": entry.product if entry else None,
            "category": entry.category if entry else "unknown",
            "tracker": bool(entry and entry.tracks), "pages": []})
        if page not in third["pages"]:
            third["pages"].append(page)
        if entry is not None and entry.tracks:
            self.tracker(entry, page, evidence, how, match[1] if match else None)

    def tracker(self, entry: TrackerEntry, page: str, evidence: str, how: str, domain: str | None) -> None:
        key = (page, entry.company, entry.product)
        evidence = safe_text(evidence)  # identified above from the whole address; kept without its values
        hit = self.out.trackers.get(key)
        if hit is not None:
            hit["hits"] += 1
            if how not in hit["methods"]:
                hit["methods"].append(how)
            return
        self.out.trackers[key] = {
            "name": f"{entry.product} by {entry.company} ({entry.category}) on {page}: {_brief(evidence)}",
            "company": entry.company, "product": entry.product, "category": entry.category,
            "page": page, "evidence": evidence[:300], "detected_by": how, "source": entry.source,
            "domain": domain, "hits": 1, "methods": [how], "reference": entry.reference}

    def document(self, page: str, doc: HtmlDocument, in_frame: str | None = None) -> None:
        for res in doc.resources:
            rels = set(res.rel.split()) if res.tag == "link" and res.rel else set()
            if "privacy-policy" in rels:
                self._policy(page, res.absolute, "link rel=privacy-policy")
                continue
            if rels and rels <= _HINT_RELS:
                self._hint(page, res.absolute, " ".join(sorted(rels)))
                continue
            if res.in_noscript:
                how = "noscript pixel" if res.tag == "img" else f"noscript {res.tag}"
            elif res.attr.startswith("data-"):
                how = "script held until consent"
            else:
                how = res.tag
            self.url_seen(res.absolute, page, how)
        for code in doc.inline_scripts:
            self._code(page, code, "inline script")
        for kind, code in doc.data_scripts:
            # JSON a first-party script reads (tag IDs in its settings), or a tag a consent tool holds
            # back as text/plain until the visitor agrees: both say which tags the page runs
            json_like = "json" in kind
            self._code(page, code, "JSON configuration" if json_like else "script held until consent")
        for tag, attr, value in doc.data_attributes:
            for entry, tag_id in self.db.find_ids(value, quoted=False):
                if entry.tracks:
                    self.tracker(entry, page, f"<{tag} {attr}=\"{tag_id}\">", "data- attribute", None)
        for link in doc.links:
            if _POLICY_LINK.search(f"{link.text} {link.href}"):
                self._policy(page, link.absolute, link.text or link.href)
                break
        for form in doc.forms:
            self._form(page, form, in_frame)
        if doc.loose_fields and doc.loose_button:
            self._loose_form(page, doc, in_frame)

    def _code(self, page: str, code: str, how: str) -> None:
        code = code[:_MAX_INLINE_SCRIPT]
        for entry, signature in self.db.match_script(code):
            if entry.tracks:
                self.tracker(entry, page, signature, f"{how} signature", None)
        for entry, tag_id in self.db.find_ids(code):
            if entry.tracks:
                self.tracker(entry, page, tag_id, f"{how} tag ID", None)
        for m in _INLINE_URL.finditer(code):
            # only hosts a list knows: inline code names many URLs it never loads (XML namespaces)
            url = m.group(0) if m.group(0).lower().startswith("http") else "https:" + m.group(0)
            self.url_seen(url, page, f"{how} URL", known_only=True)

    def _hint(self, page: str, url: str, rel: str) -> None:
        host = _host(url)
        if host is None or self.parties.classify(host) != "third":
            return
        match = self.db.match_host(host)
        self.out.hints.setdefault((host, page), {
            "domain": host, "page": page, "rel": rel,
            "company": match[0].company if match else None, "product": match[0].product if match else None,
            "tracker": bool(match and match[0].tracks)})

    def _loose_form(self, page: str, doc: HtmlDocument, in_frame: str | None) -> None:
        typed = [f for f in doc.loose_fields if f.type in _TYPED and f.key.lower() not in _SEARCH_NAMES]
        if not typed:
            return  # a lone search box or a banner's switches: nothing a visitor sends about themselves
        form = Form(action="", absolute_action=doc.base_url.split("#")[0], method="POST",
                    fields=doc.loose_fields)
        self._form_destination(page, form, "", in_frame, form_element=False)

    def _policy(self, page: str, url: str, text: str) -> None:
        if self.out.policy is None:
            self.out.policy = {"present": True, "url": safe_url(url), "text": safe_text(text[:200]), "page": page}

    def _form(self, page: str, form: Form, in_frame: str | None = None) -> None:
        # one entry per place the form can send its data: its action and each submit button's formaction
        for action in form.destinations:
            self._form_destination(page, form, action, in_frame)

    def _form_destination(self, page: str, form: Form, action: str, in_frame: str | None,
                          form_element: bool = True) -> None:
        scheme = urlsplit(action).scheme.lower() if action else ""
        host = _host(action) if scheme in ("http", "https") else None
        party = self.parties.classify(host) if host else "first"
        processor = self.parties.processor_for(host) if host and party == "processor" else None
        match = self.db.match_host(host) if host and party == "third" else None
        sensitive = []
        for f in form.fields:
            kind = field_kind(f.name or f.id or "", f.label, f.type, f.options, f.context)
            if kind is not None:
                sensitive.append({"name": f.key, "label": f.label, "kind": kind})
        collects = bool(sensitive) or any(
            f.type in _DATA_TYPES and f.key.lower() not in _SEARCH_NAMES for f in form.fields)
        # a mailto: or javascript: action leaves no data with a web host: name it as written
        destination = host or (safe_url(action) if scheme not in ("http", "https") else "")
        in_frame = safe_url(in_frame) if in_frame else in_frame
        where = f"{page} (in a frame from {_host(in_frame) or in_frame})" if in_frame else page
        if form_element:
            name = f"{form.method} form on {where} to {destination or 'this page'}"
        else:
            name = f"form without a <form> element on {where}, sent by the page's script"
        for kind in ("health", "identity"):
            shown = [f["label"] or f["name"] for f in sensitive if f["kind"] == kind]
            if shown:
                name += f"; {kind} fields: {_brief(', '.join(shown), 80)}"
        self.out.forms.append({
            "name": name,
            "page": page, "frame": in_frame, "action": safe_url(action), "method": form.method,
            "destination": destination,
            "third_party": party == "third", "processor": processor,
            "tracker": match[0].company if match and match[0].tracks else None,
            "collects_data": collects, "fields": len(form.fields), "form_element": form_element,
            "sensitive_fields": sensitive,
            "health_fields": [s["name"] for s in sensitive if s["kind"] == "health"]})
        if collects and page not in self.out.form_pages:
            self.out.form_pages.append(page)
        if processor is not None and host is not None:
            self.out.processors.setdefault((processor, host, page),
                                           {"name": processor, "domain": host, "page": page})

    def browser_data(self, ev: PageEvidence) -> None:
        for req in ev.requests:
            self.url_seen(req.url, ev.page, f"request ({req.resource_type})")
        for cookie in ev.cookies:
            domain = cookie.domain.lstrip(".").lower()
            party = self.parties.classify(domain)
            entry: TrackerEntry | None = None
            if party == "first":
                entry = self.db.match_cookie(cookie.name)
                if entry is not None and entry.tracks:
                    self.tracker(entry, ev.page, f"cookie {cookie.name}", "cookie", None)
            elif party == "third":
                match = self.db.match_host(domain)
                entry = match[0] if match else None
            self.out.cookies.append({
                "name": cookie.name, "domain": domain, "party": party, "page": ev.page,
                "company": entry.company if entry else None,
                "product": entry.product if entry else None,
                "category": entry.category if entry else None,
                "tracker": bool(entry and entry.tracks)})
        for item in ev.storage:
            self.out.storage.append({"origin": item.origin, "key": item.key, "page": ev.page})


def analyse(pages: list[PageEvidence], db: TrackerDatabase, parties: Parties, mode: Mode,
            accepted_consent: bool = False, deadline: float | None = None) -> Analysis:
    """Classify everything seen on the pages; an unchecked page turns would-be passes into errors."""
    out = _Collected()
    scanner = _PageScanner(db, parties, out)
    page_facts: list[dict[str, Any]] = []
    problems: list[str] = []
    for ev in pages:
        analysed = ev.error is None and ev.html is not None
        page_facts.append({
            "page": ev.page, "url": safe_url(ev.url), "final_url": safe_url(ev.final_url), "status": ev.status,
            "analysed": analysed, "error": safe_text(ev.error),
            "requests": len(ev.requests) if mode == "browser" else None,
            "failed_requests": [{"url": safe_url(r.url[:300]), "reason": r.failed} for r in ev.requests
                                if r.failed][:50] if mode == "browser" else None})
        if ev.error is not None:
            problems.append(f"{ev.page}: {ev.error}")
            continue
        if ev.html is not None:
            doc = parse_html(ev.html, ev.final_url or ev.url, deadline=deadline, cut=ev.truncated)
            if doc.truncated or ev.truncated:
                problems.append(f"{ev.page}: the page is larger than the size cap and was read in part")
            partial = "; ".join(dict.fromkeys(r for r in (ev.partial, doc.partial) if r))
            if partial:
                problems.append(f"{ev.page}: {PARTIAL}: {partial}")
            scanner.document(ev.page, doc)
        if mode == "browser":
            scanner.browser_data(ev)
            for frame_url, frame_html in ev.frames:
                # what the visitor sees inside an embedded frame counts for the page that embeds it
                frame = parse_html(frame_html, frame_url, deadline=deadline)
                if frame.partial:
                    problems.append(f"{ev.page}: {PARTIAL} (frame {frame_url[:200]}): {frame.partial}")
                scanner.document(ev.page, frame, in_frame=frame_url)

    trackers = list(out.trackers.values())
    form_pages = set(out.form_pages)
    lists_cut = any(len(items) > MAX_LIST for items in (
        trackers, out.forms, out.third, out.processors, out.cookies, out.storage))
    note = STATIC_NOTE if mode == "static" else BROWSER_NOTE.format(
        consent=CONSENT_ACCEPTED if accepted_consent else CONSENT_NONE)
    managers = sorted({t["product"] for t in trackers if t["category"] == "tag-manager"})
    if mode == "static" and managers:
        note += (f" This site uses {', '.join(managers)}, which loads further tags at run time: expect "
                 "more trackers than listed here.")
    facts: dict[str, Any] = {
        "mode": mode,
        "note": note,
        "sees_injected_tags": mode == "browser",
        "pages": page_facts,
        "coverage": {"pages": len(pages), "analysed": sum(p["analysed"] for p in page_facts),
                     "complete": not problems},
        "lists": [info.as_fact() for info in db.lists],
        "trackers": trackers[:MAX_LIST],
        "session_replay": [t for t in trackers if t["category"] == "session-replay"][:MAX_LIST],
        "advertising": [t for t in trackers if t["category"] == "advertising"][:MAX_LIST],
        "forms": out.forms[:MAX_LIST],
        "form_pages": out.form_pages,
        "trackers_on_form_pages": [t for t in trackers if t["page"] in form_pages][:MAX_LIST],
        "processors": list(out.processors.values())[:MAX_LIST],
        "third_parties": sorted(out.third.values(), key=lambda t: t["domain"])[:MAX_LIST],
        "connection_hints": list(out.hints.values())[:MAX_LIST],
        "privacy_policy": out.policy or {"present": False, "url": None, "text": None, "page": None},
        "cookies": out.cookies[:MAX_LIST] if mode == "browser" else None,
        "local_storage": out.storage[:MAX_LIST] if mode == "browser" else None,
        "truncated": lists_cut,
    }
    errors: dict[str, str] = {}
    if problems:
        # Something found still counts; finding nothing on a partial view proves nothing.
        reason = "not every page could be checked: " + "; ".join(problems)[:500]
        for key in ("trackers", "session_replay", "advertising", "trackers_on_form_pages"):
            if not facts[key]:
                errors[f"privacy.{key}"] = reason
        if not any(f["third_party"] for f in out.forms):
            errors["privacy.forms"] = reason
        if out.policy is None:
            errors["privacy.privacy_policy"] = reason
        if not out.form_pages:
            # an unchecked page may be the one with the form: the rules about form pages cannot say
            errors["privacy.form_pages"] = reason
    return Analysis(facts, errors)
