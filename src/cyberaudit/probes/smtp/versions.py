"""Which TLS versions an MX address accepts after STARTTLS, and the suite it picks at each.

The first connection offers TLS 1.0 to 1.3 and the server picks its newest: that version is
accepted and every newer one is not (a server always picks the newest version both sides have).
Each older version then gets its own connection (greeting, EHLO, STARTTLS, a handshake pinned to
that version, QUIT), all in parallel and bounded by the probe's deadline.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

from cyberaudit.errors import ProbeError
from cyberaudit.probes.base import ProbeContext
from cyberaudit.probes.smtp.dialogue import SmtpFailure
from cyberaudit.probes.smtp.session import Session
from cyberaudit.probes.tls.handshake import VERSION_LABELS as LABELS
from cyberaudit.probes.tls.suites import WEAK_CLASSES, classes_of_openssl

ORDER = ("tls1_0", "tls1_1", "tls1_2", "tls1_3")
_NEGOTIATED = {"TLSv1": "tls1_0", "TLSv1.1": "tls1_1", "TLSv1.2": "tls1_2", "TLSv1.3": "tls1_3"}


@dataclass(frozen=True)
class VersionResult:
    """One version's answer: accepted (True/False) or unknown (None, with the reason)."""

    protocol: str
    accepted: bool | None
    suite: str | None = None
    reason: str = ""
    commands: int = 0
    handshakes: int = 0
    connections: int = 0


def try_version(ctx: ProbeContext, mx: str, address: str, port: int, protocol: str) -> VersionResult:
    """One STARTTLS connection whose handshake offers exactly `protocol`."""
    session: Session | None = None
    try:
        with Session(ctx, address, port) as session:
            if not session.greet():
                return _unknown(session, protocol, "STARTTLS was not offered on this connection")
            shake = session.starttls(mx, protocol)
            if shake.accepted:
                session.quit()
                return VersionResult(protocol, True, shake.suite, commands=session.commands,
                                     handshakes=1, connections=1)
            if shake.failure in ("refused", "closed"):
                # the SMTP side answered up to STARTTLS on this very connection, so a close right
                # after our ClientHello is the server turning the version down, not a connection limit
                return VersionResult(protocol, False, reason=shake.reason, commands=session.commands,
                                     handshakes=1, connections=1)
            return _unknown(session, protocol, f"the handshake did not finish ({shake.reason})", 1)
    except (SmtpFailure, ProbeError) as exc:
        return _unknown(session, protocol, str(exc))


def _unknown(session: Session | None, protocol: str, reason: str, handshakes: int = 0) -> VersionResult:
    return VersionResult(protocol, None, reason=reason, commands=session.commands if session else 0,
                         handshakes=handshakes, connections=1 if session else 0)


def probe_versions(ctx: ProbeContext, mx: str, address: str, port: int, negotiated: str | None,
                   suite: str | None) -> dict[str, VersionResult]:
    """Every version's answer, given what the first connection negotiated."""
    best = _NEGOTIATED.get(negotiated or "")
    if best is None:
        return {p: VersionResult(p, None, reason=f"the first connection negotiated {negotiated}") for p in ORDER}
    at = ORDER.index(best)
    out = {best: VersionResult(best, True, suite)}
    out.update({p: VersionResult(p, False, reason=f"the server chose {LABELS[best]} when {LABELS[p]} was "
                                                  f"offered too") for p in ORDER[at + 1:]})
    older = ORDER[:at]
    if not older:
        return out
    pool = ThreadPoolExecutor(max_workers=len(older), thread_name_prefix="smtp-version")
    try:
        futures = {p: pool.submit(try_version, ctx, mx, address, port, p) for p in older}
        wait(futures.values(), timeout=max(0.0, ctx.deadline - time.monotonic()) + 1.0)
        for p, fut in futures.items():
            out[p] = fut.result() if fut.done() else VersionResult(
                p, None, reason="did not finish before the probe's deadline", connections=1)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return {p: out[p] for p in ORDER}


def cipher_facts(results: dict[str, VersionResult], first_suite: str | None) -> dict[str, object]:
    """Cipher classes of the suites picked at each accepted version (the tls probe's classes)."""
    suites = {p: r.suite for p, r in results.items() if r.accepted and r.suite}
    classes: set[str] = set()
    unknown = False
    weak: list[str] = []
    for p, name in suites.items():
        found = classes_of_openssl(name)
        if found is None:
            unknown = True
            continue
        classes |= found
        if found & set(WEAK_CLASSES):
            weak.append(f"{name} at {LABELS[p]}")
    first = classes_of_openssl(first_suite) if first_suite else None
    return {"suites": suites, "cipher_classes": None if unknown else sorted(classes), "weak_suites": weak,
            "forward_secrecy": None if first is None else "no_forward_secrecy" not in first}
