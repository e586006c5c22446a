"""Organizational domains (RFC 7489 §3.2) from the Public Suffix List bundled with publicsuffixlist."""

from __future__ import annotations

from cyberaudit.domains import registrable_domain


def organizational_domain(domain: str) -> str:
    """The registrable domain; a public suffix is its own organizational domain."""
    return registrable_domain(domain)
