"""Whether two URLs belong to the same site (registrable domain, from the bundled Public Suffix List)."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from cyberaudit.network import is_ip


@cache
def _psl() -> PublicSuffixList:
    # the list bundled with the package: a scan never downloads it
    return PublicSuffixList()


def registrable_domain(host: str) -> str:
    """`www.practice.example` → `practice.example`; an IP address or a bare suffix is returned as is."""
    host = host.lower().strip("[]").rstrip(".")
    if not host or is_ip(host):
        return host
    return _psl().privatesuffix(host) or host


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
