"""Full TLS handshakes with pyOpenSSL, one protocol version at a time, bounded by a deadline."""

from __future__ import annotations

import contextlib
import select
import socket
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from cryptography import x509
from OpenSSL import SSL

from cyberaudit.network import Network, is_ip

ProtocolName = Literal["ssl3", "tls1_0", "tls1_1", "tls1_2", "tls1_3"]
PROTOCOL_VERSIONS: dict[str, int] = {
    "ssl3": SSL.SSL3_VERSION, "tls1_0": SSL.TLS1_VERSION, "tls1_1": SSL.TLS1_1_VERSION,
    "tls1_2": SSL.TLS1_2_VERSION, "tls1_3": SSL.TLS1_3_VERSION,
}
# how reports name each protocol id
VERSION_LABELS: dict[str, str] = {"tls1_0": "TLS 1.0", "tls1_1": "TLS 1.1", "tls1_2": "TLS 1.2", "tls1_3": "TLS 1.3"}
# Everything the library has, at security level 0: the probe must see what a server accepts, not
# what a careful client would.
_ALL_CIPHERS = b"ALL:COMPLEMENTOFALL:@SECLEVEL=0"
Failure = Literal["", "refused", "closed", "timeout", "not_tls"]


@dataclass(frozen=True)
class Handshake:
    """The outcome of one handshake attempt at one protocol version."""

    protocol: str
    accepted: bool
    failure: Failure = ""  # refused: an alert; closed: EOF or reset; timeout (or no connection); not_tls
    reason: str = ""
    version: str | None = None  # as negotiated ("TLSv1.3")
    suite: str | None = None  # OpenSSL's name
    group: str | None = None
    chain: tuple[x509.Certificate, ...] = field(default=(), repr=False)
    ocsp_stapled: bool | None = None


def handshake(network: Network, host: str, port: int, protocol: str, *, timeout: float,
              connect_timeout: float | None = None, request_ocsp: bool = False) -> Handshake:
    """Attempt a handshake at exactly `protocol`. Raises ProbeError only when TCP connect fails."""
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.set_min_proto_version(PROTOCOL_VERSIONS[protocol])
    ctx.set_max_proto_version(PROTOCOL_VERSIONS[protocol])
    ctx.set_cipher_list(_ALL_CIPHERS)
    ctx.set_verify(SSL.VERIFY_NONE, lambda *args: True)  # trust is judged later, by cryptography
    stapled: list[bytes] = []
    if request_ocsp:
        ctx.set_ocsp_client_callback(lambda conn, data, _: stapled.append(data) or True)
    sock = network.connect(host, port, timeout=max(0.05, min(timeout, connect_timeout or timeout)))
    try:
        result, conn = _over(ctx, sock, host, protocol, time.monotonic() + timeout, stapled if request_ocsp else None)
        if conn is not None:
            with contextlib.suppress(SSL.Error):
                conn.shutdown()  # a courtesy close_notify; the answer does not matter
        return result
    finally:
        sock.close()


def upgrade(sock: socket.socket, host: str, *, timeout: float,
            protocol: str | None = None) -> tuple[Handshake, SSL.Connection | None]:
    """A handshake over a connected socket: at exactly `protocol`, or (None) whatever version the
    server picks from TLS 1.0 to 1.3, with every cipher suite at security level 0.

    For protocols that switch to TLS mid-stream (SMTP STARTTLS); the connection is left open for the
    caller to finish and close, and is None when the handshake failed.
    """
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.set_min_proto_version(PROTOCOL_VERSIONS[protocol] if protocol else SSL.TLS1_VERSION)
    ctx.set_max_proto_version(PROTOCOL_VERSIONS[protocol] if protocol else SSL.TLS1_3_VERSION)
    ctx.set_cipher_list(_ALL_CIPHERS)
    ctx.set_verify(SSL.VERIFY_NONE, lambda *args: True)
    return _over(ctx, sock, host, protocol or "any", time.monotonic() + timeout, None)


def _over(ctx: SSL.Context, sock: socket.socket, host: str, protocol: str, end: float,
          stapled: list[bytes] | None) -> tuple[Handshake, SSL.Connection | None]:
    sock.settimeout(None)
    sock.setblocking(False)
    conn = SSL.Connection(ctx, sock)
    if not is_ip(host):
        conn.set_tlsext_host_name(host.encode("idna"))
    if stapled is not None:
        conn.request_ocsp()
    conn.set_connect_state()
    failure, reason = _drive(conn, sock, end)
    if failure:
        return Handshake(protocol, False, failure, reason), None
    chain = tuple(conn.get_peer_cert_chain(as_cryptography=True) or ())
    result = Handshake(protocol, True, version=conn.get_protocol_version_name(),
                       suite=conn.get_cipher_name(), group=_group(conn), chain=chain,
                       ocsp_stapled=(bool(stapled and stapled[0]) if stapled is not None else None))
    return result, conn


def _drive(conn: SSL.Connection, sock: socket.socket, end: float) -> tuple[Failure, str]:
    while True:
        try:
            conn.do_handshake()
            return "", ""
        except SSL.WantReadError:
            if not _wait(sock, end, write=False):
                return "timeout", "no answer to the handshake in time"
        except SSL.WantWriteError:
            if not _wait(sock, end, write=True):
                return "timeout", "could not send the handshake in time"
        except SSL.ZeroReturnError:
            return "closed", "connection closed by the server"
        except SSL.SysCallError as exc:
            code, text = (exc.args + (None, None))[:2]
            if code == -1 or code == 0:
                return "closed", "connection closed by the server"
            return "closed", f"connection reset by the server ({text})"
        except SSL.Error as exc:
            return _classify(exc)


def _classify(exc: SSL.Error) -> tuple[Failure, str]:
    reasons = [str(r[2]) for r in (exc.args[0] if exc.args and isinstance(exc.args[0], list) else [])
               if isinstance(r, tuple) and len(r) >= 3]
    text = "; ".join(reasons) or str(exc)
    lowered = text.lower()
    if any(s in lowered for s in ("wrong version number", "packet length too long", "http request",
                                  "record layer failure", "unexpected eof while reading")) and \
            "alert" not in lowered:
        return "not_tls", text
    return "refused", text


def _wait(sock: socket.socket, end: float, write: bool) -> bool:
    left = end - time.monotonic()
    if left <= 0:
        return False
    r, w, _ = select.select([] if write else [sock], [sock] if write else [], [], left)
    return bool(r or w)


def _group(conn: SSL.Connection) -> str | None:
    try:
        name = conn.get_group_name()
    except (AttributeError, NotImplementedError, SSL.Error):
        return None
    return name.decode() if isinstance(name, bytes) else name


@cache
def library_protocols() -> dict[str, tuple[bool, str]]:
    """Which versions the linked OpenSSL can offer at all: a ClientHello into memory, no network."""
    out: dict[str, tuple[bool, str]] = {}
    for name, version in PROTOCOL_VERSIONS.items():
        ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
        try:
            ctx.set_min_proto_version(version)
            ctx.set_max_proto_version(version)
            ctx.set_cipher_list(_ALL_CIPHERS)
            conn = SSL.Connection(ctx, None)
            conn.set_connect_state()
            conn.do_handshake()
        except SSL.WantReadError:
            hello = conn.bio_read(65536)
            out[name] = (len(hello) > 0, "" if hello else "no ClientHello produced")
            continue
        except SSL.Error as exc:
            detail = _classify(exc)[1]
            if detail in ("", "[]"):
                detail = "it produces no ClientHello at this version (built without it)"
            out[name] = (False, f"{library_version()}: {detail}")
            continue
        out[name] = (False, "unexpected state")
    return out


def library_version() -> str:
    raw = SSL.OpenSSL_version(SSL.OPENSSL_VERSION)
    return raw.decode() if isinstance(raw, bytes) else str(raw)
