"""The email probe: a mail domain's DNS policies (SPF, DMARC, DKIM, MTA-STS, TLS-RPT, CAA, DNSSEC).

Every lookup goes through ctx.network.dns, so a lookup that failed (timeout, SERVFAIL) is told apart
from a record that is absent: the first becomes an entry in ProbeOutput.errors (rules read `error`),
the second a real value (rules read `fail` or `pass`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from cyberaudit.dnsclient import DnsClient
from cyberaudit.errors import ProbeError
from cyberaudit.probes.base import ProbeContext, ProbeOutput
from cyberaudit.probes.email import caa, dkim, dmarc, mta_sts, tls_rpt
from cyberaudit.probes.email.facts import FACTS
from cyberaudit.probes.email.mx import MxHosts, read_mx
from cyberaudit.probes.email.section import Section
from cyberaudit.probes.email.spf_facts import spf_section
from cyberaudit.profile import MailDomain
from cyberaudit.targets import Target
from cyberaudit.urlsafe import safe_facts


def _mx_section(mx: MxHosts) -> Section:
    return Section({"present": bool(mx.hosts), "null": mx.null,
                    "hosts": [{"host": h, "preference": p} for p, h in mx.hosts]})


def _dnssec_section(domain: str, dns: DnsClient) -> Section:
    # The AD bit says the configured resolver validated the answer; it is only as good as that resolver.
    answer = dns.query(domain, "DNSKEY")
    if answer.failed:
        return Section({"authenticated": None}, {"email.dnssec": f"{domain} DNSKEY: {answer.error}"})
    return Section({"authenticated": answer.authenticated,
                    "resolvers": [f"{a}:{p}" for a, p in dns.nameservers] or ["system"]})


def _dmarc_section(domain: str, dns: DnsClient) -> Section:
    res = dmarc.lookup_dmarc(domain, dns)
    if res.error is not None:
        return Section({"present": None}, {"email.dmarc": res.error})
    rec = res.record
    dests = [{"uri": d.uri, "kind": d.kind, "domain": d.domain, "external": d.external,
              "authorized": d.authorized, "accepted": d.accepted, "problem": d.error}
             for d in res.destinations]
    facts: dict[str, Any] = {
        "present": rec is not None and rec.usable,
        "record_count": res.record_count,
        "record": rec.text if rec else None,
        "found_at": res.found_at,
        "inherited": res.inherited,
        "policy": rec.policy if rec else None,
        "subdomain_policy": rec.subdomain_policy if rec else None,
        "nonexistent_policy": rec.nonexistent_policy if rec else None,
        "effective_policy": res.effective_policy,
        "pct": rec.pct if rec else None,
        "testing": rec.testing if rec else None,
        "adkim": rec.adkim if rec else None,
        "aspf": rec.aspf if rec else None,
        "psd": rec.psd if rec else None,
        "rua": list(rec.rua) if rec else [],
        "ruf": list(rec.ruf) if rec else [],
        "rua_destinations": [d for d in dests if d["kind"] == "rua"],
        "ruf_destinations": [d for d in dests if d["kind"] == "ruf"],
        "problems": list(res.problems),
    }
    return Section(facts)


def _dkim_section(domain: str, selectors: list[str], dns: DnsClient) -> Section:
    res = dkim.lookup_dkim(domain, selectors, dns)
    keys = [{"selector": k.selector, "source": k.source, "status": k.status, "key_type": k.key_type,
             "key_bits": k.key_bits, "testing": k.testing, "problems": list(k.problems)} for k in res.keys]
    facts = {"selectors_checked": list(res.checked), "keys": keys}
    if res.failures:
        # An unanswered selector might hold a weak key or the only good one: nothing can be concluded.
        return Section(facts, {"email.dkim": "; ".join(f for _, f in res.failures[:3])})
    return Section(facts)


def _mta_sts_section(domain: str, mx: MxHosts, ctx: ProbeContext) -> Section:
    rec = mta_sts.read_sts_record(domain, ctx.network.dns)
    if isinstance(rec, str):
        return Section({"record_valid": None}, {"email.mta_sts": rec})
    facts: dict[str, Any] = {"records": list(rec.records), "record_present": bool(rec.records),
                             "record_valid": rec.valid, "id": rec.policy_id}
    problems = list(rec.problems)
    empty_policy = {"fetched": False, "url": mta_sts.policy_url(domain), "http_status": None,
                    "content_type": None, "redirected": False, "version": None, "mode": None,
                    "max_age": None, "mx": [], "valid": False, "problems": []}
    if not rec.records:
        facts.update(policy=empty_policy, mx_covered=None, uncovered_mx=[], problems=problems)
        return Section(facts)
    try:
        pol = mta_sts.fetch_policy(domain, ctx.network, ctx.deadline)
    except ProbeError as exc:
        facts.update(policy=empty_policy, mx_covered=None, uncovered_mx=[], problems=problems)
        reason = f"the policy could not be fetched: {exc}"
        return Section(facts, {"email.mta_sts.policy": reason, "email.mta_sts.mx_covered": reason})
    # Without an MX record mail goes to the domain's own address (RFC 5321 §5.1).
    hosts = [h for _, h in mx.hosts] if (mx.hosts or mx.null) else [domain]
    uncovered = mta_sts.uncovered_mx(hosts, pol.mx) if pol.mx else []
    problems += pol.problems
    problems += [f"MX host {h} is not covered by any mx pattern of the policy" for h in uncovered]
    facts.update(
        policy={"fetched": pol.http_status is not None, "url": pol.url, "http_status": pol.http_status,
                "content_type": pol.content_type, "redirected": pol.redirected, "version": pol.version,
                "mode": pol.mode, "max_age": pol.max_age, "mx": list(pol.mx), "valid": pol.valid,
                "problems": list(pol.problems)},
        mx_covered=(not uncovered) if pol.mx else None, uncovered_mx=uncovered, problems=problems)
    return Section(facts)


def _tls_rpt_section(domain: str, dns: DnsClient) -> Section:
    res = tls_rpt.read_tls_rpt(domain, dns)
    if isinstance(res, str):
        return Section({"present": None}, {"email.tls_rpt": res})
    return Section({"present": bool(res.records), "records": list(res.records), "valid": res.valid,
                    "rua": list(res.rua), "problems": list(res.problems)})


def _caa_section(domain: str, dns: DnsClient) -> Section:
    res = caa.find_caa(domain, dns)
    if isinstance(res, str):
        return Section({"present": None}, {"email.caa": res})
    return Section({"present": res.found_at is not None, "found_at": res.found_at,
                    "records": [{"flags": p.flags, "tag": p.tag, "value": p.value} for p in res.properties],
                    "issuers": list(res.issuers), "restricts_issuance": bool(res.issuers)})


class EmailProbe:
    name = "email"
    title = "Mail domain: SPF, DMARC, DKIM, MTA-STS, TLS-RPT, CAA and DNSSEC"
    scopes = frozenset({"mail_domain"})
    requires: tuple[str, ...] = ()
    redacts_urls = True  # its own output passes through safe_facts: the engine need not repeat it
    facts = FACTS

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        spec: MailDomain = target.spec
        domain = spec.domain.rstrip(".").lower()
        dns = ctx.network.dns
        mx = read_mx(domain, dns)
        if isinstance(mx, str):
            # The domain's own MX lookup is the first thing any sender asks: when the resolver cannot
            # answer it, every other record of the zone would only time out the same way.
            raise ProbeError(f"DNS for {domain} did not answer: {mx}")
        if dns.query(domain, "MX").status == "nxdomain":
            # Nothing can be checked on a name that does not exist; a typo must not read as 11 failures.
            raise ProbeError(f"{domain} does not exist in DNS (NXDOMAIN): check the spelling in the "
                             f"profile and the resolver in use (--nameserver)")
        jobs: dict[str, Callable[[], Section]] = {
            "spf": lambda: spf_section(domain, list(spec.senders), dns),
            "dmarc": lambda: _dmarc_section(domain, dns),
            "dkim": lambda: _dkim_section(domain, list(spec.dkim_selectors), dns),
            "mta_sts": lambda: _mta_sts_section(domain, mx, ctx),
            "tls_rpt": lambda: _tls_rpt_section(domain, dns),
            "caa": lambda: _caa_section(domain, dns),
            "dnssec": lambda: _dnssec_section(domain, dns),
        }
        out = ProbeOutput(facts={"domain": domain, "mx": _mx_section(mx).facts})
        pool = ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="email")
        try:
            futures = {name: pool.submit(job) for name, job in jobs.items()}
            wait(futures.values(), timeout=ctx.remaining())
            for name, fut in futures.items():
                if not fut.done():
                    out.facts[name] = {}
                    out.errors[f"email.{name}"] = "did not finish before the probe's deadline"
                    continue
                exc = fut.exception()
                if exc is not None and not isinstance(exc, ProbeError):
                    raise exc
                if exc is not None:
                    out.facts[name] = {}
                    out.errors[f"email.{name}"] = str(exc)
                    continue
                section = fut.result()
                out.facts[name] = section.facts
                out.errors.update(section.errors)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        # report addresses (rua=, TLS-RPT) and the MTA-STS policy URL without query values (urlsafe.py)
        out.facts, out.errors = safe_facts(out.facts), safe_facts(out.errors)
        return out


PROBE = EmailProbe()
