"""SMTP TLS Reporting (RFC 8460): exactly one `_smtp._tls` record with a valid rua."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cyberaudit.dnsclient import DnsClient
from cyberaudit.probes.email.tags import parse_tags

_RPT = re.compile(r"^\s*v\s*=\s*TLSRPTv1\s*(;|$)")
_MAILTO = re.compile(r"^mailto:[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$", re.IGNORECASE)
_HTTPS = re.compile(r"^https://[^/\s]+(/\S*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class TlsRptResult:
    records: tuple[str, ...]  # those starting with v=TLSRPTv1
    rua: tuple[str, ...]
    valid: bool
    problems: tuple[str, ...]


def read_tls_rpt(domain: str, dns: DnsClient) -> TlsRptResult | str:
    """The parsed `_smtp._tls.<domain>` record, or the lookup failure as a string."""
    name = f"_smtp._tls.{domain}"
    answer = dns.txt(name)
    if answer.failed:
        return f"{name} TXT: {answer.error}"
    records = tuple(r for r in answer.records if _RPT.match(r))
    if not records:
        return TlsRptResult((), (), False, (f"{name} has no v=TLSRPTv1 record",))
    if len(records) > 1:
        return TlsRptResult(records, (), False,
                            (f"{name} has {len(records)} v=TLSRPTv1 records; senders ignore them all",))
    tags = parse_tags(records[0])
    problems = list(tags.problems)
    if tags.names[:1] != ("v",):
        problems.append("the record must start with v=TLSRPTv1")
    rua = tuple(u.strip() for u in (tags.get("rua") or "").split(",") if u.strip())
    if not rua:
        problems.append("the record has no rua= destination")
    for uri in rua:
        if not (_MAILTO.match(uri) or _HTTPS.match(uri)):
            problems.append(f"rua {uri[:80]!r} is neither mailto:address nor an https:// URL")
    return TlsRptResult(records, rua, not problems, tuple(problems))
