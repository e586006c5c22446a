"""Tracker lists a user points the profile at: Disconnect services.json, domain lists, adblock lists.

Such lists often carry licences that forbid shipping them with a commercial tool, so cyberaudit
never bundles them; it reads the user's copy and names the list, version and licence in the report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cyberaudit.errors import InputError
from cyberaudit.jsonsrc import load_json
from cyberaudit.probes.privacy.trackerdb import ListInfo, TrackerDatabase, TrackerEntry, valid_domain
from cyberaudit.profile import TrackerList
from cyberaudit.userfiles import MAX_LIST_BYTES, read_user_bytes

# Disconnect's categories → ours. Its "Content" category holds embedded-content providers.
_DISCONNECT_CATEGORIES = {
    "advertising": "advertising", "analytics": "analytics", "social": "social",
    "content": "cdn-other", "cryptomining": "unclassified", "fingerprintinginvasive": "unclassified",
    "fingerprintinggeneral": "unclassified", "email": "unclassified", "emailaggressive": "unclassified",
    "emailstrict": "unclassified", "consentmanagers": "consent", "disconnect": "unclassified",
    "anti-fraud": "cdn-other", "session-replay": "session-replay", "sessionreplay": "session-replay",
}
_ADBLOCK_DOMAIN_RULE = re.compile(r"^\|\|([^/^$|*]+)\^?(\$.*)?$")
_ADBLOCK_HEADER = re.compile(r"^!\s*(Title|Version|License|Licence)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_HOSTS_LINE = re.compile(r"^(0\.0\.0\.0|127\.0\.0\.1|::1?)\s+(\S+)")


def load_tracker_list(spec: TrackerList, base_dir: Path | None = None) -> TrackerDatabase:
    """Load one list from the profile's privacy.tracker_lists; InputError names file and line."""
    path = Path(spec.file).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    raw = read_user_bytes(path, "tracker list", MAX_LIST_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"tracker list is not UTF-8 text ({exc.reason})", path, line) from None
    if spec.format == "disconnect":
        return _disconnect(text, path, spec)
    if spec.format == "adblock":
        return _adblock(text, path, spec)
    return _domains(text, path, spec)


def _info(spec: TrackerList, path: Path, domains: int, name: str | None = None, version: str | None = None,
          licence: str | None = None) -> ListInfo:
    return ListInfo(spec.name or name or path.name, spec.version or version, spec.licence or licence,
                    str(path), spec.format, domains)


def _domain_entries(domains: dict[str, int], source: str) -> tuple[TrackerEntry, ...]:
    return tuple(TrackerEntry(company=f"listed in {source}", product=domain, category="unclassified",
                              domains=(domain,), source=source) for domain in domains)


def _clean_domain(text: str, path: Path, line: int | None) -> str:
    domain = text.strip().lower().rstrip(".")
    if domain.startswith("*."):
        domain = domain[2:]
    if not valid_domain(domain):
        raise InputError(f"not a domain name: {text.strip()!r}", path, line)
    return domain


def _domains(text: str, path: Path, spec: TrackerList) -> TrackerDatabase:
    """One domain a line; '#' comments; hosts-file lines (0.0.0.0 domain) are accepted too."""
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        hosts = _HOSTS_LINE.match(line)
        if hosts:
            line = hosts.group(2)
        domain = _clean_domain(line, path, number)
        seen.setdefault(domain, number)
    if not seen:
        raise InputError("the domain list holds no domains", path)
    info = _info(spec, path, len(seen))
    return TrackerDatabase(_domain_entries(seen, info.name), (info,))


def _adblock(text: str, path: Path, spec: TrackerList) -> TrackerDatabase:
    """`||domain^` rules (options allowed); `@@` exceptions remove a domain; other rules are skipped.

    Adblock lists mix network rules with cosmetic and path rules that say nothing about a whole
    domain; only whole-domain blocks are tracker knowledge.
    """
    header: dict[str, str] = {}
    seen: dict[str, int] = {}
    excepted: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("!"):
            m = _ADBLOCK_HEADER.match(line)
            if m:
                header.setdefault(m.group(1).lower().replace("licence", "license"), m.group(2))
            continue
        if line.startswith("[") and line.endswith("]"):
            continue
        exception = line.startswith("@@")
        m = _ADBLOCK_DOMAIN_RULE.match(line[2:] if exception else line)
        if not m:
            continue  # cosmetic, path or regex rule
        domain = _clean_domain(m.group(1), path, number)
        if exception:
            excepted.add(domain)
        else:
            seen.setdefault(domain, number)
    for domain in excepted:
        seen.pop(domain, None)
    if not seen:
        raise InputError("the adblock list holds no ||domain^ rules", path)
    info = _info(spec, path, len(seen), header.get("title"), header.get("version"), header.get("license"))
    return TrackerDatabase(_domain_entries(seen, info.name), (info,))


def _json_line(text: str, needle: str) -> int | None:
    at = text.find(json.dumps(needle))
    return None if at < 0 else text.count("\n", 0, at) + 1


def _disconnect(text: str, path: Path, spec: TrackerList) -> TrackerDatabase:
    """Disconnect's services.json: {"categories": {CATEGORY: [{COMPANY: {HOMEPAGE: [domains]}}]}}."""
    data = load_json(text, path, "invalid JSON")
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise InputError("a Disconnect services.json needs a top-level \"categories\" object", path, 1)
    entries: list[TrackerEntry] = []
    seen: set[str] = set()
    source = spec.name or path.name
    for category_name, companies in data["categories"].items():
        category = _DISCONNECT_CATEGORIES.get(str(category_name).lower(), "unclassified")
        if not isinstance(companies, list):
            raise InputError(f"category {category_name!r} must hold a list of companies", path,
                             _json_line(text, category_name))
        for company_obj in companies:
            if not isinstance(company_obj, dict):
                raise InputError(f"category {category_name!r}: each company must be an object", path,
                                 _json_line(text, category_name))
            for company, sites in company_obj.items():
                entries.extend(_disconnect_company(text, path, company, sites, category, source, seen))
    if not seen:
        raise InputError("the Disconnect list holds no domains", path)
    licence = data.get("license") if isinstance(data.get("license"), str) else None
    info = _info(spec, path, len(seen), None, None, licence)
    return TrackerDatabase(tuple(entries), (info,))


def _disconnect_company(text: str, path: Path, company: str, sites: Any, category: str, source: str,
                        seen: set[str]) -> list[TrackerEntry]:
    if not isinstance(sites, dict):
        raise InputError(f"company {company!r} must map its homepage to a list of domains", path,
                         _json_line(text, company))
    domains: list[str] = []
    for value in sites.values():
        if not isinstance(value, list):
            continue  # flags such as "performance": "true"
        for item in value:
            if not isinstance(item, str):
                raise InputError(f"company {company!r}: domains must be text", path, _json_line(text, company))
            line = _json_line(text, item) or _json_line(text, company)
            domain = _clean_domain(item, path, line)
            if domain not in seen:
                seen.add(domain)
                domains.append(domain)
    if not domains:
        return []
    return [TrackerEntry(company=company, product=company, category=category, domains=tuple(domains),
                         source=source)]
