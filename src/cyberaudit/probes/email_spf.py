"""SPF facts of the email probe: the record tree from analyze_spf and check_host() per declared sender."""

from __future__ import annotations

from typing import Any

from cyberaudit.dnsclient import DnsClient
from cyberaudit.errors import InputError
from cyberaudit.probes.email_section import Section
from cyberaudit.spf import analyze_spf, check_host


def spf_section(domain: str, senders: list[str], dns: DnsClient) -> Section:
    """The SPF part of the fact tree; a lookup that failed makes it an error, never a fail."""
    analysis = analyze_spf(domain, dns)
    facts: dict[str, Any] = analysis.to_dict()
    del facts["domain"], facts["records_found"]  # record_count below says it in the pack's words
    facts.update(present=analysis.records_found > 0, record_count=analysis.records_found,
                 valid=analysis.status == "ok", senders=[])
    errors: dict[str, str] = {}
    if analysis.status == "temperror":
        errors["email.spf"] = "; ".join(analysis.errors[:3]) or "an SPF lookup failed"
    failed: list[str] = []
    for ip in senders:
        try:
            res = check_host(ip, domain, f"postmaster@{domain}", domain, dns)
        except InputError as exc:
            facts["senders"].append({"ip": ip, "result": "permerror", "explanation": str(exc)})
            continue
        explanation = res.problem or res.explanation
        if res.mechanism:
            explanation = f"{explanation} (decided by {res.mechanism}" + (
                f" in the record of {res.matched_in})" if res.matched_in else ")")
        facts["senders"].append({"ip": ip, "result": res.result, "explanation": explanation})
        if res.result == "temperror":
            failed.append(f"{ip}: {res.problem or res.explanation}")
    if failed:
        errors["email.spf.senders"] = "SPF check could not finish: " + "; ".join(failed[:3])
    return Section(facts, errors)
