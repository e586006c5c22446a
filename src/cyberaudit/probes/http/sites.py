"""Whether two URLs belong to the same site (registrable domain, from the bundled Public Suffix List)."""

from __future__ import annotations

from urllib.parse import urlsplit

from cyberaudit.domains import registrable_domain


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs have the same registrable domain (scheme and port aside)."""
    a, b = host_of(url_a), host_of(url_b)
    return bool(a) and registrable_domain(a) == registrable_domain(b)


def scheme_of(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""
