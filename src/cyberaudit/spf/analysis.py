"""analyze_spf(): the static walk of a domain's SPF record tree, for the report.

Unlike check_host(), which stops at the first matching mechanism for one sender, the walk visits
every term of every included record, so that the lookup count is the worst case any receiver
may meet. Terms whose target depends on the sender (macros other than %{d}) are shown, not resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cyberaudit.dnsclient import DnsAnswer, DnsClient
from cyberaudit.spf.check import MAX_LOOKUPS, MAX_NAMES_PER_LOOKUP, MAX_VOID_LOOKUPS
from cyberaudit.spf.macros import Literal, Macro, Token, transform, truncate_domain
from cyberaudit.spf.names import ascii_domain, ptr_target, query_text, valid_dns_name
from cyberaudit.spf.record import SpfSyntaxError, Term, is_spf_record, parse_spf, parse_term

# Past this many lookups the walk stops following includes: the verdict cannot change.
_WALK_CAP = MAX_LOOKUPS * 3

ALL_MEANINGS = {
    "-": "-all: mail from any server not listed must be rejected",
    "~": "~all: mail from any server not listed should be treated as suspicious (soft fail)",
    "?": "?all: asserts nothing about servers not listed; the record protects nothing",
    "+": "+all: lets any server on the internet send mail as this domain",
    None: "no all mechanism: servers not listed get 'neutral'; the record asserts nothing about them",
}


def _several_meaning(records: list[str]) -> str:
    """What several records mean for servers not listed: nothing, whatever each one ends in."""
    ends = []
    for record in records:
        last = next((p for p in reversed(record.split()) if p.lstrip("+-~?").lower() == "all"), None)
        ends.append(("" if not last else last.lower() if last[0] in "+-~?" else "+" + last.lower()) or "no all")
    return (f"{len(records)} SPF records are published (ending in {', '.join(ends)}); receivers treat that as "
            f"an error (permerror) and apply none of them")


@dataclass(frozen=True)
class SpfNode:
    """One term of a record in the tree, with what its DNS lookups found."""

    text: str
    kind: str  # a mechanism, "redirect", "exp", "modifier", or "invalid" for a term with a syntax error
    qualifier: str | None  # "+", "-", "~", "?" for mechanisms
    domain: str | None  # the name it looks up (include, redirect, a, mx, ptr, exists)
    lookups: int  # DNS-mechanism lookups this term costs itself (0 or 1)
    running: int  # lookups counted so far in the whole tree, this term included, out of 10
    void: bool  # its lookup found no such name or no records
    error: str | None = None
    note: str | None = None
    record: str | None = None  # the SPF record found at an include or redirect target
    children: tuple[SpfNode, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "kind": self.kind, "qualifier": self.qualifier, "domain": self.domain,
            "lookups": self.lookups, "running": self.running, "void": self.void, "error": self.error,
            "note": self.note, "record": self.record, "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class SpfAnalysis:
    """The SPF policy of a domain as published: validity, lookup counts and the `all` default."""

    domain: str
    status: str  # "none", "ok", "permerror" or "temperror"
    record: str | None  # the single v=spf1 record, None if absent or if several were found
    records_found: int
    records: tuple[str, ...]
    terms: tuple[SpfNode, ...]
    lookups: int  # DNS-mechanism lookups in the whole tree
    void_lookups: int
    loops: tuple[str, ...]  # "a.example → b.example → a.example"
    all_qualifier: str | None  # of the record, or of its redirect target when it has none
    all_meaning: str
    syntax_ok: bool  # every record in the tree parses
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    lookup_limit: int = MAX_LOOKUPS
    void_lookup_limit: int = MAX_VOID_LOOKUPS

    @property
    def present(self) -> bool:
        """At least one v=spf1 record is published."""
        return self.records_found > 0

    @property
    def valid(self) -> bool:
        """One record, valid syntax throughout, within both lookup limits, no loop."""
        return self.status == "ok"

    @property
    def strict(self) -> bool:
        """Servers not listed get fail (-all) or softfail (~all)."""
        return self.all_qualifier in ("-", "~")

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain, "status": self.status, "present": self.present, "valid": self.valid,
            "strict": self.strict, "record": self.record,
            "records_found": self.records_found, "records": list(self.records),
            "terms": [t.to_dict() for t in self.terms], "lookups": self.lookups,
            "lookup_limit": self.lookup_limit, "void_lookups": self.void_lookups,
            "void_lookup_limit": self.void_lookup_limit, "loops": list(self.loops),
            "all_qualifier": self.all_qualifier, "all_meaning": self.all_meaning,
            "syntax_ok": self.syntax_ok, "errors": list(self.errors), "warnings": list(self.warnings),
        }


def analyze_spf(domain: str, dns: DnsClient) -> SpfAnalysis:
    """Walk `domain`'s SPF record and everything it includes or redirects to."""
    return _Walk(dns).run(ascii_domain(domain).rstrip("."))


class _Walk:
    def __init__(self, dns: DnsClient) -> None:
        self.dns = dns
        self.lookups = 0
        self.voids = 0
        self.loops: list[str] = []
        self.perm: list[str] = []
        self.temp: list[str] = []
        self.warnings: list[str] = []
        self.syntax_ok = True

    def run(self, domain: str) -> SpfAnalysis:
        def done(status: str, record: str | None, records: list[str], terms: tuple[SpfNode, ...] = (),
                 all_q: str | None = None) -> SpfAnalysis:
            meaning = ALL_MEANINGS[all_q] if len(records) < 2 else _several_meaning(records)
            return SpfAnalysis(
                domain=domain, status=status, record=record, records_found=len(records),
                records=tuple(records), terms=terms, lookups=self.lookups, void_lookups=self.voids,
                loops=tuple(self.loops), all_qualifier=all_q, all_meaning=meaning,
                syntax_ok=self.syntax_ok, errors=tuple(self.perm + self.temp),
                warnings=tuple(dict.fromkeys(self.warnings)))

        if not valid_dns_name(domain):
            self.perm.append(f"{domain!r} is not a valid domain name")
            return done("none", None, [])
        answer = self.query(domain, "TXT")
        if answer.failed:
            self.temp.append(f"TXT lookup of {domain} failed: {answer.error}")
            return done("temperror", None, [])
        records = [r for r in answer.records if is_spf_record(r)]
        if not records:
            return done("none", None, [])
        if len(records) > 1:
            self.perm.append(f"{domain} publishes {len(records)} SPF records; exactly one is allowed")
            return done("permerror", None, records)
        terms, all_q = self.walk(domain, records[0], (domain.lower(),))
        if self.lookups > MAX_LOOKUPS:
            self.perm.insert(0, f"{self.lookups} DNS-mechanism lookups; at most {MAX_LOOKUPS} are allowed")
        if self.voids > MAX_VOID_LOOKUPS:
            self.perm.insert(0, f"{self.voids} void lookups; at most {MAX_VOID_LOOKUPS} are allowed")
        status = "permerror" if self.perm else "temperror" if self.temp else "ok"
        return done(status, records[0], records, terms, all_q)

    def query(self, name: str, rdtype: str) -> DnsAnswer:
        return self.dns.query(query_text(name), rdtype)

    def walk(self, domain: str, text: str, stack: tuple[str, ...]) -> tuple[tuple[SpfNode, ...], str | None]:
        """The nodes of one record and its effective `all` qualifier."""
        try:
            record_terms: tuple[Term, ...] | None = parse_spf(text).terms
        except SpfSyntaxError as exc:
            self.syntax_ok = False
            self.perm.append(f"syntax error in the SPF record of {domain}: {exc}")
            record_terms = None
        parts = [p for p in text.split(" ")[1:] if p]
        has_all = any(p.lstrip("+-~?").lower() == "all" for p in parts)
        nodes: list[SpfNode] = []
        all_q: str | None = None
        for part in parts:
            try:
                term = parse_term(part)
            except SpfSyntaxError as exc:
                self.syntax_ok = False
                if record_terms is not None:  # parse_spf and parse_term agree; never leave it unsaid
                    self.perm.append(f"syntax error in the SPF record of {domain}: {exc}")
                nodes.append(SpfNode(part, "invalid", None, None, 0, self.lookups, False, error=exc.message))
                continue
            if term.kind == "all":
                all_q = term.qualifier
            node, child_all = self.visit(term, domain, stack, has_all)
            if term.kind == "redirect" and not has_all:
                all_q = child_all
            nodes.append(node)
        return tuple(nodes), all_q

    def visit(self, term: Term, domain: str, stack: tuple[str, ...], has_all: bool) -> tuple[SpfNode, str | None]:
        qualifier = term.qualifier or None
        if term.kind == "redirect" and has_all:
            return SpfNode(term.text, term.kind, None, None, 0, self.lookups, False,
                           note="ignored: a record with an 'all' mechanism never uses redirect="), None
        if term.lookup_cost == 0:
            note = None
            if term.kind == "exp":
                note = "explanation shown to senders whose mail fails"
            return SpfNode(term.text, term.kind, qualifier, None, 0, self.lookups, False, note=note), None
        self.lookups += 1
        running = self.lookups
        over = f"lookup {running}: past the limit of {MAX_LOOKUPS}, evaluation stops with permerror" \
            if running == MAX_LOOKUPS + 1 else None
        target = _static_target(term.tokens, domain) if term.tokens is not None else domain
        if target is None:
            return SpfNode(term.text, term.kind, qualifier, term.domain_spec, 1, running, False, over,
                           note="target depends on the sender; resolved only when checking a message"), None
        node = dict(text=term.text, kind=term.kind, qualifier=qualifier, domain=target, lookups=1,
                    running=running)
        if not valid_dns_name(target):
            return SpfNode(**node, void=True, error=over, note="not a valid domain name: never matches"), None
        if term.kind in ("include", "redirect"):
            return self.follow(term, target, stack, node, over)
        if term.kind == "ptr":
            self.warnings.append("the ptr mechanism is deprecated (RFC 7208 §5.5): list the sending "
                                 "addresses or use include instead")
            return SpfNode(**node, void=False, error=over,
                           note="deprecated; depends on the sender's reverse DNS"), None
        if term.kind == "mx":
            answer = self.query(target, "MX")
            void, error, note = self.void_or_error(answer, term, over)
            if answer.status == "ok":
                hosts = [ptr_target(r.split(None, 1)[1]) for r in answer.records if len(r.split()) == 2]
                hosts = [h for h in hosts if h]
                note = f"{len(hosts)} mail host(s): {', '.join(hosts)}" if hosts else "null MX: no mail hosts"
                if len(hosts) > MAX_NAMES_PER_LOOKUP:
                    error = f"{len(hosts)} MX hosts; at most {MAX_NAMES_PER_LOOKUP} may be looked up"
                    self.perm.append(f"{term.text!r} in the record of {domain}: {error}")
            return SpfNode(**node, void=void, error=error, note=note), None
        if term.kind == "a":
            answer = self.query(target, "A")
            if answer.status == "nodata":  # an IPv6-only host is not void
                aaaa = self.query(target, "AAAA")
                answer = aaaa if aaaa.status in ("ok", "error") else answer
            void, error, note = self.void_or_error(answer, term, over)
            return SpfNode(**node, void=void, error=error, note=note), None
        answer = self.query(target, "A")  # exists
        void, error, note = self.void_or_error(answer, term, over)
        return SpfNode(**node, void=void, error=error, note=note), None

    def void_or_error(self, answer: DnsAnswer, term: Term, over: str | None) -> tuple[bool, str | None, str | None]:
        if answer.failed:
            error = f"DNS lookup of {answer.name} {answer.rdtype} failed: {answer.error}"
            self.temp.append(f"{term.text!r}: {error}")
            return False, error, None
        if answer.absent:
            self.voids += 1
            what = "does not exist" if answer.status == "nxdomain" else "has no records of that type"
            return True, over, f"void lookup {self.voids}: {answer.name} {what}"
        return False, over, None

    def follow(self, term: Term, target: str, stack: tuple[str, ...], node: dict[str, Any],
               over: str | None) -> tuple[SpfNode, str | None]:
        if target.lower() in stack:
            loop = " → ".join((*stack, target.lower()))
            self.loops.append(loop)
            self.perm.append(f"{term.kind} loop: {loop}")
            return SpfNode(**node, void=False, error=f"loop: {loop}"), None
        if self.lookups > _WALK_CAP:
            return SpfNode(**node, void=False, error=over, note="not followed: far past the lookup limit"), None
        answer = self.query(target, "TXT")
        if answer.failed:
            error = f"TXT lookup of {target} failed: {answer.error}"
            self.temp.append(f"{term.text!r}: {error}")
            return SpfNode(**node, void=False, error=error), None
        records = [r for r in answer.records if is_spf_record(r)]
        void = answer.absent
        if void:
            self.voids += 1
        if len(records) != 1:
            problem = f"{target} has no SPF record" if not records else \
                f"{target} publishes {len(records)} SPF records"
            self.perm.append(f"{term.text!r}: {problem}")
            return SpfNode(**node, void=void, error=problem), None
        children, all_q = self.walk(target, records[0], (*stack, target.lower()))
        return SpfNode(**node, void=False, error=over, record=records[0], children=children), all_q


def _static_target(tokens: tuple[Token, ...], domain: str) -> str | None:
    """The target when it depends only on the domain itself (%{d}); None when on the sender."""
    out: list[str] = []
    for token in tokens:
        if isinstance(token, Literal):
            out.append(token.text)
        elif isinstance(token, Macro) and token.letter in "%_-":
            out.append({"%": "%", "_": " ", "-": "%20"}[token.letter])
        elif isinstance(token, Macro) and token.letter == "d":
            out.append(transform(token, domain))
        else:
            return None
    return truncate_domain("".join(out))
