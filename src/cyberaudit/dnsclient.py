"""A caching DNS client over dnspython that tells a failed lookup from an absent record."""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from typing import Literal

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver

Status = Literal["ok", "nxdomain", "nodata", "error"]


@dataclass(frozen=True)
class DnsAnswer:
    """One lookup. `error` means the resolver could not tell (timeout, SERVFAIL, refused)."""

    name: str
    rdtype: str
    status: Status
    records: tuple[str, ...] = ()
    error: str | None = None
    authenticated: bool = False

    @property
    def failed(self) -> bool:
        return self.status == "error"

    @property
    def absent(self) -> bool:
        return self.status in ("nxdomain", "nodata")


def parse_nameserver(text: str) -> tuple[str, int]:
    """'127.0.0.1', '127.0.0.1:5353', '[::1]:5353' or '::1' → (address, port); ValueError otherwise."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else rest
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"{text!r}: a nameserver is an IP address, optionally with :PORT") from None
    if not port_text:
        return host, 53
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"{text!r}: the port must be a number from 1 to 65535")
    return host, int(port_text)


class DnsClient:
    """Asks each (name, type) once per run; answers are shared across probes and threads."""

    def __init__(self, nameservers: tuple[tuple[str, int], ...] = (), timeout: float = 3.0,
                 retries: int = 1) -> None:
        self.nameservers = nameservers
        self.timeout = timeout
        self.retries = retries
        if nameservers:
            self._resolver = dns.resolver.Resolver(configure=False)
            self._resolver.nameservers = [dns.nameserver.Do53Nameserver(addr, port)
                                          for addr, port in nameservers]
        else:
            try:
                self._resolver = dns.resolver.Resolver()
            except dns.resolver.NoResolverConfiguration:
                self._resolver = dns.resolver.Resolver(configure=False)
                self._resolver.nameservers = []
        self._resolver.timeout = timeout
        self._resolver.lifetime = timeout * (retries + 1)
        self._resolver.retry_servfail = False
        # DO asks for DNSSEC records so that a validating resolver sets AD on verified answers.
        self._resolver.use_edns(0, dns.flags.DO, 1232)
        self._resolver.flags = dns.flags.RD | dns.flags.AD
        self._cache: dict[tuple[str, str], DnsAnswer] = {}
        self._inflight: dict[tuple[str, str], threading.Event] = {}
        self._lock = threading.Lock()
        self.queries_sent = 0

    def query(self, name: str, rdtype: str) -> DnsAnswer:
        """Look `name` up once; later calls return the cached answer."""
        key = (name.rstrip(".").lower(), rdtype.upper())
        while True:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
                event = self._inflight.get(key)
                if event is None:
                    event = threading.Event()
                    self._inflight[key] = event
                    break
            event.wait()
        try:
            answer = self._ask(*key)
        except Exception as exc:  # a resolver bug must not leave other threads waiting forever
            answer = DnsAnswer(key[0], key[1], "error", error=f"lookup failed: {_short(exc)}")
        with self._lock:
            self._cache[key] = answer
            del self._inflight[key]
        event.set()
        return answer

    def txt(self, name: str) -> DnsAnswer:
        """TXT records with each record's strings joined without a separator (RFC 7208 §3.3)."""
        return self.query(name, "TXT")

    def _ask(self, name: str, rdtype: str) -> DnsAnswer:
        if not self._resolver.nameservers:
            return DnsAnswer(name, rdtype, "error", error="no DNS resolver configured")
        with self._lock:
            self.queries_sent += 1
        try:
            ans = self._resolver.resolve(name or ".", rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            return DnsAnswer(name, rdtype, "nxdomain")
        except dns.resolver.LifetimeTimeout:
            return DnsAnswer(name, rdtype, "error", error=f"timeout after {self._resolver.lifetime:g}s")
        except dns.resolver.NoNameservers as exc:
            return DnsAnswer(name, rdtype, "error", error=f"server failure: {_short(exc)}")
        except dns.exception.DNSException as exc:
            return DnsAnswer(name, rdtype, "error", error=_short(exc))
        authenticated = bool(ans.response.flags & dns.flags.AD)
        if ans.rrset is None:
            return DnsAnswer(name, rdtype, "nodata", authenticated=authenticated)
        records = tuple(_rdata_text(rd) for rd in ans.rrset)
        return DnsAnswer(name, rdtype, "ok", records, authenticated=authenticated)


def _rdata_text(rd: object) -> str:
    if rd.rdtype == dns.rdatatype.TXT:  # type: ignore[attr-defined]
        return b"".join(rd.strings).decode("utf-8", "replace")  # type: ignore[attr-defined]
    return rd.to_text()  # type: ignore[attr-defined]


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
