"""MX hosts of a mail domain, with the null MX of RFC 7505 recognised."""

from __future__ import annotations

from dataclasses import dataclass

from cyberaudit.dnsclient import DnsClient


@dataclass(frozen=True)
class MxHosts:
    hosts: tuple[tuple[int, str], ...]  # (preference, host) in preference order
    null: bool  # "0 ." : the domain accepts no mail (RFC 7505)


def read_mx(domain: str, dns: DnsClient) -> MxHosts | str:
    """The domain's MX hosts, or the lookup failure as a string."""
    answer = dns.query(domain, "MX")
    if answer.failed:
        return f"{domain} MX: {answer.error}"
    hosts: list[tuple[int, str]] = []
    for record in answer.records:
        pref, _, host = record.partition(" ")
        host = host.strip().rstrip(".").lower()
        hosts.append((int(pref) if pref.isdigit() else 0, host))
    hosts.sort()
    null = len(hosts) == 1 and hosts[0][1] == ""
    return MxHosts(() if null else tuple(hosts), null)
