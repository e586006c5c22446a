"""One ClientHello, one answer: does the server pick a suite from a given offer?

This reads the server's first flight only (ServerHello or alert), which is all that acceptance of a
suite or a protocol version needs, and is what lets the probe ask about suites and versions that
the linked OpenSSL no longer implements (RC4, DES, 3DES, EXPORT, SSL 3.0). RFC 5246 §7.4.1.
"""

from __future__ import annotations

import os
import select
import socket
import struct
import time
from dataclasses import dataclass

from cyberaudit.network import Network, is_ip

SSL3, TLS1_0, TLS1_1, TLS1_2 = 0x0300, 0x0301, 0x0302, 0x0303
VERSION_NAMES = {SSL3: "SSLv3", TLS1_0: "TLSv1", TLS1_1: "TLSv1.1", TLS1_2: "TLSv1.2", 0x0304: "TLSv1.3"}
_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF
# x25519, secp256r1, secp384r1, secp521r1, x448, ffdhe2048, ffdhe3072
_GROUPS = (0x001D, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100, 0x0101)
# ECDSA, RSA-PSS and PKCS#1 with SHA-2, then the SHA-1 and DSA schemes old servers need
_SIGALGS = (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203,
            0x0202, 0x0402)
_ALERTS = {10: "unexpected_message", 20: "bad_record_mac", 40: "handshake_failure",
           47: "illegal_parameter", 50: "decode_error", 70: "protocol_version",
           71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
           112: "unrecognized_name"}
_MAX_FIRST_FLIGHT = 64 * 1024


class HelloTimeout(Exception):
    """The server sent nothing (or not enough) before the timeout."""


class NotTls(Exception):
    """The server's answer is not a TLS record (plain HTTP on a TLS port, for instance)."""


@dataclass(frozen=True)
class HelloAnswer:
    """The server's answer to one offer: the suite it picked, or why it picked none."""

    accepted: bool
    version: int | None = None  # the version in the ServerHello
    suite: int | None = None
    reason: str = ""  # the alert, or how the connection ended, when nothing was accepted
    # the connection ended (EOF or reset) without an alert or a ServerHello: not a refusal by itself,
    # since connection limiters and middleboxes end connections this way too
    closed: bool = False


def _ext(ext_type: int, body: bytes) -> bytes:
    return struct.pack("!HH", ext_type, len(body)) + body


def client_hello(host: str, suites: list[int], version: int = TLS1_2) -> bytes:
    """The bytes of a ClientHello record offering `suites` at `version` (SSL 3.0 gets no extensions)."""
    cipher_bytes = b"".join(struct.pack("!H", c) for c in [*suites, _EMPTY_RENEGOTIATION_INFO_SCSV])
    body = struct.pack("!H", version) + os.urandom(32) + b"\x00"
    body += struct.pack("!H", len(cipher_bytes)) + cipher_bytes + b"\x01\x00"
    if version > SSL3:
        exts = b""
        if host and not is_ip(host):
            name = host.encode("idna")
            entry = b"\x00" + struct.pack("!H", len(name)) + name
            exts += _ext(0x0000, struct.pack("!H", len(entry)) + entry)
        groups = b"".join(struct.pack("!H", g) for g in _GROUPS)
        exts += _ext(0x000A, struct.pack("!H", len(groups)) + groups)
        exts += _ext(0x000B, b"\x01\x00")  # uncompressed points
        if version >= TLS1_2:
            algs = b"".join(struct.pack("!H", a) for a in _SIGALGS)
            exts += _ext(0x000D, struct.pack("!H", len(algs)) + algs)
        body += struct.pack("!H", len(exts)) + exts
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    record_version = min(version, TLS1_0)  # what real clients put on the first record
    return b"\x16" + struct.pack("!HH", record_version, len(handshake)) + handshake


def offer(network: Network, host: str, port: int, suites: list[int], *, version: int = TLS1_2,
          timeout: float, connect_timeout: float | None = None) -> HelloAnswer:
    """Send one ClientHello and read the first flight. Raises ProbeError (connect), HelloTimeout, NotTls."""
    sock = network.connect(host, port, timeout=max(0.05, min(timeout, connect_timeout or timeout)))
    end = time.monotonic() + timeout
    try:
        sock.settimeout(None)
        sock.setblocking(False)
        _send_all(sock, client_hello(host, suites, version), end)
        return _read_answer(sock, end)
    finally:
        sock.close()


def _wait(sock: socket.socket, end: float, write: bool = False) -> None:
    left = end - time.monotonic()
    if left <= 0:
        raise HelloTimeout
    r, w, _ = select.select([] if write else [sock], [sock] if write else [], [], left)
    if not (r or w):
        raise HelloTimeout


def _send_all(sock: socket.socket, data: bytes, end: float) -> None:
    while data:
        _wait(sock, end, write=True)
        try:
            sent = sock.send(data)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError as exc:
            raise ConnectionError(exc.strerror or str(exc)) from None
        data = data[sent:]


def _read_exact(sock: socket.socket, n: int, end: float) -> bytes:
    buf = b""
    while len(buf) < n:
        _wait(sock, end)
        try:
            chunk = sock.recv(n - len(buf))
        except (BlockingIOError, InterruptedError):
            continue
        except OSError as exc:
            raise ConnectionError(exc.strerror or str(exc)) from None
        if not chunk:
            raise ConnectionError("connection closed by the server")
        buf += chunk
    return buf


def _read_answer(sock: socket.socket, end: float) -> HelloAnswer:
    handshake = b""
    try:
        while len(handshake) < _MAX_FIRST_FLIGHT:
            header = _read_exact(sock, 5, end)
            content_type, _rec_version, length = struct.unpack("!BHH", header)
            if content_type not in (0x15, 0x16) or length > 18432:
                raise NotTls(_describe_garbage(header))
            payload = _read_exact(sock, length, end)
            if content_type == 0x15:
                desc = payload[1] if len(payload) >= 2 else -1
                return HelloAnswer(False, reason=f"alert {_ALERTS.get(desc, desc)}")
            handshake += payload
            if len(handshake) >= 4:
                msg_type = handshake[0]
                msg_len = int.from_bytes(handshake[1:4], "big")
                if msg_type != 0x02:
                    raise NotTls(f"the first handshake message is type {msg_type}, not a ServerHello")
                if len(handshake) >= 4 + msg_len:
                    return _parse_server_hello(handshake[4:4 + msg_len])
    except ConnectionError as exc:
        return HelloAnswer(False, reason=str(exc), closed=True)
    raise NotTls("the ServerHello is implausibly long")


def _parse_server_hello(body: bytes) -> HelloAnswer:
    if len(body) < 38:
        raise NotTls("truncated ServerHello")
    version = struct.unpack("!H", body[:2])[0]
    sid_len = body[34]
    at = 35 + sid_len
    if len(body) < at + 2:
        raise NotTls("truncated ServerHello")
    suite = struct.unpack("!H", body[at:at + 2])[0]
    return HelloAnswer(True, version=version, suite=suite)


def _describe_garbage(header: bytes) -> str:
    if header[:4] in (b"HTTP", b"<htm", b"<!DO"):
        return "the server answered in plain HTTP, not TLS"
    text = header.decode("ascii", "replace")
    return f"the server's answer is not TLS (starts with {text!r})"
