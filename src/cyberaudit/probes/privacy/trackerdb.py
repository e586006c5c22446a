"""The tracker database: who is behind a host or an inline-script snippet, and what it does.

The built-in database is data (`cyberaudit/data/trackers.yaml`); user-supplied lists are merged
into the same `TrackerDatabase` so every match names the list it came from. One vendor's host can
serve several products (googletagmanager.com serves the Google tag and Tag Manager containers), so
an address is matched by its measurement ID first, then by host and path, then by host alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cyberaudit.errors import InputError
from cyberaudit.lazy import once
from cyberaudit.resources import data_dir
from cyberaudit.yamlsrc import YamlDocument, load_yaml

CATEGORIES: tuple[str, ...] = ("advertising", "analytics", "session-replay", "social", "tag-manager",
                               "customer-interaction", "consent", "practice-software", "cdn-other",
                               "unclassified")
# Consent managers, plain CDNs and the booking, portal and directory widgets of practice-management
# platforms (SimplePractice, TherapyNotes, Zocdoc) are third parties worth listing, but not trackers. "unclassified"
# is what a user's plain domain list gives: the user said those domains track.
TRACKING_CATEGORIES = frozenset({"advertising", "analytics", "session-replay", "social", "tag-manager",
                                 "customer-interaction", "unclassified"})
BUILTIN_SOURCE = "cyberaudit trackers"
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
_WS = re.compile(r"\s+")
_MIN_SIGNATURE = 5
_ID_PREFIX = re.compile(r"^[A-Z]{1,4}-$")
# The body of a measurement ID after its prefix (G-ABC123DEF4, UA-1234567-1, GTM-ABCD12, AW-123456789):
# upper-case letters and digits with at least one digit, so words such as "G-SANS" are not IDs.
_ID_BODY = r"(?=[A-Z]*[0-9])[A-Z0-9]{4,14}(?:-[0-9]{1,4})?"
# Query keys that carry a tag's ID, and the loader paths a tag is served from on any host
# (server-side tagging serves gtm.js from the practice's own domain).
_ID_KEYS = ("id", "tid", "ids")
_LOADER_PATHS = ("/gtm.js", "/gtag/js", "/ns.html", "/gtag/destination")


def normalise_script(text: str) -> str:
    """Inline code with whitespace removed and double quotes as single, for signature matching."""
    return _WS.sub("", text).replace('"', "'")


def valid_domain(text: str) -> bool:
    return bool(_DOMAIN.match(text))


@dataclass(frozen=True)
class TrackerEntry:
    """One product of one company, found by its domains or its inline-script signatures."""

    company: str
    product: str
    category: str
    domains: tuple[str, ...]
    signatures: tuple[str, ...] = ()
    source: str = BUILTIN_SOURCE
    cookies: tuple[str, ...] = ()  # names its script sets; a trailing * matches any ending
    ids: tuple[str, ...] = ()  # measurement-ID prefixes that name this product (G-, AW-, GTM-)
    urls: tuple[str, ...] = ()  # host/path prefixes on a shared host that name this product
    reference: str | None = None  # the vendor's own documentation of the tag

    def sets_cookie(self, name: str) -> bool:
        return any(name.startswith(c[:-1]) if c.endswith("*") else name == c for c in self.cookies)

    @property
    def tracks(self) -> bool:
        return self.category in TRACKING_CATEGORIES


@dataclass(frozen=True)
class ListInfo:
    """Where tracker knowledge came from, as the report names it."""

    name: str
    version: str | None
    licence: str | None
    file: str | None
    format: str
    domains: int

    def as_fact(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "licence": self.licence,
                "file": self.file, "format": self.format, "domains": self.domains}


@dataclass(frozen=True)
class TrackerDatabase:
    """Entries from one or more lists; a host's longest matching domain wins, earlier lists first."""

    entries: tuple[TrackerEntry, ...]
    lists: tuple[ListInfo, ...]
    _by_domain: dict[str, TrackerEntry] = field(default_factory=dict, repr=False, compare=False)
    # user lists may hold tens of thousands of domain-only entries: index the few with more
    _scripted: list[TrackerEntry] = field(default_factory=list, repr=False, compare=False)
    _cookied: list[TrackerEntry] = field(default_factory=list, repr=False, compare=False)
    _by_url: list[tuple[str, re.Pattern[str], int, TrackerEntry]] = field(default_factory=list, repr=False, compare=False)
    _by_id: dict[str, TrackerEntry] = field(default_factory=dict, repr=False, compare=False)
    _id_text: list[re.Pattern[str]] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for domain in entry.domains:
                self._by_domain.setdefault(domain, entry)
            if entry.signatures:
                self._scripted.append(entry)
            if entry.cookies:
                self._cookied.append(entry)
            for url in entry.urls:
                host, _, path = url.partition("/")
                # `*` stands for one path segment (a locale in connect.facebook.net/en_US/sdk.js)
                pattern = re.compile("/" + "[^/]*".join(map(re.escape, path.split("*"))))
                self._by_url.append((host, pattern, len(url), entry))
            for prefix in entry.ids:
                self._by_id.setdefault(prefix, entry)
        self._by_url.sort(key=lambda item: -item[2])
        if self._by_id:
            prefixes = "|".join(sorted(map(re.escape, self._by_id), key=len, reverse=True))
            whole = f"(?:{prefixes}){_ID_BODY}"
            # an ID as a whole value, a quoted string in code, or one item of a list in an attribute
            self._id_text.extend((re.compile(rf"^\s*({whole})\s*$"),
                                  re.compile(rf"(?<![A-Za-z0-9_-])({whole})(?![A-Za-z0-9_-])")))

    @property
    def domains(self) -> frozenset[str]:
        return frozenset(self._by_domain)

    @property
    def companies(self) -> frozenset[str]:
        return frozenset(e.company for e in self.entries)

    def match_host(self, host: str) -> tuple[TrackerEntry, str] | None:
        """The entry and domain matching `host` (itself or a parent domain), or None."""
        host = host.lower().rstrip(".")
        labels = host.split(".")
        for i in range(len(labels) - 1):
            entry = self._by_domain.get(".".join(labels[i:]))
            if entry is not None:
                return entry, ".".join(labels[i:])
        return None

    def match_id(self, tag_id: str) -> TrackerEntry | None:
        """The product a measurement ID names by its prefix (G- GA4, AW- Google Ads, GTM- a container)."""
        if not self._id_text or not self._id_text[0].match(tag_id):
            return None
        prefix = tag_id[:tag_id.index("-") + 1]
        return self._by_id.get(prefix)

    def find_ids(self, text: str, quoted: bool = True) -> list[tuple[TrackerEntry, str]]:
        """Measurement IDs in code or an attribute value: in quotes (code) or as separate words (`quoted=False`)."""
        if not self._id_text:
            return []
        out: dict[str, TrackerEntry] = {}
        for m in self._id_text[1].finditer(text):
            tag_id = m.group(1)
            if quoted and not (m.start() > 0 and text[m.start() - 1] in "'\"`"
                               and m.end() < len(text) and text[m.end()] in "'\"`"):
                continue
            entry = self.match_id(tag_id)
            if entry is not None and tag_id not in out:
                out[tag_id] = entry
            if len(out) >= 50:
                break
        return [(entry, tag_id) for tag_id, entry in out.items()]

    def match_url(self, url: str) -> tuple[TrackerEntry, str] | None:
        """The product an address loads: by the tag ID in its query, its host and path, or its host."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower().rstrip(".")
            query = parse_qsl(parts.query[:2000])
        except ValueError:
            return None
        if not host:
            return None
        path = parts.path or "/"
        by_host = self.match_host(host)
        by_path = next(((e, h) for h, prefix, _n, e in self._by_url
                        if (host == h or host.endswith("." + h)) and prefix.match(path)), None)
        if self._by_id:
            loader = path.endswith(_LOADER_PATHS)
            known = {m[0].company for m in (by_host, by_path) if m is not None}
            for key, value in query:
                if key.lower() not in _ID_KEYS:
                    continue
                for tag_id in value.split(",")[:5]:
                    entry = self.match_id(tag_id.strip())
                    # an ID names the product on its vendor's hosts, or on a tag loader's path anywhere
                    if entry is not None and (loader or entry.company in known):
                        return entry, (by_path or by_host or (entry, host))[1]
        return by_path or by_host

    def match_script(self, code: str) -> list[tuple[TrackerEntry, str]]:
        """Entries whose signatures occur in inline code, with the signature that matched."""
        norm = normalise_script(code)
        out: list[tuple[TrackerEntry, str]] = []
        for entry in self._scripted:
            for sig in entry.signatures:
                if sig in norm:
                    out.append((entry, sig))
                    break
        return out

    def match_cookie(self, name: str) -> TrackerEntry | None:
        """The entry whose script sets a cookie of this name (on the site's own domain), or None."""
        return next((e for e in self._cookied if e.sets_cookie(name)), None)

    def merged(self, other: TrackerDatabase) -> TrackerDatabase:
        """This database, then `other` for domains this one does not know."""
        return TrackerDatabase(self.entries + other.entries, self.lists + other.lists)


def _text(doc: YamlDocument, item: dict[str, Any], key: str, loc: tuple[Any, ...],
          required: bool = True) -> str | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise doc.error((*loc, key) if key in item else loc, f"'{key}' must be non-empty text")
    return value.strip()


def _entry(doc: YamlDocument, item: Any, loc: tuple[Any, ...], source: str) -> TrackerEntry:
    if not isinstance(item, dict):
        raise doc.error(loc, "a tracker entry must be a mapping with company, product, category, domains")
    unknown = set(item) - {"company", "product", "category", "domains", "signatures", "cookies", "ids", "urls",
                           "reference"}
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise doc.error((*loc, key), f"unknown key '{key}' in a tracker entry", key=True)
    company = _text(doc, item, "company", loc)
    product = _text(doc, item, "product", loc)
    category = _text(doc, item, "category", loc)
    if category not in CATEGORIES:
        raise doc.error((*loc, "category"), f"unknown category {category!r} (one of {', '.join(CATEGORIES)})")
    domains = item.get("domains", [])
    if not isinstance(domains, list):
        raise doc.error((*loc, "domains"), "'domains' must be a list of domain names")
    clean: list[str] = []
    for j, d in enumerate(domains):
        if not isinstance(d, str) or not valid_domain(d.strip().lower()):
            raise doc.error((*loc, "domains", j), f"not a domain name: {d!r}")
        clean.append(d.strip().lower())
    signatures = item.get("signatures", [])
    if not isinstance(signatures, list):
        raise doc.error((*loc, "signatures"), "'signatures' must be a list of text snippets")
    sigs: list[str] = []
    for j, s in enumerate(signatures):
        if not isinstance(s, str) or len(normalise_script(s)) < _MIN_SIGNATURE:
            raise doc.error((*loc, "signatures", j),
                            f"a signature must be text of at least {_MIN_SIGNATURE} characters")
        sigs.append(normalise_script(s))
    cookies = item.get("cookies", [])
    if not isinstance(cookies, list) or not all(isinstance(c, str) and c.strip("*") for c in cookies):
        raise doc.error((*loc, "cookies"), "'cookies' must be a list of cookie names")
    ids = item.get("ids", [])
    if not isinstance(ids, list) or not all(isinstance(i, str) and _ID_PREFIX.match(i) for i in ids):
        raise doc.error((*loc, "ids"), "'ids' must be a list of ID prefixes such as G- or AW-")
    urls = item.get("urls", [])
    if not isinstance(urls, list):
        raise doc.error((*loc, "urls"), "'urls' must be a list of host/path prefixes")
    for j, u in enumerate(urls):
        if not isinstance(u, str) or "/" not in u or not valid_domain(u.split("/", 1)[0].lower()):
            raise doc.error((*loc, "urls", j), f"not a host/path prefix: {u!r}")
    reference = _text(doc, item, "reference", loc, required=False)
    if reference is not None and not reference.startswith("https://"):
        raise doc.error((*loc, "reference"), "'reference' must be an https:// address of the vendor's documentation")
    if not clean and not sigs and not ids and not urls:
        raise doc.error(loc, "a tracker entry needs at least one domain or signature")
    assert company and product and category
    return TrackerEntry(company, product, category, tuple(clean), tuple(sigs), source,
                        tuple(c.strip() for c in cookies), tuple(ids),
                        tuple(u.strip().lower().split("?")[0] for u in urls), reference)


def load_database(path: str | Path) -> TrackerDatabase:
    """Load a database in the built-in format; every mistake is an InputError with file:line."""
    doc = load_yaml(path)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("trackers"), list):
        raise InputError("a tracker database is a mapping with name, version, licence and a trackers list",
                         path, 1)
    name = _text(doc, data, "name", ())
    version = _text(doc, data, "version", (), required=False)
    licence = _text(doc, data, "licence", (), required=False)
    assert name is not None
    entries: list[TrackerEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data["trackers"]):
        entry = _entry(doc, item, ("trackers", i), name)
        for j, domain in enumerate(entry.domains):
            if domain in seen:
                raise doc.error(("trackers", i, "domains", j),
                                f"domain {domain} is already listed in entry #{seen[domain] + 1}")
            seen[domain] = i
        entries.append(entry)
    info = ListInfo(name, version, licence, None, "cyberaudit", len(seen))
    return TrackerDatabase(tuple(entries), (info,))


@once
def builtin_database() -> TrackerDatabase:
    """The database shipped with cyberaudit (loaded once per process)."""
    return load_database(data_dir() / "trackers.yaml")
