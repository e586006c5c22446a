"""The certificate chain as served: what each certificate says, and whether the chain is trusted.

Trust and the name check use cryptography's X.509 path validation (RFC 5280 with the CA/Browser
Forum profile), against the scan's CA bundle and using only the certificates the server sent.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import DNSName, IPAddress, PolicyBuilder, Store, VerificationError

from cyberaudit.network import is_ip


@dataclass(frozen=True)
class TrustVerdict:
    """Whether the served chain leads to a trusted root, and whether it names the host."""

    trusted: bool
    hostname_match: bool
    error: str | None  # why the chain is not trusted, in the verifier's words
    intermediates_missing: bool


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def key_info(cert: x509.Certificate) -> tuple[str, int | None]:
    """(key type, size in bits): rsa, ec, ed25519, ed448, dsa or other."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "ed448", 456
    if isinstance(key, dsa.DSAPublicKey):
        return "dsa", key.key_size
    return "other", None


def signature_hash(cert: x509.Certificate) -> str:
    """The hash in the issuer's signature (sha256, sha1, md5); "intrinsic" for EdDSA."""
    try:
        algo = cert.signature_hash_algorithm
    except Exception:  # an algorithm cryptography does not know (rare, old)
        return cert.signature_algorithm_oid.dotted_string
    return "intrinsic" if algo is None else algo.name


def signature_algorithm(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid
    return getattr(oid, "_name", None) or oid.dotted_string


def _name(name: x509.Name) -> str:
    return name.rfc4514_string()


def common_name(cert: x509.Certificate) -> str | None:
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else None


def sans(cert: x509.Certificate) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [*ext.get_values_for_type(x509.DNSName), *(str(ip) for ip in ext.get_values_for_type(x509.IPAddress))]


def self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:
        return False
    return True


def cert_facts(cert: x509.Certificate, now: dt.datetime | None = None) -> dict[str, Any]:
    """The leaf's facts (tls.cert.*)."""
    now = now or _now()
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    key_type, key_bits = key_info(cert)
    return {
        "subject": _name(cert.subject),
        "common_name": common_name(cert),
        "sans": sans(cert),
        "issuer": _name(cert.issuer),
        "serial": format(cert.serial_number, "x"),
        "not_before": nb.isoformat(),
        "not_after": na.isoformat(),
        "days_remaining": (na - now).days if na > now else -((now - na).days + 1),
        "expired": now > na,
        "not_yet_valid": now < nb,
        "key_type": key_type,
        "key_bits": key_bits,
        "signature_algorithm": signature_algorithm(cert),
        "signature_hash": signature_hash(cert),
        "self_signed": self_signed(cert),
    }


def chain_facts(chain: tuple[x509.Certificate, ...]) -> list[dict[str, Any]]:
    """One entry per certificate as served (tls.chain[]), leaf first."""
    out = []
    for cert in chain:
        key_type, key_bits = key_info(cert)
        out.append({"subject": _name(cert.subject), "issuer": _name(cert.issuer),
                    "not_after": cert.not_valid_after_utc.isoformat(),
                    "key_type": key_type, "key_bits": key_bits,
                    "signature_hash": signature_hash(cert), "self_signed": self_signed(cert)})
    return out


# certifi still ships a root with a negative serial number; it is a root, not the scanned server's
# concern. A module-level filter, because catch_warnings() is not thread-safe and probes run in threads.
warnings.filterwarnings("ignore", message="Parsed a serial number which wasn't positive")


@lru_cache(maxsize=8)
def _load_store(path: str, mtime: float) -> tuple[Store, frozenset[bytes]]:
    with open(path, "rb") as fh:
        roots = x509.load_pem_x509_certificates(fh.read())
    return Store(roots), frozenset(r.subject.public_bytes() for r in roots)


def load_store(path: str) -> tuple[Store, frozenset[bytes]]:
    """The trust store from a PEM bundle, and the DER subjects of its roots (cached per file)."""
    return _load_store(path, os.stat(path).st_mtime)


def _subject_for(name: str) -> x509.verification.Subject:
    return IPAddress(ipaddress.ip_address(name.strip("[]"))) if is_ip(name) else DNSName(name)


def _verify(store: Store, when: dt.datetime, name: str, chain: tuple[x509.Certificate, ...]) -> str | None:
    try:
        verifier = PolicyBuilder().store(store).time(when).build_server_verifier(_subject_for(name))
        verifier.verify(chain[0], list(chain[1:]))
    except VerificationError as exc:
        return str(exc)
    except ValueError as exc:  # a name the verifier cannot express
        return str(exc)
    return None


def verify(chain: tuple[x509.Certificate, ...], host: str, bundle_path: str,
           now: dt.datetime | None = None) -> TrustVerdict:
    """Trust and the host-name match, judged apart so that each rule reads one cause.

    Validity dates belong to their own rules: the path is checked at the moment closest to now at
    which every served certificate is valid, so an expired certificate from a trusted CA is
    reported as expired, not as untrusted.
    """
    now = now or _now()
    leaf = chain[0]
    lo = max(c.not_valid_before_utc for c in chain)
    hi = min(c.not_valid_after_utc for c in chain)
    if lo > hi:  # served certificates were never valid together: judge at the leaf's own dates
        lo, hi = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    when = min(max(now, lo), hi)
    store, root_subjects = load_store(bundle_path)
    error = _verify(store, when, host, chain)
    if error is None:
        return TrustVerdict(True, True, None, False)
    names = sans(leaf)
    own = _own_name(names)
    alt_error = _verify(store, when, own, chain) if own else error
    if alt_error is None:
        # trusted for its own names, just not this one
        return TrustVerdict(True, False, None, False)
    top = chain[-1]
    missing = not self_signed(top) and top.issuer.public_bytes() not in root_subjects
    return TrustVerdict(False, name_matches(host, names), error, missing)


def _own_name(names: list[str]) -> str | None:
    """A name the leaf is valid for, as a verifier subject: a wildcard becomes a concrete label
    (`*.other.example` → `x.other.example`); IP addresses are used when they are all there is."""
    for name in names:
        if is_ip(name):
            continue
        if name.startswith("*."):
            return "x" + name[1:]
        if "*" not in name:
            return name
    return next((n for n in names if is_ip(n)), None)


def name_matches(host: str, names: list[str]) -> bool:
    """RFC 6125 §6.4 matching, for chains the verifier rejected: wildcards only as a whole left label."""
    host = host.strip("[]").rstrip(".").lower()
    if is_ip(host):
        want = ipaddress.ip_address(host)
        return any(is_ip(n) and ipaddress.ip_address(n) == want for n in names)
    labels = host.split(".")
    for name in names:
        if is_ip(name):
            continue
        pattern = name.rstrip(".").lower().split(".")
        if len(pattern) != len(labels):
            continue
        if pattern[0] == "*" and len(pattern) > 2 and pattern[1:] == labels[1:]:
            return True
        if pattern == labels:
            return True
    return False
