"""The smtp probe: connect to every address of every MX, read the banner, EHLO, STARTTLS, inspect
the TLS connection the way a sending server sees it, then QUIT. It never sends MAIL FROM.

Budget per MX address: a first connection (EHLO, STARTTLS, QUIT; one handshake at any version,
which reads the certificate), then one connection per TLS version older than the one it negotiated
(EHLO, STARTTLS, QUIT, one handshake pinned to that version), in parallel. So 4 connections, 4
handshakes and 12 commands for a TLS 1.3 server, 1 and 1 and 3 for a TLS 1.0-only one, 1, 0 and 2
without STARTTLS. At most 4 MX x 2 addresses, checked in parallel, all bounded by the deadline.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from cyberaudit.dnsclient import DnsAnswer, DnsClient
from cyberaudit.errors import ProbeError
from cyberaudit.network import Network, is_ip
from cyberaudit.probes.base import ProbeContext, ProbeOutput
from cyberaudit.probes.smtp import dane, versions
from cyberaudit.probes.smtp.dialogue import SmtpFailure
from cyberaudit.probes.smtp.facts import FACTS
from cyberaudit.probes.smtp.providers import provider_of
from cyberaudit.probes.smtp.session import Session
from cyberaudit.probes.tls import chain as chainmod
from cyberaudit.targets import Target

PORT = 25
MAX_MX = 4
MAX_ADDRESSES = 2
_MODERN = ("TLSv1.2", "TLSv1.3")


def _read_mx(domain: str, dns: DnsClient) -> tuple[list[tuple[int, str]], bool, DnsAnswer]:
    answer = dns.query(domain, "MX")
    if answer.failed:
        raise ProbeError(f"DNS for {domain} did not answer: {domain} MX: {answer.error}")
    if answer.status == "nxdomain":
        raise ProbeError(f"{domain} does not exist in DNS (NXDOMAIN)")
    hosts: list[tuple[int, str]] = []
    for record in answer.records:
        pref, _, host = record.partition(" ")
        hosts.append((int(pref) if pref.isdigit() else 0, host.strip().rstrip(".").lower()))
    hosts.sort()
    null = len(hosts) == 1 and hosts[0][1] == ""
    return ([] if null else hosts), null, answer


def _addresses(network: Network, host: str) -> list[tuple[str, int]] | str:
    """Where to connect for host:25: the user's override if any, else every A and AAAA (bounded)."""
    key = (host, PORT)
    overridden = (key in network.settings.connect_to or key in network.settings.resolve
                  or key in getattr(network, "_extra_resolve", {}))
    if overridden or is_ip(host):
        return [network.address_for(host, PORT)]
    found: list[tuple[str, int]] = []
    errors = []
    for rdtype in ("A", "AAAA"):
        answer = network.dns.query(host, rdtype)
        if answer.failed:
            errors.append(f"{host} {rdtype}: {answer.error}")
        found += [(a, PORT) for a in answer.records]
    if not found:
        return "; ".join(errors) or f"{host} has no A or AAAA record"
    return found[:MAX_ADDRESSES]


def _server(ctx: ProbeContext, mx: str, pref: int, address: str, port: int) -> dict[str, Any]:
    out = _blank(mx, pref, address, port)
    start = time.monotonic()
    try:
        _dialogue(ctx, mx, address, port, out)
    except SmtpFailure as exc:
        out["reason"] = str(exc)
    except ProbeError as exc:
        out["reason"] = str(exc)
        if ":" in address and "unreachable" in str(exc).lower():
            out["reason"] = f"{exc} (this computer may have no IPv6 route)"
    out["elapsed_ms"] = int((time.monotonic() - start) * 1000)
    return out


def _dialogue(ctx: ProbeContext, mx: str, address: str, port: int, out: dict[str, Any]) -> None:
    with Session(ctx, address, port) as session:
        out["connections"] = 1
        try:
            offered = session.greet()
            out["starttls_offered"] = offered
            if not offered:
                out["status"] = "no_starttls"
                session.quit()
                return
            out["handshakes"] = 1
            shake = session.starttls(mx)
            if not shake.accepted:
                raise SmtpFailure(f"the server offers STARTTLS but the TLS handshake failed ({shake.failure}: "
                                  f"{shake.reason})")
            if not shake.chain:
                raise SmtpFailure("the server completed TLS without sending a certificate")
            out["status"] = "tls"
            out["tls_version"] = shake.version
            out["tls_suite"] = shake.suite
            out["_chain"] = shake.chain
            verdict = chainmod.verify(shake.chain, mx, ctx.network.ca_bundle_path())
            cert = chainmod.cert_facts(shake.chain[0])
            out.update(cert=cert, trusted=verdict.trusted, trust_error=verdict.error,
                       hostname_match=verdict.hostname_match, expired=cert["expired"],
                       days_remaining=cert["days_remaining"])
            session.quit()
        finally:
            if session.banner is not None:
                out["banner"] = session.banner.text[:200]
            out["commands"] = session.commands
    _versions(ctx, mx, address, port, out)


def _versions(ctx: ProbeContext, mx: str, address: str, port: int, out: dict[str, Any]) -> None:
    """The older TLS versions, each on its own STARTTLS connection, once the first one is closed."""
    results = versions.probe_versions(ctx, mx, address, port, out["tls_version"], out["tls_suite"])
    out["protocols"] = {p: r.accepted for p, r in results.items()}
    out["legacy_accepted"] = [versions.LABELS[p] for p in ("tls1_0", "tls1_1") if results[p].accepted]
    out["version_errors"] = [f"{versions.LABELS[p]}: {r.reason}" for p, r in results.items() if r.accepted is None]
    out.update(versions.cipher_facts(results, out["tls_suite"]))
    for r in results.values():
        out["commands"] += r.commands
        out["handshakes"] += r.handshakes
        out["connections"] += r.connections


def _cert_ok(s: dict[str, Any]) -> bool:
    return bool(s["trusted"] and s["hostname_match"] and not s["expired"] and not s["cert"].get("not_yet_valid"))


def _label(s: dict[str, Any]) -> str:
    return f"{s['mx']} ({s['address']})" if s["address"] else s["mx"]


def _sts_match(host: str, pattern: str) -> bool:
    """RFC 8461 §4.1: a pattern is a host name, or `*.` and a name, the wildcard standing for one label."""
    host, pattern = host.rstrip(".").lower(), pattern.rstrip(".").lower()
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return host == pattern


class SmtpProbe:
    name = "smtp"
    title = "Mail servers (MX): STARTTLS, TLS version, certificate and DANE"
    scopes = frozenset({"mail_domain"})
    requires: tuple[str, ...] = ("email",)  # the MTA-STS policy the email probe fetched
    facts = FACTS

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        domain = target.spec.domain.rstrip(".").lower()
        dns = ctx.network.dns
        hosts, null, mx_answer = _read_mx(domain, dns)
        implicit = not hosts and not null
        if implicit:
            hosts = [(0, domain)]
        hosts = hosts[:MAX_MX]
        out = ProbeOutput(facts={"domain": domain, "null_mx": null, "implicit_mx": implicit,
                                 "mx": [h for _, h in hosts],
                                 "providers": sorted({p for _, h in hosts if (p := provider_of(h))})})
        servers = self._servers(ctx, hosts) if not null else []
        self._dane(servers, hosts, dns, mx_answer, out)
        tls = [s for s in servers if s["status"] == "tls"]
        unknown = [s for s in servers if s["status"] == "error"]
        for s in servers:
            s.pop("_chain", None)
        out.facts.update(servers=servers, tls_servers=tls,
                         handshakes=sum(s["handshakes"] for s in servers),
                         commands=sum(s["commands"] for s in servers),
                         connections=sum(s["connections"] for s in servers))
        why = "; ".join(f"{_label(s)}: {s['reason']}" for s in unknown[:4])
        missing = [_label(s) for s in servers if s["status"] == "no_starttls"]
        out.facts["starttls"] = {"ok": not missing and not unknown, "missing": missing}
        if unknown and not missing:
            out.errors["smtp.starttls"] = why
        legacy = [f"{_label(s)}: {s['tls_version']}" for s in tls if s["tls_version"] not in _MODERN]
        old = [f"{_label(s)}: {', '.join(s['legacy_accepted'])}" for s in tls if s["legacy_accepted"]]
        untold = [f"{_label(s)}: {e}" for s in tls for e in s["version_errors"]]
        out.facts["tls_versions"] = {"ok": not legacy, "legacy": legacy, "old_accepted": old, "unknown": untold}
        if unknown and not legacy:
            out.errors["smtp.tls_versions"] = why
        elif untold and not old:
            out.errors["smtp.tls_versions.old_accepted"] = "; ".join(untold[:4])
        self._ciphers(tls, why if unknown else "", out)
        if unknown and all(_cert_ok(s) for s in tls):
            out.errors["smtp.tls_servers"] = why
        self._mta_sts(ctx, hosts, servers, why, out)
        return out

    @staticmethod
    def _ciphers(tls: list[dict[str, Any]], why: str, out: ProbeOutput) -> None:
        weak = [f"{_label(s)}: {w}" for s in tls for w in s["weak_suites"]]
        no_fs = [f"{_label(s)}: {s['tls_suite']}" for s in tls if s["forward_secrecy"] is False]
        out.facts["ciphers"] = {"ok": not weak and not no_fs, "weak": weak, "without_forward_secrecy": no_fs}
        unclassified = [f"{_label(s)}: {s['suites']}" for s in tls
                        if s["cipher_classes"] is None or s["forward_secrecy"] is None]
        if (why or unclassified) and not weak and not no_fs:
            out.errors["smtp.ciphers"] = why or ("a negotiated cipher suite is unknown to the linked OpenSSL: "
                                                 + "; ".join(unclassified[:3]))

    @staticmethod
    def _servers(ctx: ProbeContext, hosts: list[tuple[int, str]]) -> list[dict[str, Any]]:
        jobs: list[tuple[str, int, str, int] | dict[str, Any]] = []
        for pref, host in hosts:
            addrs = _addresses(ctx.network, host)
            if isinstance(addrs, str):
                jobs.append({**_blank(host, pref, None, PORT),
                             "reason": f"the MX name does not resolve: {addrs}"})
            else:
                jobs += [(host, pref, a, p) for a, p in addrs]
        live = [j for j in jobs if isinstance(j, tuple)]
        results: dict[int, dict[str, Any]] = {}
        pool = ThreadPoolExecutor(max_workers=max(1, min(4, len(live))), thread_name_prefix="smtp")
        try:
            futures = {i: pool.submit(_server, ctx, *j) for i, j in enumerate(jobs) if isinstance(j, tuple)}
            wait(futures.values(), timeout=ctx.remaining() + 1.0)
            for i, fut in futures.items():
                if fut.done():
                    results[i] = fut.result()
                else:
                    host, pref, a, p = jobs[i]  # type: ignore[misc]
                    results[i] = {**_blank(host, pref, a, p),
                                  "reason": "did not finish before the probe's deadline"}
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return [results.get(i, j) for i, j in enumerate(jobs)]  # type: ignore[misc,arg-type]

    @staticmethod
    def _dane(servers: list[dict[str, Any]], hosts: list[tuple[int, str]], dns: DnsClient,
              mx_answer: DnsAnswer, out: ProbeOutput) -> None:
        records: list[str] = []
        problems: list[str] = []
        present = False
        failed: list[str] = []
        mismatch = False
        for _, host in hosts:
            answer = dns.query(f"_25._tcp.{host}", "TLSA")
            if answer.failed:
                failed.append(f"_25._tcp.{host} TLSA: {answer.error}")
                continue
            parsed = [t for r in answer.records if (t := dane.parse(r)) is not None]
            if not parsed:
                continue
            if not answer.authenticated:
                problems.append(f"{host}: TLSA records ignored, the answer is not DNSSEC-validated "
                                f"(senders ignore unsigned TLSA)")
                continue
            if not mx_answer.authenticated and host != out.facts["domain"]:
                problems.append(f"{host}: TLSA records ignored, the domain's MX answer is not "
                                f"DNSSEC-validated (RFC 7672 §2.2.1)")
                continue
            usable = [t for t in parsed if t.usable]
            problems += [f"{host}: TLSA {t.text()} has a usage senders do not apply to SMTP"
                         for t in parsed if not t.usable]
            if not usable:
                continue
            present = True
            records += [f"{host}: {t.text()}" for t in usable]
            for s in (s for s in servers if s["mx"] == host):
                if s["status"] != "tls":
                    continue
                ok = any(dane.matches(t, s["_chain"], host) for t in usable)
                s["dane"] = "match" if ok else "mismatch"
                if not ok:
                    mismatch = True
                    problems.append(f"{_label(s)}: no TLSA record matches the certificate chain it serves, "
                                    f"so DANE senders will not deliver to it")
            if any(s["mx"] == host and s["status"] == "no_starttls" for s in servers):
                mismatch = True
                problems.append(f"{host}: TLSA records are published but the server offers no STARTTLS")
        out.facts["dane"] = {"present": present, "ok": present and not mismatch,
                             "records": records, "problems": problems}
        unknown = [s for s in servers if s["status"] == "error" and any(
            r.startswith(f"{s['mx']}:") for r in records)]
        if failed and not present:
            out.errors["smtp.dane"] = "; ".join(failed[:3])
        elif present and not mismatch and (unknown or failed):
            out.errors["smtp.dane.ok"] = "; ".join(
                [f"{_label(s)}: {s['reason']}" for s in unknown[:3]] + failed[:3])

    @staticmethod
    def _mta_sts(ctx: ProbeContext, hosts: list[tuple[int, str]], servers: list[dict[str, Any]],
                 why: str, out: ProbeOutput) -> None:
        email = ctx.deps.get("email")
        section: dict[str, Any] = {"mode": None, "enforced": False, "patterns": [], "ok": False, "problems": []}
        out.facts["mta_sts"] = section
        if email is None:
            out.errors["smtp.mta_sts"] = "the email probe's MTA-STS facts are not available"
            return
        sts_errors = [v for k, v in email.errors.items() if k.startswith("email.mta_sts")]
        policy = (email.facts.get("mta_sts") or {}).get("policy") or {}
        if sts_errors:
            out.errors["smtp.mta_sts"] = f"the MTA-STS policy could not be read: {sts_errors[0]}"
            return
        if not policy.get("valid"):
            return  # no usable policy: mode stays null and the rule does not apply
        patterns = list(policy.get("mx") or [])
        section.update(mode=policy.get("mode"), enforced=policy.get("mode") == "enforce", patterns=patterns)
        problems: list[str] = []
        for _, host in hosts:
            if not any(_sts_match(host, p) for p in patterns):
                problems.append(f"{host} matches no mx: line of the policy, so senders that honour it "
                                f"refuse to deliver there")
        for s in servers:
            if s["status"] == "no_starttls":
                problems.append(f"{_label(s)} offers no STARTTLS: senders that honour the policy refuse it")
            elif s["status"] == "tls" and not _cert_ok(s):
                bad = ("expired" if s["expired"] else "not valid for the name " + s["mx"]
                       if not s["hostname_match"] else "not from a trusted authority")
                problems.append(f"{_label(s)} serves a certificate that is {bad}: mail to it bounces")
        section.update(ok=not problems, problems=problems)
        unknown = [s for s in servers if s["status"] == "error"]
        if unknown and not problems:
            out.errors["smtp.mta_sts.ok"] = why


def _blank(mx: str, pref: int, address: str | None, port: int) -> dict[str, Any]:
    return {"mx": mx, "preference": pref, "address": address, "port": port, "provider": provider_of(mx),
            "status": "error", "reason": None, "banner": None, "starttls_offered": None,
            "tls_version": None, "tls_suite": None, "forward_secrecy": None, "cert": {}, "trusted": None,
            "trust_error": None, "hostname_match": None, "expired": None, "days_remaining": None,
            "dane": None, "protocols": dict.fromkeys(versions.ORDER), "legacy_accepted": [],
            "version_errors": [], "suites": {}, "cipher_classes": None, "weak_suites": [],
            "commands": 0, "handshakes": 0, "connections": 0, "elapsed_ms": 0, "_chain": ()}


PROBE = SmtpProbe()
