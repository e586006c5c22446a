"""First party, declared processor or third party: decided on registrable domains (Public Suffix List).

`www.lakeside.example` and `intake.lakeside.example` are one party; `lakeside.github.io` and
`other.github.io` are two, because github.io is a public suffix. The list is the one bundled with
the publicsuffixlist package: nothing is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cyberaudit.domains import registrable_domain
from cyberaudit.platforms import Catalog, match_entry, processor_domains
from cyberaudit.profile import Platform

Party = Literal["first", "processor", "third"]


@dataclass(frozen=True)
class Parties:
    """Who is who for one website: its own registrable domains and the declared processors."""

    first: frozenset[str]
    processors: tuple[tuple[str, str], ...]  # (domain as declared, platform name)

    @classmethod
    def for_site(cls, site_hosts: list[str], platforms: list[Platform], catalog: Catalog | None = None) -> Parties:
        """`catalog` adds the known domains of platforms whose vendor signs a BAA (see processor_domains)."""
        first = frozenset(registrable_domain(h) for h in site_hosts if h)
        declared = tuple((d, p.name) for p in platforms
                         for d in processor_domains(p.domains, match_entry(catalog, p.name, p.catalog)
                                                    if catalog else None))
        return cls(first, declared)

    def processor_for(self, host: str) -> str | None:
        """The declared platform whose domain is `host` or a parent of it."""
        host = host.lower().rstrip(".")
        for domain, name in self.processors:
            if host == domain or host.endswith("." + domain):
                return name
        return None

    def classify(self, host: str) -> Party:
        if registrable_domain(host) in self.first:
            return "first"
        if self.processor_for(host) is not None:
            return "processor"
        return "third"
