"""The SPF record: terms, their syntax (RFC 7208 §4.6, §5, §6, §12) and parse_spf."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from cyberaudit.spf.macros import MacroSyntaxError, Token, check_domain_spec, parse_macro_string

MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
# Mechanisms and modifiers that cost one of the 10 DNS-mechanism lookups (§4.6.4).
LOOKUP_KINDS = frozenset({"include", "a", "mx", "ptr", "exists", "redirect"})
QUALIFIERS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}

_MODIFIER = re.compile(r"([A-Za-z][A-Za-z0-9_.\-]*)=(.*)", re.DOTALL)
_VERSION = re.compile(r"v=spf1(?: |\Z)", re.IGNORECASE)
_QNUM = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
_IP4 = re.compile(rf"{_QNUM}\.{_QNUM}\.{_QNUM}\.{_QNUM}")
_CIDR = re.compile(r"0|[1-9][0-9]*")


class SpfSyntaxError(ValueError):
    """A record that breaks the RFC 7208 grammar; `term` is the offending term, if one."""

    def __init__(self, message: str, term: str | None = None) -> None:
        self.message = message
        self.term = term
        super().__init__(f"{message} (in term {term!r})" if term is not None else message)


@dataclass(frozen=True)
class Term:
    """One mechanism (with its qualifier) or modifier of a record."""

    text: str
    kind: str  # a mechanism name, "redirect", "exp", or "modifier" for unknown modifiers
    qualifier: str = ""  # "+", "-", "~" or "?" for mechanisms; "" for modifiers
    domain_spec: str | None = None
    network: str | None = None  # ip4/ip6: "192.0.2.0/24"
    cidr4: int | None = None
    cidr6: int | None = None
    name: str | None = None  # modifier name
    value: str | None = None  # modifier value
    tokens: tuple[Token, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def is_mechanism(self) -> bool:
        return self.kind in MECHANISMS

    @property
    def lookup_cost(self) -> int:
        return 1 if self.kind in LOOKUP_KINDS else 0

    @property
    def result(self) -> str | None:
        """The result this mechanism gives when it matches."""
        return QUALIFIERS[self.qualifier] if self.is_mechanism else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.is_mechanism:
            out["qualifier"] = self.qualifier
        for key in ("domain_spec", "network", "cidr4", "cidr6", "name", "value"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class SpfRecord:
    """A parsed `v=spf1` record."""

    text: str
    terms: tuple[Term, ...]

    @property
    def mechanisms(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.is_mechanism)

    @property
    def redirect(self) -> Term | None:
        return next((t for t in self.terms if t.kind == "redirect"), None)

    @property
    def exp(self) -> Term | None:
        return next((t for t in self.terms if t.kind == "exp"), None)

    @property
    def all(self) -> Term | None:
        return next((t for t in self.terms if t.kind == "all"), None)

    @property
    def redirect_applies(self) -> bool:
        """redirect= is ignored when the record has an `all` mechanism (§6.1)."""
        return self.redirect is not None and self.all is None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "terms": [t.to_dict() for t in self.terms]}


def is_spf_record(text: str) -> bool:
    """Whether a TXT string is an SPF version 1 record (§4.5): `v=spf1` then a space or the end."""
    return _VERSION.match(text) is not None


def parse_spf(text: str) -> SpfRecord:
    """Parse a whole record; any syntax error anywhere raises SpfSyntaxError (§4.6)."""
    if not is_spf_record(text):
        raise SpfSyntaxError("the record does not start with 'v=spf1'")
    bad = next((ch for ch in text if not 0x20 <= ord(ch) <= 0x7E), None)
    if bad is not None:
        where = next((t for t in text.split(" ") if bad in t), None)
        kind = "non-ASCII" if ord(bad) > 0x7E else "control"
        raise SpfSyntaxError(f"{kind} character {bad!r} in the record", where)
    terms = tuple(parse_term(part) for part in text.split(" ")[1:] if part)
    for kind in ("redirect", "exp"):
        if sum(1 for t in terms if t.kind == kind) > 1:
            raise SpfSyntaxError(f"the {kind}= modifier appears more than once",
                                 next(t.text for t in terms if t.kind == kind))
    return SpfRecord(text, terms)


def parse_term(text: str) -> Term:
    """One term: a modifier `name=value` or a mechanism with an optional qualifier."""
    m = _MODIFIER.fullmatch(text)
    if m:
        return _parse_modifier(text, m.group(1), m.group(2))
    qualifier = "+"
    body = text
    if body[:1] in QUALIFIERS:
        qualifier, body = body[0], body[1:]
    split = re.match(r"([^:/]*)(.*)", body, re.DOTALL)
    assert split is not None
    name, rest = split.group(1).lower(), split.group(2)
    if name not in MECHANISMS:
        raise SpfSyntaxError(f"unknown mechanism {split.group(1)!r}", text)
    try:
        return _parse_mechanism(text, qualifier, name, rest)
    except MacroSyntaxError as exc:
        raise SpfSyntaxError(str(exc), text) from None


def _parse_modifier(text: str, name: str, value: str) -> Term:
    lower = name.lower()
    try:
        if lower in ("redirect", "exp"):
            return Term(text, lower, domain_spec=value, name=lower, value=value,
                        tokens=check_domain_spec(value))
        parse_macro_string(value, explanation=True)
    except MacroSyntaxError as exc:
        raise SpfSyntaxError(f"invalid {name}= value: {exc}", text) from None
    return Term(text, "modifier", name=name, value=value)


def _parse_mechanism(text: str, qualifier: str, name: str, rest: str) -> Term:
    if name == "all":
        if rest:
            raise SpfSyntaxError("'all' takes no argument", text)
        return Term(text, name, qualifier)
    if name in ("include", "exists"):
        if not rest.startswith(":"):
            raise SpfSyntaxError(f"'{name}' needs ':domain'", text)
        spec = rest[1:]
        return Term(text, name, qualifier, domain_spec=spec, tokens=check_domain_spec(spec))
    if name == "ptr":
        if not rest:
            return Term(text, name, qualifier)
        if not rest.startswith(":"):
            raise SpfSyntaxError("'ptr' takes no CIDR length", text)
        spec = rest[1:]
        return Term(text, name, qualifier, domain_spec=spec, tokens=check_domain_spec(spec))
    if name in ("a", "mx"):
        spec: str | None = None
        cidr_text = rest
        if rest.startswith(":"):
            m = re.fullmatch(r"(.*?)((?:/[0-9]+)?(?://[0-9]+)?)", rest[1:], re.DOTALL)
            assert m is not None
            spec, cidr_text = m.group(1), m.group(2)
        cidr4, cidr6 = _dual_cidr(cidr_text, text)
        tokens = check_domain_spec(spec) if spec is not None else None
        return Term(text, name, qualifier, domain_spec=spec, cidr4=cidr4, cidr6=cidr6, tokens=tokens)
    return _parse_ip(text, qualifier, name, rest)


def _dual_cidr(text: str, term: str) -> tuple[int | None, int | None]:
    m = re.fullmatch(r"(?:/([0-9]+))?(?://([0-9]+))?", text)
    if m is None:
        raise SpfSyntaxError(f"invalid CIDR length {text!r}", term)
    return (_cidr(m.group(1), 32, term) if m.group(1) is not None else None,
            _cidr(m.group(2), 128, term) if m.group(2) is not None else None)


def _cidr(digits: str, limit: int, term: str) -> int:
    if not _CIDR.fullmatch(digits) or int(digits) > limit:
        raise SpfSyntaxError(f"invalid CIDR length /{digits} (0 to {limit}, no leading zeros)", term)
    return int(digits)


def _parse_ip(text: str, qualifier: str, name: str, rest: str) -> Term:
    if not rest.startswith(":"):
        raise SpfSyntaxError(f"'{name}' needs ':address'", text)
    m = re.fullmatch(r"([^/]*)(?:/([^/]*))?", rest[1:])
    if m is None:
        raise SpfSyntaxError(f"invalid {name} network {rest[1:]!r}", text)
    addr_text, prefix_text = m.groups()
    limit = 32 if name == "ip4" else 128
    prefix = _cidr(prefix_text, limit, text) if prefix_text is not None else limit
    try:
        if name == "ip4":
            if not _IP4.fullmatch(addr_text):
                raise ValueError
            addr: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.IPv4Address(addr_text)
        else:
            if not re.fullmatch(r"[0-9A-Fa-f:.]+", addr_text):
                raise ValueError
            addr = ipaddress.IPv6Address(addr_text)
    except ValueError:
        raise SpfSyntaxError(f"invalid {name} address {addr_text!r}", text) from None
    network = ipaddress.ip_network(f"{addr}/{prefix}", strict=False)
    return Term(text, name, qualifier, network=str(network),
                cidr4=prefix if name == "ip4" else None, cidr6=prefix if name == "ip6" else None)
