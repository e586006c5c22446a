"""CAA (RFC 8659): the record set that applies to a name, found by climbing towards the root."""

from __future__ import annotations

from dataclasses import dataclass

from cyberaudit.dnsclient import DnsClient


@dataclass(frozen=True)
class CaaProperty:
    flags: int
    tag: str
    value: str


@dataclass(frozen=True)
class CaaResult:
    found_at: str | None  # the closest name with a CAA record set
    properties: tuple[CaaProperty, ...]

    @property
    def issuers(self) -> tuple[str, ...]:
        """Values of issue and issuewild properties; `;` alone means no CA may issue."""
        return tuple(p.value for p in self.properties if p.tag in ("issue", "issuewild"))


def parse_caa(text: str) -> CaaProperty | None:
    """'0 issue "letsencrypt.org"' → CaaProperty; None when the text is not a CAA record."""
    parts = text.split(None, 2)
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    value = parts[2]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return CaaProperty(int(parts[0]), parts[1].lower(), value.strip())


def find_caa(domain: str, dns: DnsClient) -> CaaResult | str:
    """Climb from `domain` to its top-level domain; the first CAA set found applies (RFC 8659 §3)."""
    labels = domain.rstrip(".").lower().split(".")
    for i in range(len(labels)):
        name = ".".join(labels[i:])
        answer = dns.query(name, "CAA")
        if answer.failed:
            return f"{name} CAA: {answer.error}"
        if answer.status == "ok" and answer.records:
            props = tuple(p for p in (parse_caa(r) for r in answer.records) if p is not None)
            return CaaResult(name, props)
    return CaaResult(None, ())
