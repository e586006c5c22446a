"""Organizational domains from the Public Suffix List bundled with publicsuffixlist."""

from __future__ import annotations

from functools import cache

from publicsuffixlist import PublicSuffixList


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()  # the list shipped inside the package: no download at run time


def organizational_domain(domain: str) -> str:
    """The registrable domain (RFC 7489 §3.2); a public suffix is its own organizational domain."""
    domain = domain.rstrip(".").lower()
    return _psl().privatesuffix(domain) or domain
