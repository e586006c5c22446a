"""Addresses and server text made safe to keep: query values, fragments and credentials replaced.

Sites put session tokens, signatures and personal data in their own URLs (`?token=`, `?session=`,
`X-Amz-Signature=`, `;jsessionid=`, `#access_token=`). A URL is stored in facts, errors and reports
only through `safe_url`: scheme, host, port and path are kept, and so are the names of query
parameters; every value, every fragment and any user name or password become `…`. Rules and
tracker lists identify what a URL is before it is stored; no built-in rule reads a query value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "…"
MAX_NAME = 64  # a longer "parameter name" is more likely a token than a name a reader needs

# Absolute (scheme://…) and scheme-relative (//host…) addresses inside free text.
_ABSOLUTE = re.compile(r"(?<![\w.+-])(?:[a-z][a-z0-9+.-]{0,30}:)?//[^\s\"'<>`\\]+", re.IGNORECASE)
# Relative references with a query, fragment or path parameter: /path?…, /path;a=b, ?a=b, #a=b.
_RELATIVE = re.compile(r"(?<![\w/.:%~+-])(?:/[^\s\"'<>`\\?#;]*(?:[?#;][^\s\"'<>`\\]*)"
                       r"|[?#][^\s\"'<>`\\=&]{1,200}=[^\s\"'<>`\\]*)")
_TRAILING = ".,;:!)]}'\""
# A CSP nonce is a per-response random value: kept, it only makes two reports of one site differ.
_NONCE = re.compile(r"(['\"]?nonce-)[A-Za-z0-9+/_=-]+", re.IGNORECASE)
_MAY_HOLD = re.compile(r"//|[?#;]|nonce-", re.IGNORECASE)
# Fact keys whose string value is a whole address (relative ones included): redacted as one URL.
URL_KEYS = frozenset({"url", "final_url", "location", "action", "frame", "href", "src"})


def _query(text: str) -> str:
    parts = []
    for part in re.split(r"([&;])", text):
        if part in ("&", ";") or part == "":
            parts.append(part)
            continue
        name, eq, _value = part.partition("=")
        if not eq or len(name) > MAX_NAME:
            parts.append(REDACTED)  # a bare value (`?s3cr3t`) is a value
        else:
            parts.append(f"{name}={REDACTED}")
    return "".join(parts)


def _path(path: str) -> str:
    # path parameters (`;jsessionid=…`) carry sessions in some servers' URLs
    if ";" not in path:
        return path
    segments = []
    for segment in path.split("/"):
        head, sep, params = segment.partition(";")
        segments.append(head + sep + _query(params) if sep else segment)
    return "/".join(segments)


def safe_url(url: str) -> str:
    """`url` with every query value, the fragment, any credentials and path parameters replaced by `…`.

    Works on absolute, scheme-relative and relative references and never raises; text that is no
    URL comes back unchanged unless it contains `?`, `#` or `;`.
    """
    if not isinstance(url, str) or not url:
        return url
    rest, hash_, fragment = url.partition("#")
    rest, qmark, query = rest.partition("?")
    prefix, path = "", rest
    m = re.match(r"^((?:[a-z][a-z0-9+.-]*:)?//)([^/]*)(.*)$", rest, re.IGNORECASE | re.DOTALL)
    if m:
        scheme, authority, path = m.groups()
        if "@" in authority:
            authority = REDACTED + "@" + authority.rpartition("@")[2]
        prefix = scheme + authority
    out = prefix + _path(path)
    if qmark:
        out += "?" + _query(query)
    if hash_:
        out += "#" + (REDACTED if fragment else "")
    return out


def _one(match: re.Match[str]) -> str:
    text = match.group(0)
    stripped = text.rstrip(_TRAILING)
    return safe_url(stripped) + text[len(stripped):]


def safe_text(text: str) -> str:
    """Free text (an error message, a header value) with every address in it passed through `safe_url`.

    CSP nonces (`'nonce-…'`) are replaced too.
    """
    # every pattern below needs "//", "?", "#", ";" or a nonce: most text has none, and one C-level
    # search settles it
    if not isinstance(text, str) or not _MAY_HOLD.search(text):
        return text
    if "nonce-" in text.lower():
        text = _NONCE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _ABSOLUTE.sub(_one, text)
    return _RELATIVE.sub(_one, text)


def safe_facts(value: Any, key: str = "") -> Any:
    """A copy of a JSON-able tree with `safe_url` on address fields and `safe_text` on every other string."""
    if isinstance(value, str):
        return safe_url(value) if key in URL_KEYS else safe_text(value)
    if isinstance(value, Mapping):
        return {safe_text(k) if isinstance(k, str) else k: safe_facts(v, k if isinstance(k, str) else "")
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(safe_facts(v, key) for v in value)
    return value
