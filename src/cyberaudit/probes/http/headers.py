"""Security response headers parsed into facts: HSTS, CSP, X-Frame-Options, Referrer-Policy and friends."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Raw values published under http.headers.<name>; Set-Cookie is left out because it carries values.
SECURITY_HEADERS = (
    "strict-transport-security",
    "content-security-policy",
    "content-security-policy-report-only",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-resource-policy",
    "cross-origin-opener-policy",
    "cross-origin-embedder-policy",
    "x-xss-protection",
)
MAX_HEADER_CHARS = 8192

# Referrer-Policy values that never send a page's path to another site.
STRICT_REFERRER_POLICIES = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
_REFERRER_TOKENS = {"no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
                    "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin",
                    "unsafe-url"}
_NONCE_OR_HASH = re.compile(r"^'(nonce-|sha256-|sha384-|sha512-)", re.I)
_WILDCARD_SOURCES = {"*", "http:", "https:", "data:", "blob:", "filesystem:", "ws:", "wss:"}


@dataclass(frozen=True)
class Hsts:
    present: bool
    valid: bool
    max_age: int | None
    include_subdomains: bool
    preload: bool
    problem: str | None

    def facts(self) -> dict[str, Any]:
        return {"present": self.present, "valid": self.valid, "max_age": self.max_age,
                "include_subdomains": self.include_subdomains, "preload": self.preload,
                "problem": self.problem}


def parse_hsts(values: list[str]) -> Hsts:
    """RFC 6797 §6.1: only the first header counts; max-age is required; no directive twice."""
    if not values:
        return Hsts(False, False, None, False, False, "no Strict-Transport-Security header")
    seen: dict[str, str | None] = {}
    for part in values[0].split(";"):
        part = part.strip()
        if not part:
            continue
        name, eq, value = part.partition("=")
        name = name.strip().lower()
        if name in seen:
            return Hsts(True, False, None, False, False, f"directive {name!r} appears twice")
        seen[name] = value.strip().strip('"') if eq else None
    include = "includesubdomains" in seen
    preload = "preload" in seen
    raw_age = seen.get("max-age")
    if raw_age is None or not raw_age.isdigit():
        problem = "max-age is missing" if "max-age" not in seen else f"max-age {raw_age!r} is not a number"
        return Hsts(True, False, None, include, preload, problem)
    return Hsts(True, True, int(raw_age), include, preload, None)


def parse_csp(value: str) -> dict[str, list[str]]:
    """A serialized policy → {directive: [sources]}; the first occurrence of a directive wins (CSP3 §2.2)."""
    out: dict[str, list[str]] = {}
    for part in value.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if re.fullmatch(r"[a-z0-9-]+", name) and name not in out:
            out[name] = tokens[1:]
    return out


def csp_facts(enforced: list[str], report_only: list[str]) -> dict[str, Any]:
    """Facts about the first enforced policy (or the report-only one, which protects nothing)."""
    policy_text = enforced[0] if enforced else (report_only[0] if report_only else None)
    if policy_text is None:
        return {"present": False, "enforced": False, "report_only": False, "directives": {},
                "script_src": None, "restricts_scripts": False, "unsafe_inline": False,
                "unsafe_eval": False, "wildcard_scripts": False, "frame_ancestors": None,
                "frame_ancestors_restricts": False, "upgrade_insecure_requests": False,
                "policies": 0}
    directives = parse_csp(policy_text)
    scripts = directives.get("script-src", directives.get("default-src"))
    lowered = [s.lower() for s in scripts or []]
    has_nonce_or_hash = any(_NONCE_OR_HASH.match(s) for s in lowered)
    strict_dynamic = "'strict-dynamic'" in lowered
    # with a nonce or hash present, CSP2+ browsers ignore 'unsafe-inline'; strict-dynamic ignores hosts
    unsafe_inline = "'unsafe-inline'" in lowered and not has_nonce_or_hash
    wildcard = not strict_dynamic and any(s in _WILDCARD_SOURCES for s in lowered)
    ancestors = directives.get("frame-ancestors")
    ancestors_restrict = (ancestors is not None and bool(enforced)
                          and not any(s.lower() in _WILDCARD_SOURCES for s in ancestors))
    return {
        "present": True,
        "enforced": bool(enforced),
        "report_only": not enforced,
        "directives": directives,
        "script_src": scripts,
        "restricts_scripts": scripts is not None and bool(enforced),
        "unsafe_inline": unsafe_inline,
        "unsafe_eval": "'unsafe-eval'" in lowered,
        "wildcard_scripts": wildcard,
        "frame_ancestors": ancestors,
        "frame_ancestors_restricts": ancestors_restrict,
        "upgrade_insecure_requests": "upgrade-insecure-requests" in directives and bool(enforced),
        "policies": len(enforced) + len(report_only),
    }


def frame_options_facts(values: list[str]) -> dict[str, Any]:
    """X-Frame-Options (RFC 7034): only DENY and SAMEORIGIN are honoured by current browsers."""
    if not values:
        return {"present": False, "value": None, "valid": False}
    tokens = {v.strip().upper() for joined in values for v in joined.split(",") if v.strip()}
    # conflicting values make browsers ignore the header
    valid = len(tokens) == 1 and tokens <= {"DENY", "SAMEORIGIN"}
    return {"present": True, "value": ", ".join(sorted(tokens)), "valid": valid}


def content_type_options_facts(values: list[str]) -> dict[str, Any]:
    value = values[0].strip() if values else None
    return {"present": bool(values), "value": value,
            "nosniff": value is not None and value.lower() == "nosniff"}


def referrer_policy_facts(values: list[str]) -> dict[str, Any]:
    """The effective policy is the last token a browser recognises (W3C Referrer Policy §8.1)."""
    tokens = [t.strip().lower() for v in values for t in v.split(",") if t.strip()]
    effective = next((t for t in reversed(tokens) if t in _REFERRER_TOKENS), None)
    return {"present": bool(values), "value": effective or "",
            "strict": effective in STRICT_REFERRER_POLICIES}


def simple_header_facts(values: list[str]) -> dict[str, Any]:
    value = ", ".join(values)[:MAX_HEADER_CHARS] if values else None
    return {"present": bool(values), "value": value}
