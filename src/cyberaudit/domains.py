"""Registrable domains from the Public Suffix List bundled with publicsuffixlist (no download)."""

from __future__ import annotations

from functools import lru_cache

from publicsuffixlist import PublicSuffixList

from cyberaudit.lazy import once
from cyberaudit.network import is_ip


@once
def _psl() -> PublicSuffixList:
    return PublicSuffixList()  # the snapshot shipped inside the package


@lru_cache(maxsize=16384)
def registrable_domain(host: str) -> str:
    """`a.b.example.co.uk` → `example.co.uk`; an IP address or a bare public suffix stays as it is.

    This is also DMARC's organizational domain (RFC 7489 §3.2).
    """
    host = host.lower().strip().strip("[]").rstrip(".")
    if not host or is_ip(host):
        return host
    return _psl().privatesuffix(host) or host
