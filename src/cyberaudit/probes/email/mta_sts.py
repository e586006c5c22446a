"""MTA-STS (RFC 8461): the `_mta-sts` TXT record, the HTTPS policy file and MX coverage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cyberaudit.dnsclient import DnsClient
from cyberaudit.errors import ProbeError
from cyberaudit.network import Network, NetworkTimeout, ResolutionFailed
from cyberaudit.probes.email.tags import parse_tags

MAX_AGE_LIMIT = 31557600  # one year, RFC 8461 §3.2
MODES = ("enforce", "testing", "none")
_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")
_STS = re.compile(r"^\s*v\s*=\s*STSv1\s*(;|$)")


@dataclass(frozen=True)
class StsRecord:
    """The `_mta-sts` TXT records; senders use a policy only when exactly one is valid."""

    records: tuple[str, ...]  # those starting with v=STSv1
    valid: bool
    policy_id: str | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class StsPolicy:
    """The policy file as fetched; `problems` lists every reason senders would not apply it."""

    url: str
    http_status: int | None
    content_type: str | None
    redirected: bool
    version: str | None
    mode: str | None
    max_age: int | None
    mx: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def read_sts_record(domain: str, dns: DnsClient) -> StsRecord | str:
    """The parsed `_mta-sts.<domain>` record set, or the lookup failure as a string."""
    answer = dns.txt(f"_mta-sts.{domain}")
    if answer.failed:
        return f"_mta-sts.{domain} TXT: {answer.error}"
    records = tuple(r for r in answer.records if _STS.match(r))
    if not records:
        return StsRecord((), False, None, (f"_mta-sts.{domain} has no v=STSv1 record",))
    if len(records) > 1:
        return StsRecord(records, False, None,
                         (f"_mta-sts.{domain} has {len(records)} v=STSv1 records; senders ignore them all",))
    tags = parse_tags(records[0])
    problems = list(tags.problems)
    if tags.names[:1] != ("v",) or tags.get("v") != "STSv1":
        problems.append("the record must start with v=STSv1")
    policy_id = tags.get("id")
    if policy_id is None:
        problems.append("the record has no id=")
    elif not _ID.match(policy_id):
        problems.append(f"id={policy_id!r} must be 1 to 32 letters and digits")
    return StsRecord(records, not problems, policy_id, tuple(problems))


def policy_url(domain: str) -> str:
    return f"https://mta-sts.{domain}/.well-known/mta-sts.txt"


def fetch_policy(domain: str, network: Network, deadline: float | None = None) -> StsPolicy:
    """Fetch and parse the policy with no redirect followed (RFC 8461 §3.3).

    A TLS failure, a refused connection or a host with no address is a policy senders cannot use
    (a problem); a timeout or a failed DNS lookup says nothing about the domain and raises ProbeError.
    """
    url = policy_url(domain)
    try:
        result = network.fetch(url, follow_redirects=False, deadline=deadline)
    except (NetworkTimeout, ResolutionFailed):
        raise  # our side cannot tell: the rule reads error
    except ProbeError as exc:  # refused, bad certificate, no such host: the domain's side answered
        return StsPolicy(url, None, None, False, None, None, None, (), (f"cannot fetch the policy: {exc}",))
    resp = result.final
    problems: list[str] = []
    if 300 <= resp.status < 400:
        location = resp.header("location") or "?"
        problems.append(f"the policy URL redirects (HTTP {resp.status} to {location}); senders must not "
                        "follow redirects")
        return StsPolicy(url, resp.status, resp.content_type, True, None, None, None, (), tuple(problems))
    if resp.status != 200:
        problems.append(f"the policy URL answered HTTP {resp.status}, not 200")
        return StsPolicy(url, resp.status, resp.content_type, False, None, None, None, (), tuple(problems))
    if resp.content_type != "text/plain":
        problems.append(f"the policy is served as {resp.content_type or 'no media type'}, not text/plain")
    if resp.truncated:
        problems.append("the policy file is larger than the size limit")
    version, mode, max_age, mx = _parse_policy(resp.body.decode("utf-8", "replace"), problems)
    return StsPolicy(url, resp.status, resp.content_type, False, version, mode, max_age, mx, tuple(problems))


def _parse_policy(text: str, problems: list[str]) -> tuple[str | None, str | None, int | None, tuple[str, ...]]:
    fields: dict[str, str] = {}
    mx: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            problems.append(f"malformed policy line {line[:60]!r}")
            continue
        if key == "mx":
            mx.append(value.rstrip(".").lower())
        elif key in fields and key in ("version", "mode", "max_age"):
            problems.append(f"{key} appears more than once")
        else:
            fields.setdefault(key, value)  # unknown keys are ignored (RFC 8461 §3.2)
    version = fields.get("version")
    if version != "STSv1":
        problems.append("version must be STSv1" if version else "the policy has no version")
    mode = fields.get("mode")
    if mode not in MODES:
        problems.append(f"mode {mode!r} is not enforce, testing or none" if mode else "the policy has no mode")
        mode = None
    max_age: int | None = None
    raw_age = fields.get("max_age")
    if raw_age is None:
        problems.append("the policy has no max_age")
    elif not raw_age.isdigit() or len(raw_age) > 10:
        problems.append(f"max_age {raw_age!r} is not a number of seconds")
    else:
        max_age = int(raw_age)
        if max_age > MAX_AGE_LIMIT:
            problems.append(f"max_age {max_age} exceeds {MAX_AGE_LIMIT} seconds (one year)")
    if mode in ("enforce", "testing") and not mx:
        problems.append("the policy lists no mx patterns")
    for pattern in mx:
        if "*" in pattern and not (pattern.startswith("*.") and "*" not in pattern[2:]):
            problems.append(f"mx pattern {pattern!r}: a wildcard may only be the whole first label")
    return version, mode, max_age, tuple(mx)


def mx_matches(host: str, pattern: str) -> bool:
    """RFC 8461 §4.1: `*.example.org` covers exactly one more label, `mail.example.org` only itself."""
    host, pattern = host.rstrip(".").lower(), pattern.rstrip(".").lower()
    if pattern.startswith("*."):
        suffix = pattern[1:]
        label = host[: -len(suffix)] if host.endswith(suffix) else ""
        return bool(label) and "." not in label
    return host == pattern


def uncovered_mx(hosts: list[str] | tuple[str, ...], patterns: tuple[str, ...]) -> list[str]:
    """MX hosts that no policy pattern covers (mail to them would fail under mode enforce)."""
    return [h for h in hosts if not any(mx_matches(h, p) for p in patterns)]
