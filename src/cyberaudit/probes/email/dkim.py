"""DKIM public keys (RFC 6376 §3.6, RFC 8301, RFC 8463) at the profile's and well-known selectors."""

from __future__ import annotations

import base64
import binascii
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from cyberaudit.dnsclient import DnsClient
from cyberaudit.probes.email.tags import parse_tags

# Selectors that mail providers publish by default (Google Workspace, Microsoft 365, Mailchimp and
# Mandrill, Zoho, Fastmail, Proton, iCloud, cPanel and other hosting panels).
WELL_KNOWN_SELECTORS: tuple[str, ...] = (
    "google", "selector1", "selector2", "k1", "k2", "k3", "s1", "s2", "default", "dkim", "mail",
    "smtp", "mandrill", "mxvault", "zoho", "fm1", "fm2", "fm3", "protonmail", "protonmail2",
    "protonmail3", "sig1", "mailjet", "everlytickey1", "everlytickey2",
)


@dataclass(frozen=True)
class DkimKey:
    """The key published at one selector. status: key, revoked (empty p=) or invalid."""

    selector: str
    source: str  # profile or well_known
    status: str
    key_type: str | None
    key_bits: int | None
    testing: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class DkimResult:
    checked: tuple[str, ...]  # every selector asked, profile's first
    keys: tuple[DkimKey, ...]  # selectors with a DKIM record
    failures: tuple[tuple[str, str], ...]  # (selector, why the lookup failed)


def parse_dkim_key(selector: str, source: str, text: str) -> DkimKey:
    """Read key type and size from a DKIM key record; a malformed key is `invalid`, not an exception."""
    tags = parse_tags(text)
    problems = list(tags.problems)
    version = tags.get("v")
    if version is not None and (tags.names[0] != "v" or version != "DKIM1"):
        problems.append("v= must be DKIM1 and come first")
    key_type = (tags.get("k") or "rsa").lower()
    testing = "y" in (tags.get("t") or "").lower().split(":")
    hashes = (tags.get("h") or "").lower()
    if hashes and "sha256" not in [h.strip() for h in hashes.split(":")]:
        problems.append("h= allows only SHA-1, which verifiers must reject (RFC 8301)")
    p = tags.get("p")
    if p is None:
        problems.append("the record has no p= tag")
        return DkimKey(selector, source, "invalid", key_type, None, testing, tuple(problems))
    data = "".join(p.split())
    if not data:
        return DkimKey(selector, source, "revoked", key_type, None, testing, tuple(problems))
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        problems.append("p= is not valid base64")
        return DkimKey(selector, source, "invalid", key_type, None, testing, tuple(problems))
    bits = _key_bits(key_type, raw, problems)
    status = "key" if bits is not None else "invalid"
    return DkimKey(selector, source, status, key_type, bits, testing, tuple(problems))


def _key_bits(key_type: str, raw: bytes, problems: list[str]) -> int | None:
    if key_type == "ed25519":
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            problems.append("p= is not a 32-byte Ed25519 key")
            return None
        return 256
    if key_type != "rsa":
        problems.append(f"unknown key type k={key_type}")
        return None
    try:
        key = load_der_public_key(raw)  # SubjectPublicKeyInfo, or a bare RSAPublicKey as some publish
    except (ValueError, TypeError):
        problems.append("p= does not hold a readable RSA public key")
        return None
    if not isinstance(key, rsa.RSAPublicKey):
        problems.append("k=rsa but p= holds another kind of key")
        return None
    return key.key_size


def lookup_dkim(domain: str, selectors: list[str] | tuple[str, ...], dns: DnsClient) -> DkimResult:
    """Ask every profile selector, then the well-known ones, for a DKIM key record."""
    ordered: list[tuple[str, str]] = []
    seen: set[str] = set()
    for sel, source in [*((s, "profile") for s in selectors), *((s, "well_known") for s in WELL_KNOWN_SELECTORS)]:
        sel = sel.strip().rstrip(".").lower()
        if sel and sel not in seen:
            seen.add(sel)
            ordered.append((sel, source))
    keys: list[DkimKey] = []
    failures: list[tuple[str, str]] = []
    # The selectors are independent names: ask them side by side so a slow zone costs one timeout.
    with ThreadPoolExecutor(max_workers=min(32, max(1, len(ordered)))) as pool:
        answers = list(pool.map(lambda item: dns.txt(f"{item[0]}._domainkey.{domain}"), ordered))
    for (sel, source), answer in zip(ordered, answers, strict=True):
        if answer.failed:
            failures.append((sel, f"{sel}._domainkey.{domain} TXT: {answer.error}"))
            continue
        records = [r for r in answer.records if _looks_like_dkim(r)]
        if records:
            keys.append(parse_dkim_key(sel, source, records[0]))
    return DkimResult(tuple(s for s, _ in ordered), tuple(keys), tuple(failures))


def _looks_like_dkim(text: str) -> bool:
    tags = parse_tags(text)
    return tags.get("v") == "DKIM1" or "p" in tags.names
