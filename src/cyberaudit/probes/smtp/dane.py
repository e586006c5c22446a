"""DANE for SMTP (RFC 7672): TLSA records at _25._tcp.<mx>, matched against the served chain."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from cyberaudit.probes.tls.chain import name_matches, sans

USAGES = {0: "PKIX-TA", 1: "PKIX-EE", 2: "DANE-TA", 3: "DANE-EE"}


@dataclass(frozen=True)
class Tlsa:
    usage: int
    selector: int
    mtype: int
    data: bytes

    @property
    def usable(self) -> bool:
        # RFC 7672 §3.1.3: PKIX usages (0, 1) are not for SMTP; unknown selectors/types are unusable
        return self.usage in (2, 3) and self.selector in (0, 1) and self.mtype in (0, 1, 2)

    def text(self) -> str:
        return f"{self.usage} {self.selector} {self.mtype} {self.data.hex()}"


def parse(record: str) -> Tlsa | None:
    """'3 1 1 ab12…' (dnspython's text, hex possibly split by spaces) → Tlsa, or None if malformed."""
    parts = record.split()
    if len(parts) < 4 or not all(p.isdigit() for p in parts[:3]):
        return None
    try:
        data = bytes.fromhex("".join(parts[3:]))
    except ValueError:
        return None
    return Tlsa(int(parts[0]), int(parts[1]), int(parts[2]), data)


def _digest(cert: x509.Certificate, t: Tlsa) -> bytes:
    if t.selector == 0:
        raw = cert.public_bytes(serialization.Encoding.DER)
    else:
        raw = cert.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    if t.mtype == 1:
        return hashlib.sha256(raw).digest()
    if t.mtype == 2:
        return hashlib.sha512(raw).digest()
    return raw


def matches(t: Tlsa, chain: tuple[x509.Certificate, ...], mx: str) -> bool:
    """Whether one usable TLSA record authenticates the served chain for the MX host."""
    if not chain or not t.usable:
        return False
    if t.usage == 3:  # DANE-EE: the leaf's key or certificate itself; names and dates are not checked
        return _digest(chain[0], t) == t.data
    # DANE-TA: a served issuer is the trust anchor, and the leaf must name the MX host (RFC 7672 §3.2.3)
    for i, anchor in enumerate(chain[1:], start=1):
        if _digest(anchor, t) == t.data:
            return _linked(chain[:i + 1]) and name_matches(mx, sans(chain[0]))
    return False


def _linked(path: tuple[x509.Certificate, ...]) -> bool:
    """Each certificate is signed by the next one: the anchor really issued the leaf's path."""
    try:
        for child, parent in zip(path, path[1:], strict=False):
            child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
