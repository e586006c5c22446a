"""The tls probe: protocol versions, cipher-suite classes and the certificate of one endpoint.

Handshake budget per endpoint (each new TCP connection counts once, none is repeated):
  4 full handshakes, TLS 1.3, 1.2, 1.1 and 1.0 (pyOpenSSL, security level 0);
  1 for SSL 3.0: a full handshake when the linked OpenSSL speaks it, else a ServerHello probe;
  cipher classes, only when TLS 1.2 or older is accepted: 1 offer of every weak suite (NULL, EXPORT,
  anon, RC4, DES/3DES) and, only if the server picks one, 1 offer per weak class still open;
  then 1 offer of CBC-with-SHA-1 suites and 1 of suites without forward secrecy.
So 5 for a TLS 1.3-only server, 8 for a typical TLS 1.2 + 1.3 server, and 12 at most (the first
weak offer, when accepted, settles at least one class).
A refusal is an alert or a ServerHello choosing something else. A connection that ends without either
(EOF or reset) costs 1 control handshake at the newest version already completed: one for all the TLS
versions, one for SSL 3.0, one per offer. If the control completes, the close was a refusal; if not,
the fact is null with the reason and no further control is spent. So 20 at most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from cyberaudit.errors import ProbeError
from cyberaudit.network import Network, NetworkTimeout, ResolutionFailed
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput
from cyberaudit.probes.tls import chain as chainmod
from cyberaudit.probes.tls import hello, suites
from cyberaudit.probes.tls.handshake import (
    VERSION_LABELS,
    Handshake,
    handshake,
    library_protocols,
    library_version,
)
from cyberaudit.targets import Target, TargetKind

_FULL = ("tls1_3", "tls1_2", "tls1_1", "tls1_0")
_MIN_STEP = 0.05
# suites an SSL 3.0 server could pick: the 0xC0xx range (ECC, RFC 4492) and later are TLS-only
_SSL3_SUITES = [code for code in suites.SUITES if code < 0x0100]  # below this, a handshake is not worth starting before the deadline

FACTS: tuple[FactSpec, ...] = (
    FactSpec("tls.host", "str", "The name used for SNI and the certificate check."),
    FactSpec("tls.port", "int", "The TCP port probed."),
    FactSpec("tls.handshakes", "int", "TCP connections opened for TLS handshakes and hello offers "
             "(5 to 12 per endpoint, up to 20 when the server closes connections without an alert; see "
             "docs/tls.md)."),
    FactSpec("tls.library", "str", "The OpenSSL version the probe's handshakes ran on."),
    FactSpec("tls.protocols", "object", "Each protocol version below, true when the server accepts it."),
    FactSpec("tls.protocols.ssl3", "bool?", "The server accepts SSL 3.0 (null: could not tell)."),
    FactSpec("tls.protocols.tls1_0", "bool?", "The server completes a TLS 1.0 handshake."),
    FactSpec("tls.protocols.tls1_1", "bool?", "The server completes a TLS 1.1 handshake."),
    FactSpec("tls.protocols.tls1_2", "bool?", "The server completes a TLS 1.2 handshake."),
    FactSpec("tls.protocols.tls1_3", "bool?", "The server completes a TLS 1.3 handshake."),
    FactSpec("tls.ssl3.library_support", "bool", "Whether the linked OpenSSL can speak SSL 3.0 itself."),
    FactSpec("tls.ssl3.method", "str", "How SSL 3.0 was tested: `handshake` (full, by OpenSSL) or "
             "`server_hello` (an SSL 3.0 ClientHello; accepted when the ServerHello agrees to 3.0)."),
    FactSpec("tls.ssl3.note", "str?", "Why the linked OpenSSL could not test SSL 3.0 itself, if it could not."),
    FactSpec("tls.negotiated.tls1_3.suite", "str?", "Suite chosen by the server at TLS 1.3 (null: not accepted)."),
    FactSpec("tls.negotiated.tls1_3.group", "str?", "Key-exchange group chosen at TLS 1.3."),
    FactSpec("tls.negotiated.tls1_2.suite", "str?", "Suite chosen at TLS 1.2 (OpenSSL name)."),
    FactSpec("tls.negotiated.tls1_2.group", "str?", "Key-exchange group chosen at TLS 1.2 (null for RSA "
             "key exchange)."),
    FactSpec("tls.ciphers.null", "bool?", "A suite without encryption (NULL) is accepted at TLS 1.2 or older."),
    FactSpec("tls.ciphers.export", "bool?", "An EXPORT-grade suite (40/56-bit) is accepted."),
    FactSpec("tls.ciphers.anon", "bool?", "An anonymous suite (no server authentication) is accepted."),
    FactSpec("tls.ciphers.rc4", "bool?", "An RC4 suite is accepted."),
    FactSpec("tls.ciphers.des", "bool?", "A DES or 3DES suite is accepted."),
    FactSpec("tls.ciphers.cbc_sha1", "bool?", "A CBC suite with HMAC-SHA1 (and an otherwise sound cipher) is accepted."),
    FactSpec("tls.ciphers.forward_secrecy", "bool?", "Every accepted suite has forward secrecy (no static "
             "RSA, DH, ECDH or PSK key exchange is accepted)."),
    FactSpec("tls.ciphers.accepted_weak", "list", "IANA names of the weak suites the server picked when offered."),
    FactSpec("tls.ciphers.accepted_without_fs", "str?", "IANA name of a suite without forward secrecy "
             "that the server picked, if any."),
    FactSpec("tls.cert.subject", "str", "Leaf certificate subject (RFC 4514)."),
    FactSpec("tls.cert.common_name", "str?", "Leaf subject common name."),
    FactSpec("tls.cert.sans", "list", "Leaf subject alternative names (DNS names and IP addresses)."),
    FactSpec("tls.cert.issuer", "str", "Leaf issuer (RFC 4514)."),
    FactSpec("tls.cert.serial", "str", "Leaf serial number, hexadecimal."),
    FactSpec("tls.cert.not_before", "str", "Start of validity (ISO 8601, UTC)."),
    FactSpec("tls.cert.not_after", "str", "End of validity (ISO 8601, UTC)."),
    FactSpec("tls.cert.days_remaining", "int", "Whole days until not_after (negative once expired)."),
    FactSpec("tls.cert.expired", "bool", "not_after is in the past."),
    FactSpec("tls.cert.not_yet_valid", "bool", "not_before is in the future."),
    FactSpec("tls.cert.key_type", "str", "rsa, ec, ed25519, ed448, dsa or other."),
    FactSpec("tls.cert.key_bits", "int?", "Key size in bits (curve size for EC)."),
    FactSpec("tls.cert.signature_algorithm", "str", "The issuer's signature algorithm (e.g. sha256WithRSAEncryption)."),
    FactSpec("tls.cert.signature_hash", "str", "Hash in the issuer's signature: sha256, sha384, sha1, md5..., "
             "or `intrinsic` for Ed25519/Ed448."),
    FactSpec("tls.cert.self_signed", "bool", "The leaf is signed by its own key."),
    FactSpec("tls.chain", "list", "Certificates as served, leaf first."),
    FactSpec("tls.chain[].subject", "str", "Subject of a served certificate."),
    FactSpec("tls.chain[].issuer", "str", "Issuer of a served certificate."),
    FactSpec("tls.chain[].not_after", "str", "End of validity of a served certificate."),
    FactSpec("tls.chain[].key_type", "str", "Key type of a served certificate."),
    FactSpec("tls.chain[].key_bits", "int?", "Key size of a served certificate."),
    FactSpec("tls.chain[].signature_hash", "str", "Hash in the signature on a served certificate."),
    FactSpec("tls.chain[].self_signed", "bool", "A served certificate signed by its own key (a root)."),
    FactSpec("tls.chain_length", "int", "Number of certificates served."),
    FactSpec("tls.trusted", "bool", "The served chain verifies to a root in certifi's bundle plus "
             "--ca-bundle (cryptography path validation, CA/B Forum profile, no fetching of missing "
             "intermediates; checked at a time inside the leaf's validity)."),
    FactSpec("tls.trust_error", "str?", "Why the chain is not trusted, in the verifier's words."),
    FactSpec("tls.intermediates_missing", "bool", "The served chain stops at a certificate whose issuer "
             "is neither served nor a trusted root."),
    FactSpec("tls.hostname_match", "bool", "The leaf certificate is valid for tls.host."),
    FactSpec("tls.ocsp_stapled", "bool?", "The server staples an OCSP response when asked "
             "(null: no TLS 1.2/1.3 handshake to ask in)."),
)


@dataclass
class _Run:
    """Mutable state of one probe run: handshake count and partial errors."""

    ctx: ProbeContext
    host: str
    port: int
    count: int = 0
    reached: bool = False  # some handshake has completed
    errors: dict[str, str] = field(default_factory=dict)
    control_at: str | None = None  # the newest version accepted: control handshakes use it
    limited: str = ""  # set once a control handshake failed: later bare closes stay unknown

    def bare_close(self) -> str:
        """After a connection ended without an alert: "" when it reads as a refusal, else why not.

        An EOF or reset is not a refusal by itself (connection limiters, firewalls and overloaded
        servers close connections too). One control handshake at a version the server completed
        before tells them apart: if it completes, the server answers and the close was its refusal;
        if it fails, the server is limiting connections and nothing more is spent on controls.
        """
        if self.limited:
            return self.limited
        if self.control_at is None:
            return "the server closed the connection without an alert, before any handshake completed"
        control = self.full(self.control_at)
        if control.accepted:
            return ""
        self.limited = (f"the server closed the connection without an alert, and a control handshake "
                        f"at {VERSION_LABELS[self.control_at]}, which it completed before, failed too "
                        f"({_plain(control)}): the server seems to limit connections, so this could not "
                        f"be told")
        return self.limited

    def budget(self) -> float:
        """Seconds one handshake may take after connecting: the read timeout, within the deadline."""
        return min(self.ctx.network.settings.read_timeout, self.ctx.remaining())

    def connect_budget(self) -> float:
        return min(self.ctx.network.settings.connect_timeout, self.ctx.remaining())

    def full(self, protocol: str, ocsp: bool = False) -> Handshake:
        timeout = self.budget()
        if timeout < _MIN_STEP:
            return Handshake(protocol, False, "timeout", "the probe's deadline came first")
        self.count += 1
        try:
            result = handshake(self.ctx.network, self.host, self.port, protocol, timeout=timeout,
                               connect_timeout=self.connect_budget(), request_ocsp=ocsp)
        except ProbeError as exc:
            if not self.reached:
                raise  # nothing known about the target: the whole probe is an error
            # reachable a moment ago: this version stays unknown, never "refused"
            return Handshake(protocol, False, "timeout", str(exc))
        self.reached = self.reached or result.accepted
        return result

    def offer(self, codes: list[int], version: int = hello.TLS1_2) -> hello.HelloAnswer | str:
        """The server's answer, or the reason there is none (a string)."""
        timeout = self.budget()
        if timeout < _MIN_STEP:
            return "the probe's deadline came first"
        self.count += 1
        try:
            return hello.offer(self.ctx.network, self.host, self.port, codes, version=version,
                               timeout=timeout, connect_timeout=self.connect_budget())
        except hello.HelloTimeout:
            return f"no answer to the ClientHello within {timeout:g}s"
        except hello.NotTls as exc:
            return str(exc)
        except ProbeError as exc:
            return str(exc)


class TlsProbe:
    name = "tls"
    title = "TLS protocol versions, cipher suites and certificate"
    scopes: frozenset[TargetKind] = frozenset({"endpoint"})
    requires: tuple[str, ...] = ()
    facts = FACTS

    def prepare(self, network: Network) -> None:
        chainmod.load_store(network.ca_bundle_path())
        library_protocols()

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        spec = target.spec
        host = str(getattr(spec, "host", "") or "").strip("[]").rstrip(".").lower()
        port = int(getattr(spec, "port", 443) or 443)
        if not host:
            raise ProbeError(f"{target.id}: no host to probe")
        run = _Run(ctx, host, port)
        try:
            shakes = self._protocols(run)
        except ProbeError as exc:
            site = getattr(spec, "site_url", None)
            if site is None or isinstance(exc, (NetworkTimeout, ResolutionFailed)):
                raise
            # the https:// side of a website: nothing there is itself the finding (HTTP-HTTPS-AVAILABLE)
            raise ProbeError(f"no HTTPS to check: {site} has no working HTTPS at {host}:{port} ({exc})") from None
        first = next(h for h in shakes.values() if h.accepted)
        protocols: dict[str, bool | None] = {
            p: (None if f"tls.protocols.{p}" in run.errors else h.accepted) for p, h in shakes.items()}
        ssl3 = self._ssl3(run)
        protocols["ssl3"] = ssl3["accepted"]
        below_13 = [protocols[p] for p in ("tls1_2", "tls1_1", "tls1_0")]
        facts: dict[str, Any] = {
            "host": host, "port": port, "library": library_version(),
            "protocols": {k: protocols[k] for k in ("ssl3", "tls1_0", "tls1_1", "tls1_2", "tls1_3")},
            "ssl3": {k: ssl3[k] for k in ("library_support", "method", "note")},
            "negotiated": {p: {"suite": shakes[p].suite, "group": shakes[p].group}
                           for p in ("tls1_3", "tls1_2")},
            "ciphers": self._ciphers(run, any(below_13), all(v is False for v in below_13)),
        }
        facts.update(self._certificate(first.chain, host, ctx))
        ocsp = [h.ocsp_stapled for h in (shakes["tls1_3"], shakes["tls1_2"]) if h.accepted]
        facts["ocsp_stapled"] = ocsp[0] if ocsp else None
        facts["handshakes"] = run.count
        return ProbeOutput(facts=facts, errors=run.errors)

    def _protocols(self, run: _Run) -> dict[str, Handshake]:
        shakes: dict[str, Handshake] = {}
        for protocol in _FULL:
            h = run.full(protocol, ocsp=protocol in ("tls1_3", "tls1_2"))
            shakes[protocol] = h
            if not any(s.accepted for s in shakes.values()) and h.failure in ("timeout", "not_tls"):
                # a server that stays silent or does not speak TLS will not start for older versions
                kind = NetworkTimeout if h.failure == "timeout" else ProbeError
                raise kind(f"{run.host}:{run.port}: {_plain(h)}")
        if not any(h.accepted for h in shakes.values()):
            reasons = sorted({_plain(h) for h in shakes.values()})
            raise ProbeError(f"{run.host}:{run.port}: no TLS handshake succeeded ({'; '.join(reasons)})")
        for p, h in shakes.items():
            if h.failure == "timeout":
                run.errors[f"tls.protocols.{p}"] = h.reason
        run.control_at = next(p for p in _FULL if shakes[p].accepted)
        closed = [p for p in _FULL if shakes[p].failure == "closed"]
        if closed:
            why = run.bare_close()  # one control for all the versions that ended in a bare close
            for p in closed if why else ():
                run.errors[f"tls.protocols.{p}"] = why
        return shakes

    def _ssl3(self, run: _Run) -> dict[str, Any]:
        can, why = library_protocols()["ssl3"]
        if can:
            h = run.full("ssl3")
            unknown = h.reason if h.failure == "timeout" else run.bare_close() if h.failure == "closed" else ""
            if unknown:
                run.errors["tls.protocols.ssl3"] = unknown
            return {"accepted": None if unknown else h.accepted,
                    "library_support": True, "method": "handshake", "note": None}
        answer = run.offer(_SSL3_SUITES, version=hello.SSL3)
        accepted: bool | None = None
        if isinstance(answer, str):
            run.errors["tls.protocols.ssl3"] = answer
        elif answer.closed and (unknown := run.bare_close()):
            run.errors["tls.protocols.ssl3"] = unknown
        else:
            accepted = answer.accepted and answer.version == hello.SSL3
        return {"accepted": accepted, "library_support": False, "method": "server_hello",
                "note": f"the linked OpenSSL cannot speak SSL 3.0 ({why}); the probe sent an SSL 3.0 "
                        f"ClientHello itself and read the server's answer"}

    def _ciphers(self, run: _Run, legacy_accepted: bool, legacy_refused: bool) -> dict[str, Any]:
        out: dict[str, Any] = {c: None for c in suites.WEAK_CLASSES}
        out.update(cbc_sha1=None, forward_secrecy=None, accepted_weak=[], accepted_without_fs=None)
        if not legacy_accepted:
            if legacy_refused:  # TLS 1.3 only: every TLS 1.3 suite is authenticated, encrypted and FS
                out.update({c: False for c in suites.WEAK_CLASSES}, cbc_sha1=False, forward_secrecy=True)
            else:
                run.errors["tls.ciphers"] = "it could not be told whether TLS 1.2 or older is accepted"
            return out
        # one offer of every weak suite: a sound server refuses it and the classes are settled at once
        weak = list(suites.WEAK_CLASSES)
        first = _pick(run, weak)
        if first.error:
            run.errors.update({f"tls.ciphers.{c}": first.error for c in weak})
        elif first.suite is None:
            out.update({c: False for c in weak})
        else:
            out["accepted_weak"].append(first.suite)
            hit = suites.classes_of(first.suite.removeprefix("TLS_")) & set(weak)
            out.update({c: True for c in hit})
            # one offer per class still open: the server's preference must not hide another class
            for c in (c for c in weak if c not in hit):
                single = _pick(run, [c])
                if single.error:
                    run.errors[f"tls.ciphers.{c}"] = single.error
                else:
                    out[c] = single.suite is not None
                    if single.suite is not None:
                        out["accepted_weak"].append(single.suite)
        cbc = _pick(run, ["cbc_sha1"])
        if cbc.error:
            run.errors["tls.ciphers.cbc_sha1"] = cbc.error
        else:
            out["cbc_sha1"] = cbc.suite is not None
        static = _pick(run, ["no_forward_secrecy"])
        if static.error:
            run.errors["tls.ciphers.forward_secrecy"] = static.error
        else:
            out["forward_secrecy"] = static.suite is None
            out["accepted_without_fs"] = static.suite
        return out

    @staticmethod
    def _certificate(chain: tuple[x509.Certificate, ...], host: str, ctx: ProbeContext) -> dict[str, Any]:
        if not chain:
            raise ProbeError(f"{host}: the server sent no certificate")
        verdict = chainmod.verify(chain, host, ctx.network.ca_bundle_path())
        return {
            "cert": chainmod.cert_facts(chain[0]),
            "chain": chainmod.chain_facts(chain),
            "chain_length": len(chain),
            "trusted": verdict.trusted,
            "trust_error": verdict.error,
            "intermediates_missing": verdict.intermediates_missing,
            "hostname_match": verdict.hostname_match,
        }


@dataclass(frozen=True)
class _Pick:
    """The answer to one offer: the suite picked (IANA name), none (refused), or why there is no answer."""

    suite: str | None = None
    error: str | None = None


def _pick(run: _Run, classes: list[str]) -> _Pick:
    """Offer every suite of `classes` in one ClientHello.

    A pick from outside the offer counts as no answer: such a server cannot be trusted to tell what
    it accepts.
    """
    offered = suites.suites_in_any(classes)
    answer = run.offer(offered)
    if isinstance(answer, str):
        return _Pick(error=f"{answer} (offer: {', '.join(classes)})")
    if not answer.accepted:
        why = run.bare_close() if answer.closed else ""
        return _Pick(error=f"{why} (offer: {', '.join(classes)})") if why else _Pick()
    name = suites.name_of(answer.suite or 0)
    if answer.suite not in offered:
        return _Pick(error=f"the server picked {name}, which was not offered")
    return _Pick(suite=name)


def _plain(h: Handshake) -> str:
    if h.failure == "timeout":
        return f"no TLS answer in time ({h.reason})"
    if h.failure == "not_tls":
        return f"the server answered, but not in TLS (plain HTTP on a TLS port?): {h.reason}"
    if h.failure == "closed":
        return f"the server closed the connection during the handshake ({h.reason})"
    return f"handshake refused: {h.reason}"


PROBE = TlsProbe()
