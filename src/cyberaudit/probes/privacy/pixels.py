"""What advertising and analytics pixels send: event names, user data and the page address.

Each vendor's collection endpoint is recognised by host and path; its query string and body
(form-encoded, one hit per line, or JSON) are read for the keys that vendor uses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from cyberaudit.probes.privacy.evidence import ObservedRequest


@dataclass(frozen=True)
class _Vendor:
    name: str
    host: re.Pattern[str]
    path: re.Pattern[str]
    event: tuple[str, ...]  # keys naming the event, first found wins
    page_url: tuple[str, ...]  # keys carrying the page address
    user: re.Pattern[str]  # keys carrying visitor data (advanced matching)
    consent: tuple[str, ...] = ()


_VENDORS = (
    _Vendor("Meta Pixel", re.compile(r"(^|\.)facebook\.(com|net)$"), re.compile(r"^/tr/?$"),
            ("ev",), ("dl",), re.compile(r"^ud\[|^udff\[")),
    _Vendor("Google Analytics 4", re.compile(r"(^|\.)(google-analytics\.com|analytics\.google\.com)$"),
            re.compile(r"^(/[a-z]/)?/?g/collect$|^/g/collect$"), ("en",), ("dl",),
            re.compile(r"^(up\.|uid$|_uid$|em$|ep\.(email|user_?data|phone))"), ("gcs", "gcd")),
    _Vendor("Universal Analytics", re.compile(r"(^|\.)google-analytics\.com$"), re.compile(r"^/(r/)?collect$"),
            ("t", "ea"), ("dl",), re.compile(r"^(uid|cd\d+)$")),
    _Vendor("Google Ads", re.compile(r"(^|\.)(googleadservices\.com|doubleclick\.net|google\.com)$"),
            re.compile(r"^/pagead/(1p-)?(viewthrough)?conversion|^/pagead/landing|^/ccm/collect"),
            ("label", "en"), ("url",), re.compile(r"^(em|ecsid|ec_.*)$"), ("gcs", "gcd")),
    _Vendor("TikTok Pixel", re.compile(r"(^|\.)tiktok\.com$"), re.compile(r"^/api/v\d/pixel"),
            ("event",), ("context.page.url", "context.page_url", "url"),
            re.compile(r"^context\.user\.|^properties\.(email|phone)")),
    _Vendor("LinkedIn Insight Tag", re.compile(r"(^|\.)linkedin\.com$"), re.compile(r"^/(wa/)?collect|^/attribution"),
            ("conversionId", "fmt"), ("url", "href"), re.compile(r"^(email|hem|liuid)$")),
    _Vendor("Snap Pixel", re.compile(r"(^|\.)snapchat\.com$"), re.compile(r"^/(p|cm|gateway/p)"),
            ("e", "ev", "event_type"), ("pl", "u", "page_url"), re.compile(r"^u_(hem|hpn|email|phone)")),
    _Vendor("Pinterest Tag", re.compile(r"(^|\.)pinterest\.com$"), re.compile(r"^/(v3|user)/?"),
            ("event",), ("ad.loc", "loc", "url"), re.compile(r"^pd\.|^(em|hashed_email)$")),
)
_HEX_HASH = re.compile(r"^[0-9a-f]{32}$|^[0-9a-f]{64}$")


@dataclass(frozen=True)
class PixelHit:
    """One event a pixel sent."""

    vendor: str
    event: str | None
    page_url: str | None
    user_data: tuple[str, ...]  # keys of the visitor data sent
    hashed: bool | None  # every user-data value looks like a hash; None when there is none
    consent: str | None
    url: str


def _flatten(value: Any, prefix: str, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list):
        for v in value[:50]:
            _flatten(v, prefix, out)
    elif value is not None:
        out.append((prefix, str(value)))


def _messages(req: ObservedRequest) -> list[list[tuple[str, str]]]:
    """Key/value pairs of each hit the request carries (a GA4 batch body has one per line)."""
    query = parse_qsl(urlsplit(req.url).query, keep_blank_values=True)
    body = req.body.decode("utf-8", "replace").strip() if req.body else ""
    if not body:
        return [query]
    if body[:1] in "[{":
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if data is not None:
            pairs: list[tuple[str, str]] = []
            for item in data if isinstance(data, list) else [data]:
                _flatten(item, "", pairs)
            return [query + pairs]
    lines = [ln for ln in body.splitlines() if "=" in ln][:50]
    return [query + parse_qsl(line, keep_blank_values=True) for line in lines] or [query]


def decode(req: ObservedRequest) -> list[PixelHit]:
    """The pixel events a request carries, empty when it is not a known pixel endpoint."""
    parts = urlsplit(req.url)
    host = (parts.hostname or "").lower()
    vendor = next((v for v in _VENDORS if v.host.search(host) and v.path.search(parts.path)), None)
    if vendor is None:
        return []
    hits = []
    for pairs in _messages(req):
        values: dict[str, str] = {}
        for k, v in pairs:
            values.setdefault(k, v)
        event = next((values[k] for k in vendor.event if values.get(k)), None)
        page_url = next((values[k] for k in vendor.page_url if values.get(k)), None)
        user = [(k, v) for k, v in pairs if vendor.user.search(k) and v]
        consent = next((values[k] for k in vendor.consent if values.get(k)), None)
        hashed = all(_HEX_HASH.match(v.lower()) for _k, v in user) if user else None
        hits.append(PixelHit(vendor.name, event, page_url, tuple(dict.fromkeys(k for k, _v in user)),
                             hashed, consent, req.url))
    return hits


_HEALTH_TERMS = re.compile(
    r"intake|depress|anxi|therap|counsel|psych|trauma|ptsd|bipolar|adhd|autis|eating[-_ ]?disorder|anorex|"
    r"bulimi|suicid|self[-_ ]?harm|addict|substance|alcohol|rehab|grief|\bocd\b|panic|schizo|mental|"
    r"diagnos|symptom|medicat|prescri|telehealth|abortion|pregnan|fertility|\bhiv\b|\bstd\b|\bsti\b|"
    r"reason=|condition=|concern=|assessment|couples|marriage", re.IGNORECASE)


def health_terms(url: str) -> list[str]:
    """Health words in a URL's path and query (never its host: a practice's name says therapy)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    text = unquote_plus(f"{parts.path}?{parts.query}").lower()
    return sorted({m.group(0).rstrip("=") for m in _HEALTH_TERMS.finditer(text)})
