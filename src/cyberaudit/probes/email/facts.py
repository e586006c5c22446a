"""Every fact the email probe publishes, documented for `cyberaudit facts` and pack validation."""

from __future__ import annotations

from cyberaudit.probes.base import FactSpec
from cyberaudit.spf.facts import analysis_fact_specs, result_fact_specs


def _specs(prefix: str, rows: list[tuple[str, str, str]]) -> tuple[FactSpec, ...]:
    return tuple(FactSpec(f"{prefix}.{path}" if path else prefix, kind, text) for path, kind, text in rows)


FACTS: tuple[FactSpec, ...] = (
    FactSpec("email.domain", "str", "The mail domain that was checked."),
    *_specs("email.mx", [
        ("present", "bool", "The domain publishes at least one MX host."),
        ("null", "bool", "The domain publishes a null MX (\"0 .\"): it receives no mail (RFC 7505)."),
        ("hosts", "list", "MX hosts in preference order."),
        ("hosts[].host", "str", "Host name of one MX record."),
        ("hosts[].preference", "int", "Its preference (lower is tried first)."),
    ]),
    *analysis_fact_specs("email.spf"),
    FactSpec("email.spf.senders", "list", "check_host() for each sending IP declared in the profile "
                                          "(sender postmaster@<domain>, HELO <domain>)."),
    *result_fact_specs("email.spf.senders[]"),
    *_specs("email.dmarc", [
        ("present", "bool", "A usable DMARC record applies to the domain (its own or its organizational domain's)."),
        ("record_count", "int", "v=DMARC1 records at the name consulted (more than one: receivers ignore them)."),
        ("record", "str?", "The DMARC record that applies."),
        ("found_at", "str?", "The _dmarc name the record was found at."),
        ("inherited", "bool", "The record comes from the organizational domain, not the domain itself."),
        ("policy", "str?", "p= as receivers read it (none, quarantine or reject)."),
        ("subdomain_policy", "str?", "sp= (defaults to p)."),
        ("nonexistent_policy", "str?", "np= for non-existent subdomains (DMARCbis; defaults to sp)."),
        ("effective_policy", "str?", "The policy for mail from this domain: sp when inherited, else p."),
        ("pct", "int?", "pct=: percentage of failing mail the policy applies to (default 100)."),
        ("testing", "bool?", "t=y (DMARCbis): the owner asks receivers to treat the policy as a test."),
        ("adkim", "str?", "DKIM alignment mode: r (relaxed) or s (strict)."),
        ("aspf", "str?", "SPF alignment mode: r (relaxed) or s (strict)."),
        ("psd", "str?", "psd= (DMARCbis): y for a public-suffix domain, n or u; null if absent."),
        ("rua", "list", "Aggregate report addresses (rua=)."),
        ("ruf", "list", "Failure report addresses (ruf=)."),
        ("rua_destinations", "list", "Each rua address with whether receivers will send reports there."),
        ("ruf_destinations", "list", "The same for ruf (failure report) addresses."),
        *((f"{kind}_destinations[].{name}", type_, text) for kind in ("rua", "ruf") for name, type_, text in [
            ("uri", "str", "The address as written."),
            ("kind", "str", "rua or ruf."),
            ("domain", "str?", "The address's domain."),
            ("external", "bool", "It lies outside the policy's organizational domain."),
            ("authorized", "bool?", "An external address published <domain>._report._dmarc.<dest>; "
                                    "null if that lookup failed."),
            ("accepted", "bool?", "Receivers will send reports there (internal, or external and authorised)."),
            ("problem", "str?", "Why reports will not arrive, if so."),
        ]),
        ("problems", "list", "Syntax mistakes and ignored values in the record."),
    ]),
    *_specs("email.dkim", [
        ("selectors_checked", "list", "Selectors asked: the profile's, then well-known ones."),
        ("keys", "list", "Each selector that publishes a DKIM key record."),
        ("keys[].selector", "str", "The selector (<selector>._domainkey.<domain>)."),
        ("keys[].source", "str", "profile or well_known."),
        ("keys[].status", "str", "key (usable), revoked (empty p=) or invalid."),
        ("keys[].key_type", "str?", "rsa or ed25519."),
        ("keys[].key_bits", "int?", "Key size in bits (RSA modulus; 256 for Ed25519)."),
        ("keys[].testing", "bool", "t=y: the domain is testing DKIM."),
        ("keys[].problems", "list", "Mistakes in the key record."),
    ]),
    *_specs("email.mta_sts", [
        ("record_present", "bool", "A v=STSv1 TXT record exists at _mta-sts.<domain>."),
        ("record_valid", "bool", "Exactly one valid v=STSv1 record with an id= of 1-32 letters and digits."),
        ("records", "list", "The v=STSv1 records found."),
        ("id", "str?", "The policy id."),
        ("policy.fetched", "bool", "The policy URL answered over valid HTTPS."),
        ("policy.url", "str", "https://mta-sts.<domain>/.well-known/mta-sts.txt"),
        ("policy.http_status", "int?", "HTTP status of the policy URL (redirects are not followed)."),
        ("policy.content_type", "str?", "Media type served (must be text/plain)."),
        ("policy.redirected", "bool", "The policy URL answered with a redirect, which senders must not follow."),
        ("policy.version", "str?", "version: (STSv1)."),
        ("policy.mode", "str?", "mode: enforce, testing or none."),
        ("policy.max_age", "int?", "max_age: in seconds (at most 31557600)."),
        ("policy.mx", "list", "mx: patterns of the policy."),
        ("policy.valid", "bool", "The policy was fetched and is valid."),
        ("policy.problems", "list", "Why senders would not apply the policy, if so."),
        ("mx_covered", "bool?", "Every MX host matches an mx pattern (a *. pattern covers exactly one label)."),
        ("uncovered_mx", "list", "MX hosts no pattern covers."),
        ("problems", "list", "Every MTA-STS problem found, record and policy."),
    ]),
    *_specs("email.tls_rpt", [
        ("present", "bool", "A v=TLSRPTv1 TXT record exists at _smtp._tls.<domain>."),
        ("valid", "bool", "Exactly one record, starting with v=TLSRPTv1, with only valid rua destinations."),
        ("records", "list", "The v=TLSRPTv1 records found."),
        ("rua", "list", "Report destinations (mailto: or https:)."),
        ("problems", "list", "Mistakes found."),
    ]),
    *_specs("email.caa", [
        ("present", "bool", "A CAA record set applies to the domain (found by climbing the name tree)."),
        ("found_at", "str?", "The name that holds it."),
        ("records", "list", "Its properties."),
        ("records[].flags", "int", "Flags (128: critical)."),
        ("records[].tag", "str", "issue, issuewild, iodef, ..."),
        ("records[].value", "str", "The property value."),
        ("issuers", "list", "Values of issue and issuewild properties (\";\" alone: no CA may issue)."),
        ("restricts_issuance", "bool", "At least one issue or issuewild property limits which CAs may issue."),
    ]),
    *_specs("email.dnssec", [
        ("authenticated", "bool", "The configured resolver set the AD bit: it validated the domain's DNSSEC "
                                  "signatures. Only as trustworthy as that resolver and the path to it."),
        ("resolvers", "list", "The resolvers asked."),
    ]),
)
