"""DMARC (RFC 7489, with the DMARCbis tags np, psd and t): discovery, parsing, report authorisation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from cyberaudit.dnsclient import DnsClient
from cyberaudit.probes.email.orgdomain import organizational_domain
from cyberaudit.probes.email.tags import parse_tags

POLICIES = ("none", "quarantine", "reject")
_VERSION = re.compile(r"^\s*v\s*=\s*DMARC1\s*(;|$)")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


@dataclass(frozen=True)
class DmarcRecord:
    """One parsed DMARC record; `policy` is what a receiver applies (p=none for a bad p with rua)."""

    text: str
    usable: bool
    policy: str | None
    subdomain_policy: str | None
    nonexistent_policy: str | None
    pct: int
    rua: tuple[str, ...]
    ruf: tuple[str, ...]
    adkim: str
    aspf: str
    fo: str
    psd: str | None
    testing: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ReportDestination:
    """A rua/ruf address; an address outside the organizational domain must authorise the reports."""

    kind: str  # rua or ruf
    uri: str
    domain: str | None
    external: bool
    authorized: bool | None  # None: the authorisation lookup failed
    error: str | None = None

    @property
    def accepted(self) -> bool | None:
        """Whether receivers will send reports there (RFC 7489 §7.1)."""
        if self.domain is None:
            return False
        return True if not self.external else self.authorized


@dataclass(frozen=True)
class DmarcResult:
    domain: str
    found_at: str | None  # the _dmarc name holding the record that applies
    policy_domain: str | None  # the domain that published it
    inherited: bool  # found at the organizational domain, not the domain itself
    record_count: int  # v=DMARC1 records at the name consulted last
    record: DmarcRecord | None
    destinations: tuple[ReportDestination, ...]
    problems: tuple[str, ...]
    error: str | None = None  # a lookup failed: nothing can be said

    @property
    def effective_policy(self) -> str | None:
        """The policy for mail from `domain`: sp applies when the record is inherited."""
        if self.record is None or not self.record.usable:
            return None
        if self.inherited:
            return self.record.subdomain_policy
        return self.record.policy


def _is_dmarc(text: str) -> bool:
    return bool(_VERSION.match(text))


def parse_dmarc(text: str) -> DmarcRecord:
    """Parse a record that starts with v=DMARC1; mistakes go to `problems`, never raise."""
    tags = parse_tags(text)
    problems = list(tags.problems)
    if tags.names[:1] != ("v",) or tags.get("v") != "DMARC1":
        problems.append("the record must start with v=DMARC1")

    def choice(name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
        value = tags.get(name)
        if value is None:
            return default
        if value.lower() in allowed:
            return value.lower()
        problems.append(f"{name}={value!r} is not one of {', '.join(allowed)}")
        return default

    rua = _uris(tags.get("rua"), "rua", problems)
    ruf = _uris(tags.get("ruf"), "ruf", problems)
    raw_p = tags.get("p")
    usable = True
    if raw_p is not None and raw_p.lower() in POLICIES:
        policy: str | None = raw_p.lower()
    elif rua:
        # RFC 7489 §6.6.3: a record with an invalid or missing p but a valid rua is read as p=none.
        policy = "none"
        problems.append(f"p={raw_p!r} is invalid; read as p=none because rua is valid"
                        if raw_p is not None else "p is missing; read as p=none because rua is valid")
    else:
        policy = None
        usable = False
        problems.append("p is missing or invalid and there is no valid rua: receivers ignore the record")
    sp = choice("sp", POLICIES, policy)
    np = choice("np", POLICIES, sp)
    pct = 100
    raw_pct = tags.get("pct")
    if raw_pct is not None:
        if raw_pct.isdigit() and 0 <= int(raw_pct) <= 100:
            pct = int(raw_pct)
        else:
            problems.append(f"pct={raw_pct!r} is not a whole number from 0 to 100")
    testing = choice("t", ("y", "n"), "n") == "y"
    return DmarcRecord(
        text=text, usable=usable, policy=policy, subdomain_policy=sp, nonexistent_policy=np, pct=pct,
        rua=rua, ruf=ruf, adkim=choice("adkim", ("r", "s"), "r") or "r",
        aspf=choice("aspf", ("r", "s"), "r") or "r", fo=tags.get("fo") or "0",
        psd=choice("psd", ("y", "n", "u"), None), testing=testing,
        problems=tuple(problems))


def _uris(value: str | None, name: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    out = []
    for item in value.split(","):
        item = item.strip()
        uri = item.split("!")[0]  # a size limit may follow: mailto:a@b.example!10m
        if _URI.match(uri):
            out.append(uri)
        elif item:
            problems.append(f"{name} entry {item[:80]!r} is not a URI such as mailto:dmarc@example.org")
    return tuple(out)


def lookup_dmarc(domain: str, dns: DnsClient) -> DmarcResult:
    """Find the DMARC record for `domain`, falling back to its organizational domain."""
    domain = domain.rstrip(".").lower()
    org = organizational_domain(domain)
    names = [domain] if org == domain else [domain, org]
    for i, name in enumerate(names):
        answer = dns.txt(f"_dmarc.{name}")
        if answer.failed:
            return DmarcResult(domain, None, None, False, 0, None, (), (),
                               error=f"_dmarc.{name} TXT: {answer.error}")
        records = [r for r in answer.records if _is_dmarc(r)]
        if len(records) > 1:
            return DmarcResult(domain, f"_dmarc.{name}", name, i > 0, len(records), None, (),
                               (f"_dmarc.{name} has {len(records)} DMARC records; receivers ignore them all",))
        if records:
            record = parse_dmarc(records[0])
            dests = _destinations(name, record, dns)
            return DmarcResult(domain, f"_dmarc.{name}", name, i > 0, 1, record, dests, record.problems)
    return DmarcResult(domain, None, None, False, 0, None, (), ())


def _destinations(policy_domain: str, record: DmarcRecord, dns: DnsClient) -> tuple[ReportDestination, ...]:
    org = organizational_domain(policy_domain)
    out = []
    for kind, uris in (("rua", record.rua), ("ruf", record.ruf)):
        for uri in uris:
            scheme, _, rest = uri.partition(":")
            address = unquote(rest.split("?")[0])
            if scheme.lower() != "mailto" or "@" not in address:
                out.append(ReportDestination(kind, uri, None, False, None, "only mailto: addresses receive reports"))
                continue
            dest = address.rsplit("@", 1)[1].rstrip(".").lower()
            if organizational_domain(dest) == org:
                out.append(ReportDestination(kind, uri, dest, False, True))
                continue
            name = f"{policy_domain}._report._dmarc.{dest}"
            answer = dns.txt(name)
            if answer.failed:
                out.append(ReportDestination(kind, uri, dest, True, None, f"{name} TXT: {answer.error}"))
            else:
                ok = any(_is_dmarc(r) for r in answer.records)
                out.append(ReportDestination(kind, uri, dest, True, ok,
                                             None if ok else f"{dest} has not published {name}"))
    return tuple(out)
