"""Targets that could not be reached at all: the name does not resolve, nothing listens, nothing answers.

Such a target is said once, first, in every report; its areas are "not scored" rather than F 0.0,
and the gate still fails on it unless errors are allowed. A target where any probe got an answer
(a broken certificate, a 500 page) was reached and is scored as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cyberaudit.result import Result, TargetResult

# Probes that talk to the target over the network, per target kind; the others (declared facts) do not
# say whether it can be reached.
NETWORK_PROBES: dict[str, frozenset[str]] = {
    "website": frozenset({"http", "privacy"}),
    "endpoint": frozenset({"tls"}),
    "mail_domain": frozenset({"email", "smtp"}),
}


@dataclass(frozen=True)
class Cause:
    code: str  # dns, dns_timeout, refused, timeout, no_route
    reason: str  # plain words: what happened
    advice: str  # what to do about it


# First match wins; the patterns are the network layer's and the OS's own words.
_CAUSES: tuple[tuple[re.Pattern[str], Cause], ...] = (
    (re.compile(r"no A or AAAA record|does not exist in DNS|NXDOMAIN|Name or service not known|"
                r"nodename nor servname|getaddrinfo failed|No address associated", re.I),
     Cause("dns", "the name does not resolve", "check the address in the profile or your connection")),
    (re.compile(r"cannot resolve|DNS (lookup|query).*(timed out|failed)|resolver", re.I),
     Cause("dns_timeout", "its name could not be looked up (the DNS server did not answer)",
           "check your connection and the resolver in use (--nameserver)")),
    (re.compile(r"Connection refused|actively refused", re.I),
     Cause("refused", "the connection was refused (nothing is listening there)",
           "check the address and port, and that the server is running")),
    (re.compile(r"No route to host|Network is unreachable|Host is unreachable", re.I),
     Cause("no_route", "there is no network route to it", "check your connection")),
    (re.compile(r"timed out|timeout|no response within|no (TLS )?answer|did not finish before the deadline|"
                r"did not answer", re.I),
     Cause("timeout", "it did not answer in time", "check the address, your connection and any firewall")),
)


@dataclass(frozen=True)
class Unreachable:
    """One target (with the endpoint that shares its host and port) that could not be reached."""

    target: str  # the target id as written in the profile (a website's URL, host:port, a domain)
    kind: str
    also: tuple[str, ...]  # other target ids folded into this one (a website's TLS endpoint)
    cause: str  # Cause.code
    reason: str
    advice: str
    detail: str  # the probe's own words

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.also)

    @property
    def sentence(self) -> str:
        """'Could not reach https://…: the name does not resolve — check the address or your connection.'"""
        what = "check the mail domain" if self.kind == "mail_domain" else "reach"
        return f"Could not {what} {self.target}: {self.reason} — {self.advice}."


def classify(error: str) -> Cause | None:
    """The reachability cause in a probe's error, or None when the target answered (TLS, HTTP errors)."""
    for pattern, cause in _CAUSES:
        if pattern.search(error):
            return cause
    return None


def _unreached(t: TargetResult) -> tuple[Cause, str] | None:
    network = NETWORK_PROBES.get(t.kind)
    if not network:
        return None
    runs = [p for p in t.probes if p.probe in network and p.status != "unavailable"]
    if not runs or any(p.status == "ok" for p in runs):
        return None
    causes = []
    for run in runs:  # a dependent probe (privacy needs http) repeats the other's reason
        error = run.error or run.status
        cause = classify(error) or (classify("timed out") if run.status == "timeout" else None)
        if cause is None:
            return None  # something answered: a certificate, a handshake, a page
        causes.append((cause, error))
    return causes[0]


def _host_port(target_id: str, kind: str) -> str | None:
    if kind == "endpoint":
        return target_id.lower()
    if kind == "website":
        m = re.match(r"^https://\[?([^/\]:]+)\]?(?::(\d+))?", target_id, re.I)
        if m:
            return f"{m.group(1).lower()}:{m.group(2) or 443}"
    return None


def find_unreachable(targets: Iterable[TargetResult]) -> list[Unreachable]:
    """Every target no network probe could reach, a website's endpoint folded into the website."""
    found: list[tuple[TargetResult, Cause, str]] = []
    for t in targets:
        hit = _unreached(t)
        if hit is not None:
            found.append((t, *hit))
    websites = {_host_port(t.id, t.kind): t.id for t, _, _ in found if t.kind == "website"}
    folded: dict[str, list[str]] = {}
    out_order: list[tuple[TargetResult, Cause, str]] = []
    for t, cause, detail in found:
        owner = websites.get(_host_port(t.id, t.kind)) if t.kind == "endpoint" else None
        if owner is not None:
            folded.setdefault(owner, []).append(t.id)
        else:
            out_order.append((t, cause, detail))
    return [Unreachable(t.id, t.kind, tuple(folded.get(t.id, ())), c.code, c.reason, c.advice, detail)
            for t, c, detail in out_order]


def unreachable_targets(result: Result) -> list[Unreachable]:
    """The targets of a Result that could not be reached at all (empty for a normal scan)."""
    return find_unreachable(result.targets)


def unreachable_ids(result: Result) -> frozenset[str]:
    """Ids of every target that could not be reached, folded endpoints included."""
    return frozenset(tid for u in unreachable_targets(result) for tid in u.targets)
