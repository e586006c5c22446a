"""A small authoritative DNS responder over UDP and TCP on loopback, built on dnspython.

Zones are plain dicts: {"example.org": {"TXT": ["v=spf1 -all"], "MX": ["10 mx.example.org."]}}.
It answers NXDOMAIN for names that do not exist and NODATA (NOERROR, empty) for names that exist
without the asked type, including empty non-terminals, as a real authoritative server does.
Names in `silent` are never answered (a server that times out); a (name, type) pair there silences
only that type. Names in `servfail` get SERVFAIL.
"""

from __future__ import annotations

import ipaddress
import socket
import socketserver
import struct
import threading
from collections.abc import Iterable, Mapping

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

Zone = Mapping[str, Mapping[str, Iterable[str]]]


def _check_loopback(host: str) -> None:
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"loopback servers bind to 127.0.0.0/8 or ::1 only, not {host}")


def txt(value: str) -> str:
    """A TXT rdata in zone-file form; long values are split into 255-byte strings."""
    raw = value.encode()
    chunks = [raw[i:i + 255] for i in range(0, len(raw), 255)] or [b""]
    return " ".join('"' + c.decode().replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)


class DnsResponder:
    """Serves `zone` on host:port (port 0 picks a free one) until stopped."""

    def __init__(self, zone: Zone, host: str = "127.0.0.1", port: int = 0, *,
                 silent: Iterable[str | tuple[str, str]] = (), servfail: Iterable[str] = (), signed: bool = False,
                 ttl: int = 300) -> None:
        _check_loopback(host)
        self.host = host
        self.ttl = ttl
        self.signed = signed
        self.silent = {self._norm(n) for n in silent if isinstance(n, str)}
        self.silent_types = {(self._norm(n[0]), dns.rdatatype.from_text(n[1]))
                             for n in silent if not isinstance(n, str)}
        self.servfail = {self._norm(n) for n in servfail}
        self.records: dict[str, dict[int, list[str]]] = {}
        for name, types in zone.items():
            node = self.records.setdefault(self._norm(name), {})
            for rdtype, values in types.items():
                if isinstance(values, str):
                    values = [values]
                node.setdefault(dns.rdatatype.from_text(rdtype), []).extend(values)
        self.queries: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        responder = self

        class Udp(socketserver.ThreadingUDPServer):
            address_family = family
            allow_reuse_address = True
            daemon_threads = True

        class Tcp(socketserver.ThreadingTCPServer):
            address_family = family
            allow_reuse_address = True
            daemon_threads = True

        class UdpHandler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data, sock = self.request
                reply = responder.answer(data, max_size=responder._udp_limit(data))
                if reply is not None:
                    sock.sendto(reply, self.client_address)

        class TcpHandler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(5)
                try:
                    while True:
                        head = self._read(2)
                        if not head:
                            return
                        (length,) = struct.unpack("!H", head)
                        reply = responder.answer(self._read(length), max_size=65535)
                        if reply is None:
                            return
                        self.request.sendall(struct.pack("!H", len(reply)) + reply)
                except OSError:
                    return

            def _read(self, n: int) -> bytes:
                buf = b""
                while len(buf) < n:
                    chunk = self.request.recv(n - len(buf))
                    if not chunk:
                        return b""
                    buf += chunk
                return buf

        # A free UDP port may be taken for TCP by another process: pick again rather than fail.
        for attempt in range(50):
            self._udp = Udp((host, port), UdpHandler)
            self.port = self._udp.server_address[1]
            try:
                self._tcp = Tcp((host, self.port), TcpHandler)
                break
            except OSError:
                self._udp.server_close()
                if port or attempt == 49:
                    raise
        self._threads: list[threading.Thread] = []

    @staticmethod
    def _norm(name: str) -> str:
        return name.rstrip(".").lower()

    @property
    def address(self) -> str:
        """ADDR:PORT for --nameserver."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def start(self) -> DnsResponder:
        for server in (self._udp, self._tcp):
            t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for server in (self._udp, self._tcp):
            server.shutdown()
            server.server_close()

    def __enter__(self) -> DnsResponder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @staticmethod
    def _udp_limit(data: bytes) -> int:
        try:
            query = dns.message.from_wire(data)
        except Exception:
            return 512
        return max(512, query.payload) if query.edns >= 0 else 512

    def answer(self, data: bytes, max_size: int = 512) -> bytes | None:
        """The wire reply to a wire query, or None to stay silent."""
        try:
            query = dns.message.from_wire(data)
        except Exception:
            return None
        if not query.question:
            return None
        q = query.question[0]
        # Plain label text, so that zone names holding spaces or other zone-file specials match.
        qname = self._norm(".".join(label.decode("utf-8", "replace") for label in q.name.labels if label))
        with self._lock:
            self.queries.append((qname, dns.rdatatype.to_text(q.rdtype)))
        if qname in self.silent or (qname, q.rdtype) in self.silent_types:
            return None
        reply = dns.message.make_response(query)
        reply.flags |= dns.flags.AA
        if qname in self.servfail:
            reply.set_rcode(dns.rcode.SERVFAIL)
            return reply.to_wire()
        node = self.records.get(qname)
        if node is None:
            if not any(name.endswith("." + qname) for name in self.records):
                reply.set_rcode(dns.rcode.NXDOMAIN)
        else:
            values = node.get(q.rdtype)
            rdtype = q.rdtype
            if values is None and dns.rdatatype.CNAME in node and q.rdtype != dns.rdatatype.CNAME:
                values, rdtype = node[dns.rdatatype.CNAME], dns.rdatatype.CNAME
            if values:
                rrset = dns.rrset.from_text_list(q.name, self.ttl, dns.rdataclass.IN, rdtype, list(values))
                reply.answer.append(rrset)
        if self.signed and query.ednsflags & dns.flags.DO:
            reply.flags |= dns.flags.AD
        # Render in full, then truncate ourselves: dnspython would refuse past the client's EDNS size.
        wire = reply.to_wire(max_size=65535)
        if len(wire) > max_size:
            reply.answer = []
            reply.flags |= dns.flags.TC
            wire = reply.to_wire()
        return wire
