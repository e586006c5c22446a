"""SPF facts of the email probe: the record tree from analyze_spf and check_host() per declared sender."""

from __future__ import annotations

from typing import Any

from cyberaudit.dnsclient import DnsClient
from cyberaudit.probes.email.section import Section
from cyberaudit.spf import analyze_spf, check_host


def spf_section(domain: str, senders: list[str], dns: DnsClient) -> Section:
    """The SPF part of the fact tree; a lookup that failed makes it an error, never a fail."""
    analysis = analyze_spf(domain, dns)
    facts: dict[str, Any] = analysis.to_dict()
    errors: dict[str, str] = {}
    if analysis.status == "temperror":
        errors["email.spf"] = "; ".join(analysis.errors[:3]) or "an SPF lookup failed"
    # The profile validated every sender as an IP address, so check_host() has no input to refuse.
    results = [check_host(ip, domain, f"postmaster@{domain}", domain, dns) for ip in senders]
    facts["senders"] = [r.to_dict() for r in results]
    failed = [f"{r.ip}: {r.problem or r.explanation}" for r in results if r.result == "temperror"]
    if failed:
        errors["email.spf.senders"] = "SPF check could not finish: " + "; ".join(failed[:3])
    return Section(facts, errors)
