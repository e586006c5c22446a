"""A small SMTP server on loopback for the demo's MX and the smtp probe tests: real STARTTLS (ssl).

It speaks just enough SMTP for a sender's first steps (greeting, EHLO, STARTTLS, QUIT) and can
misbehave in the ways real servers do: no STARTTLS, a broken handshake, silence, a drip, garbage,
or (one_session) a limit of one session per client that greets every later connection with 421.
It accepts no mail: MAIL FROM and everything else get 502.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from typing import Literal

Mode = Literal["good", "no_starttls", "broken_tls", "silent", "drip", "garbage", "refuse_554", "absent",
               "one_session"]


class SmtpServer:
    """Serves one behaviour on 127.0.0.1:<port> until stopped; records the commands it received."""

    def __init__(self, mode: Mode = "good", tls: ssl.SSLContext | None = None, *, host: str = "127.0.0.1",
                 name: str = "mx.test", port: int = 0, greeting_delay: float = 0.0) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"loopback servers bind to 127.0.0.0/8 or ::1 only, not {host}")
        self.mode = mode
        self.tls = tls
        self.name = name
        self.greeting_delay = greeting_delay  # seconds before each greeting: a busy or tarpitting server
        self.commands: list[str] = []
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))  # port 25 for clients that cannot be told another
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.host = host
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> SmtpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        for c in self._conns:
            c.close()
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self._conns.append(conn)
            first = len(self._conns) == 1
            threading.Thread(target=self._handle, args=(conn, first), daemon=True).start()

    def _handle(self, conn: socket.socket, first: bool) -> None:
        conn.settimeout(10)
        try:
            if self.mode == "silent":
                self._stop.wait(30)
                return
            if self.mode == "drip":
                for b in f"220 {self.name} ESMTP ready\r\n".encode():
                    if self._stop.wait(0.3):
                        return
                    conn.sendall(bytes([b]))
                return
            if self.mode == "garbage":
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                return
            if self.mode == "one_session" and not first:
                conn.sendall(f"421 4.7.0 {self.name} too many connections from your address\r\n".encode())
                return
            if self.mode == "refuse_554":
                conn.sendall(f"554 {self.name} no SMTP service here\r\n".encode())
                return
            if self._stop.wait(self.greeting_delay):
                return
            conn.sendall(f"220 {self.name} ESMTP ready\r\n".encode())
            self._talk(conn, plain=True)
        except (OSError, ssl.SSLError):
            pass

    def _talk(self, conn: socket.socket, plain: bool) -> None:
        buf = b""
        while True:
            while b"\n" not in buf:
                data = conn.recv(4096)
                if not data:
                    return
                buf += data
            line, _, buf = buf.partition(b"\n")
            cmd = line.decode("latin-1").strip()
            self.commands.append(cmd)
            verb = cmd.split()[0].upper() if cmd else ""
            if verb == "EHLO":
                exts = ["PIPELINING", "SIZE 35882577", "8BITMIME"]
                if plain and self.mode != "no_starttls":
                    exts.append("STARTTLS")
                lines = [self.name, *exts]
                conn.sendall("".join(f"250{'-' if i < len(lines) - 1 else ' '}{t}\r\n"
                                     for i, t in enumerate(lines)).encode())
            elif verb == "STARTTLS" and plain:
                conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                if self.mode == "broken_tls" or self.tls is None:
                    time.sleep(0.05)
                    conn.sendall(b"\x15\x03\x01\x00\x02\x02\x28")  # a handshake_failure alert, then close
                    return
                tls = self.tls.wrap_socket(conn, server_side=True)
                self._talk(tls, plain=False)
                return
            elif verb == "QUIT":
                conn.sendall(b"221 2.0.0 Bye\r\n")
                return
            else:
                conn.sendall(b"502 5.5.2 Command not recognised\r\n")
