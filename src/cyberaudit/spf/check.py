"""check_host(): the RFC 7208 §4 evaluation of an SPF policy for one client IP and sender."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field
from typing import Any

from cyberaudit.dnsclient import DnsAnswer, DnsClient
from cyberaudit.errors import InputError
from cyberaudit.spf.macros import MacroSyntaxError, MacroValues, expand, parse_macro_string, truncate_domain
from cyberaudit.spf.names import (
    IPAddress,
    ascii_domain,
    client_address,
    domain_problem,
    dotted_ip,
    ptr_target,
    query_text,
    reverse_name,
    same_or_subdomain,
    valid_dns_name,
)
from cyberaudit.spf.record import SpfRecord, SpfSyntaxError, Term, is_spf_record, parse_spf

RESULTS = ("pass", "fail", "softfail", "neutral", "none", "permerror", "temperror")
MAX_LOOKUPS = 10  # DNS-mechanism lookups per check (§4.6.4)
MAX_VOID_LOOKUPS = 2
MAX_NAMES_PER_LOOKUP = 10  # MX hosts and PTR names examined per mechanism
DEFAULT_TIMEOUT = 20.0  # §4.6.4: at least 20 seconds before giving temperror


@dataclass(frozen=True)
class SpfResult:
    """The outcome of check_host() for one client IP, sender and HELO name."""

    result: str  # one of RESULTS
    explanation: str  # the domain's exp= text for a fail when it has one, else a plain description
    explanation_source: str  # "exp" (published by the domain) or "default"
    domain: str
    ip: str
    sender: str
    helo: str
    mechanism: str | None = None  # the term that decided, e.g. "-all" or "redirect=_spf.example.com"
    matched_in: str | None = None  # the domain whose record holds that term
    record: str | None = None  # the SPF record of `domain`
    lookups: int = 0  # DNS-mechanism lookups used, out of MAX_LOOKUPS
    void_lookups: int = 0
    problem: str | None = None  # why the result is permerror, temperror or none
    queries: tuple[str, ...] = field(default=(), repr=False)  # DNS questions asked, in order

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result, "explanation": self.explanation,
            "explanation_source": self.explanation_source, "domain": self.domain, "ip": self.ip,
            "sender": self.sender, "helo": self.helo, "mechanism": self.mechanism,
            "matched_in": self.matched_in, "record": self.record, "lookups": self.lookups,
            "lookup_limit": MAX_LOOKUPS, "void_lookups": self.void_lookups,
            "void_lookup_limit": MAX_VOID_LOOKUPS, "problem": self.problem,
            "queries": list(self.queries),
        }


class _Stop(Exception):
    """Ends the whole evaluation at once with permerror or temperror."""

    def __init__(self, result: str, message: str) -> None:
        super().__init__(message)
        self.result = result
        self.message = message


@dataclass(frozen=True)
class _Outcome:
    result: str
    domain: str
    record: SpfRecord | None = None
    term: Term | None = None
    reason: str = ""


def check_host(ip: str | IPAddress, domain: str, sender: str, helo: str, dns: DnsClient, *,
               receiver: str = "unknown",
               timeout: float = DEFAULT_TIMEOUT) -> SpfResult:
    """Evaluate `domain`'s SPF policy for mail from `sender` sent by `ip` (RFC 7208 §4).

    An empty sender means a null reverse-path: `postmaster@<helo>` is used (§4.3).
    Raises InputError for an IP that is not an address.
    """
    try:
        addr = client_address(ip)
    except ValueError:
        raise InputError(f"not an IP address: {ip!r}") from None
    helo = helo.strip()
    sender = sender.strip() or f"postmaster@{helo}"
    local, at, sender_domain = sender.rpartition("@")
    if not at:
        local, sender_domain = "postmaster", sender
    if not local:
        local = "postmaster"
    sender = f"{local}@{sender_domain}"
    domain = ascii_domain(domain or sender_domain)
    ev = _Evaluation(addr, sender, local, sender_domain, helo, dns, receiver, timeout)
    try:
        problem = domain_problem(domain)
        if problem is not None:  # §4.3: a malformed domain gives "none", not an error
            outcome = _Outcome("none", domain, reason=f"no SPF policy can apply: {problem} (RFC 7208 §4.3)")
        else:
            outcome = ev.check(domain, (domain.lower().rstrip("."),))
    except _Stop as stop:
        return ev.result(stop.result, domain, problem=stop.message, record=ev.top_record)
    if outcome.result == "none":
        return ev.result("none", domain, problem=outcome.reason, record=None)
    explanation, source = (ev.explain(outcome) if outcome.result == "fail" else (None, "default"))
    return ev.result(outcome.result, domain, outcome=outcome, explanation=explanation, source=source,
                     record=ev.top_record)


class _Evaluation:
    """State shared by one check_host() call and all its includes and redirects."""

    def __init__(self, addr: IPAddress, sender: str, local: str, sender_domain: str, helo: str,
                 dns: DnsClient, receiver: str, timeout: float) -> None:
        self.addr = addr
        self.sender = sender
        self.local = local
        self.sender_domain = sender_domain
        self.helo = helo
        self.dns = dns
        self.receiver = receiver
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.lookups = 0
        self.voids = 0
        self.queries: list[str] = []
        self.top_record: str | None = None
        self._validated: dict[str, str] = {}

    # -- DNS ----------------------------------------------------------------------------------

    def query(self, name: str, rdtype: str) -> DnsAnswer:
        if time.monotonic() > self.deadline:
            raise _Stop("temperror", f"the check took longer than {self.timeout:g}s")
        answer = self.dns.query(query_text(name), rdtype)
        self.queries.append(f"{name} {rdtype}: {answer.status}")
        return answer

    def must(self, answer: DnsAnswer) -> DnsAnswer:
        """An answer that must not have failed: a DNS error ends the check with temperror (§5)."""
        if answer.failed:
            raise _Stop("temperror", f"DNS lookup of {answer.name} {answer.rdtype} failed: {answer.error}")
        return answer

    def count_lookup(self, term: Term) -> None:
        self.lookups += 1
        if self.lookups > MAX_LOOKUPS:
            raise _Stop("permerror", f"more than {MAX_LOOKUPS} DNS-mechanism lookups (reached at {term.text!r})")

    def count_void(self, term: Term, name: str) -> None:
        self.voids += 1
        if self.voids > MAX_VOID_LOOKUPS:
            raise _Stop("permerror", f"more than {MAX_VOID_LOOKUPS} void lookups "
                                     f"({term.text!r}: {name} does not exist or has no records)")

    def addresses(self, name: str) -> tuple[DnsAnswer, list[IPAddress]]:
        rdtype = "A" if self.addr.version == 4 else "AAAA"
        answer = self.must(self.query(name, rdtype))
        out: list[IPAddress] = []
        for text in answer.records:
            try:
                out.append(ipaddress.ip_address(text))
            except ValueError:
                continue
        return answer, out

    # -- records ------------------------------------------------------------------------------

    def spf_records(self, domain: str) -> list[str] | None:
        """The v=spf1 records at `domain`, or None when the name does not exist or has no TXT."""
        answer = self.must(self.query(domain, "TXT"))
        if answer.absent:
            return None
        return [text for text in answer.records if is_spf_record(text)]

    def check(self, domain: str, stack: tuple[str, ...]) -> _Outcome:
        """check_host() for one domain; includes and redirects recurse with `stack` of domains."""
        records = self.spf_records(domain)
        if not records:
            why = "does not exist or has no TXT records" if records is None else "has no SPF record"
            return _Outcome("none", domain, reason=f"{domain} {why}")
        if len(records) > 1:
            raise _Stop("permerror", f"{domain} publishes {len(records)} SPF records; exactly one is allowed")
        if self.top_record is None:
            self.top_record = records[0]
        try:
            record = parse_spf(records[0])
        except SpfSyntaxError as exc:
            raise _Stop("permerror", f"syntax error in the SPF record of {domain}: {exc}") from None
        values = self.values(domain)
        for term in record.mechanisms:
            if self.matches(term, domain, values, stack):
                return _Outcome(term.result or "neutral", domain, record, term)
        redirect = record.redirect
        if redirect is not None and record.redirect_applies:
            self.count_lookup(redirect)
            target = self.target(redirect, values)
            if target.lower() in stack:
                raise _Stop("permerror", f"redirect loop: {' → '.join(stack)} → {target}")
            outcome = self.check(target, (*stack, target.lower())) if valid_dns_name(target) else \
                _Outcome("none", target, reason=f"{target!r} is not a valid domain name")
            if outcome.result == "none":
                raise _Stop("permerror", f"redirect={target}: {outcome.reason}")
            return outcome
        return _Outcome("neutral", domain, record, None, "no mechanism matched")

    def target(self, term: Term, values: MacroValues) -> str:
        assert term.tokens is not None
        return truncate_domain(expand(term.tokens, values))

    # -- mechanisms ---------------------------------------------------------------------------

    def matches(self, term: Term, domain: str, values: MacroValues, stack: tuple[str, ...]) -> bool:
        kind = term.kind
        if kind == "all":
            return True
        if kind in ("ip4", "ip6"):
            assert term.network is not None
            network = ipaddress.ip_network(term.network)
            return network.version == self.addr.version and self.addr in network
        self.count_lookup(term)
        target = self.target(term, values) if term.tokens is not None else domain
        if kind == "include":
            return self.include(term, target, stack)
        # A name that DNS cannot carry (an empty or over-long label, often from a macro) is
        # treated as one that does not exist: the mechanism does not match (§4.3, §4.8).
        if not valid_dns_name(target):
            return False
        if kind == "a":
            answer, found = self.addresses(target)
            if answer.absent:
                self.count_void(term, target)
            return self.any_in(found, term)
        if kind == "mx":
            return self.mx(term, target)
        if kind == "ptr":
            return any(same_or_subdomain(name, target) for name in self.validated_names(target))
        if kind == "exists":
            answer = self.must(self.query(target, "A"))
            if answer.absent:
                self.count_void(term, target)
            return bool(answer.records)
        raise AssertionError(kind)

    def any_in(self, found: list[IPAddress], term: Term) -> bool:
        prefix = (term.cidr4 if term.cidr4 is not None else 32) if self.addr.version == 4 else \
            (term.cidr6 if term.cidr6 is not None else 128)
        return any(a.version == self.addr.version
                   and self.addr in ipaddress.ip_network(f"{a}/{prefix}", strict=False) for a in found)

    def include(self, term: Term, target: str, stack: tuple[str, ...]) -> bool:
        if target.lower() in stack:
            raise _Stop("permerror", f"include loop: {' → '.join(stack)} → {target}")
        outcome = self.check(target, (*stack, target.lower())) if valid_dns_name(target) else \
            _Outcome("none", target, reason=f"{target!r} is not a valid domain name")
        if outcome.result == "none":
            raise _Stop("permerror", f"include:{target} — {outcome.reason}")
        return outcome.result == "pass"

    def mx(self, term: Term, target: str) -> bool:
        answer = self.must(self.query(target, "MX"))
        if answer.absent:
            self.count_void(term, target)
            return False
        hosts = [ptr_target(rec.split(None, 1)[1]) for rec in answer.records if len(rec.split()) == 2]
        if len(hosts) > MAX_NAMES_PER_LOOKUP:
            raise _Stop("permerror", f"{term.text!r}: {target} has {len(hosts)} MX hosts; "
                                     f"at most {MAX_NAMES_PER_LOOKUP} may be looked up")
        for host in hosts:
            if not host or not valid_dns_name(host):  # null MX ("0 .") names no host
                continue
            _, found = self.addresses(host)
            if self.any_in(found, term):
                return True
        return False

    def ptr_names(self) -> list[str]:
        """The first 10 PTR names of the client IP; a failed lookup gives none (§5.5)."""
        answer = self.query(reverse_name(self.addr), "PTR")
        if answer.status != "ok":
            return []
        return [ptr_target(text) for text in answer.records][:MAX_NAMES_PER_LOOKUP]

    def validated_names(self, wanted: str | None = None) -> list[str]:
        """PTR names whose own addresses include the client IP; a failed A lookup skips the name."""
        out = []
        for name in self.ptr_names():
            if wanted is not None and not same_or_subdomain(name, wanted):
                continue
            if not valid_dns_name(name):
                continue
            rdtype = "A" if self.addr.version == 4 else "AAAA"
            answer = self.query(name, rdtype)
            if answer.status == "ok" and any(_same_ip(text, self.addr) for text in answer.records):
                out.append(name)
        return out

    def validated_name(self, domain: str) -> str:
        """The `p` macro: the domain itself, else a subdomain of it, else any validated name."""
        if domain not in self._validated:
            names = self.validated_names()
            best = next((n for n in names if n.lower().rstrip(".") == domain.lower()), None) \
                or next((n for n in names if same_or_subdomain(n, domain)), None) \
                or (names[0] if names else "unknown")
            self._validated[domain] = best
        return self._validated[domain]

    def values(self, domain: str) -> MacroValues:
        return MacroValues(
            sender=self.sender, local_part=self.local, sender_domain=self.sender_domain,
            domain=domain, ip_dotted=dotted_ip(self.addr), ip_readable=str(self.addr),
            ip_version="in-addr" if self.addr.version == 4 else "ip6", helo=self.helo,
            receiver=self.receiver, timestamp=int(time.time()),
            validated_name=lambda: self.validated_name(domain),
        )

    # -- results ------------------------------------------------------------------------------

    def explain(self, outcome: _Outcome) -> tuple[str | None, str]:
        """The exp= text of the record that gave `fail`; any problem falls back to the default (§6.2)."""
        exp = outcome.record.exp if outcome.record else None
        if exp is None:
            return None, "default"
        values = self.values(outcome.domain)
        try:
            target = self.target(exp, values)
            if not valid_dns_name(target):
                return None, "default"
            answer = self.dns.query(query_text(target), "TXT")
            self.queries.append(f"{target} TXT: {answer.status}")
            if answer.status != "ok" or len(answer.records) != 1:
                return None, "default"
            text = answer.records[0]
            if not text.isascii():
                return None, "default"
            return expand(parse_macro_string(text, explanation=True), values), "exp"
        except (_Stop, MacroSyntaxError):
            return None, "default"

    def result(self, result: str, domain: str, *, outcome: _Outcome | None = None,
               problem: str | None = None, explanation: str | None = None, source: str = "default",
               record: str | None = None) -> SpfResult:
        term = outcome.term if outcome else None
        mechanism = term.text if term else None
        text = explanation if explanation is not None else self.describe(result, domain, outcome, problem)
        return SpfResult(
            result=result, explanation=text, explanation_source=source, domain=domain,
            ip=str(self.addr), sender=self.sender, helo=self.helo, mechanism=mechanism,
            matched_in=outcome.domain if outcome and term else None, record=record,
            lookups=self.lookups, void_lookups=self.voids, problem=problem or (
                outcome.reason if outcome and outcome.reason and result == "none" else None),
            queries=tuple(self.queries),
        )

    def describe(self, result: str, domain: str, outcome: _Outcome | None, problem: str | None) -> str:
        ip = str(self.addr)
        where = ""
        if outcome is not None and outcome.term is not None:
            where = f" (matched {outcome.term.text!r} in the record of {outcome.domain})"
        if result == "pass":
            return f"{domain} authorises {ip} to send mail for {self.sender}{where}"
        if result == "fail":
            return f"{domain} does not authorise {ip} to send mail for {self.sender}{where}"
        if result == "softfail":
            return f"{domain} says {ip} is probably not authorised to send its mail{where}"
        if result == "neutral":
            detail = where or " (no mechanism matched and the record has no default)"
            return f"{domain} makes no statement about {ip}{detail}"
        if result == "none":
            reason = problem or (outcome.reason if outcome else "")
            if domain_problem(domain) is not None:
                return reason
            return f"{domain} publishes no SPF policy: {reason}"
        if result == "permerror":
            return f"the SPF policy of {domain} is broken: {problem}"
        return f"the SPF policy of {domain} could not be checked now: {problem}"


def _same_ip(text: str, addr: IPAddress) -> bool:
    try:
        return ipaddress.ip_address(text) == addr
    except ValueError:
        return False
