"""A bounded SMTP client dialogue: banner, EHLO, STARTTLS, QUIT, never a message.

Every reply is read against a deadline for the whole reply, not per byte, so a server that drips
one byte at a time cannot hold the probe; a reply that is not SMTP ends the dialogue with a reason.
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass

_REPLY_LINE = re.compile(rb"^([2-5]\d\d)([ -]?)(.*)$")
MAX_LINE = 4096  # RFC 5321 §4.5.3.1.5 allows 512; real servers stay far below this
MAX_LINES = 100


class SmtpFailure(Exception):
    """The dialogue could not go on; the message says why, in plain words."""


@dataclass(frozen=True)
class Reply:
    code: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " / ".join(self.lines)


class Dialogue:
    """One SMTP conversation over a connected socket, each step bounded by `timeout` and `end`."""

    def __init__(self, sock: socket.socket, *, timeout: float, end: float) -> None:
        self.sock = sock
        self.timeout = timeout
        self.end = end  # monotonic time by which everything must be done (the probe's deadline)
        self.commands = 0
        self._buf = b""

    def _step_end(self) -> float:
        return min(time.monotonic() + self.timeout, self.end)

    def read_reply(self, what: str) -> Reply:
        end = self._step_end()
        start = time.monotonic()
        lines: list[str] = []
        code = None
        while True:
            raw = self._line(end, what, start)
            m = _REPLY_LINE.match(raw)
            if m is None or (code is not None and int(m.group(1)) != code):
                shown = raw[:60].decode("latin-1").encode("unicode_escape").decode()
                raise SmtpFailure(f"the server answered {what} with something that is not SMTP: {shown!r}")
            code = int(m.group(1))
            text = m.group(3).decode("utf-8", "replace").strip()
            lines.append("".join(ch if ch.isprintable() else "?" for ch in text))  # server text reaches reports
            if len(lines) > MAX_LINES:
                raise SmtpFailure(f"the server's reply to {what} went on for more than {MAX_LINES} lines")
            if m.group(2) != b"-":
                return Reply(code, tuple(lines))

    def _line(self, end: float, what: str, start: float) -> bytes:
        while b"\n" not in self._buf:
            if len(self._buf) > MAX_LINE:
                raise SmtpFailure(f"the server's reply to {what} has a line longer than {MAX_LINE} bytes")
            left = end - time.monotonic()
            if left <= 0:
                raise SmtpFailure(self._late(what, start))
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                raise SmtpFailure(self._late(what, start)) from None
            except OSError as exc:
                raise SmtpFailure(f"the connection broke while waiting for {what} ({exc.strerror or exc})") from None
            if not data:
                raise SmtpFailure(f"the server closed the connection instead of answering {what}")
            self._buf += data
        line, _, self._buf = self._buf.partition(b"\n")
        return line.rstrip(b"\r")

    def _late(self, what: str, start: float) -> str:
        took = time.monotonic() - start
        if self._buf:
            return (f"the server sent only {len(self._buf)} bytes of {what} in {took:.1f}s "
                    f"(a slow drip, not a full answer)")
        if time.monotonic() >= self.end:
            return f"the probe's deadline came before {what}"
        return f"the server sent nothing in {took:.1f}s while the probe waited for {what}"

    def command(self, text: str, what: str) -> Reply:
        if self._buf:
            # RFC 5321 forbids pipelining before EHLO advertises it: bytes here are the server's mistake
            raise SmtpFailure(f"the server sent unexpected data before {what}")
        self.commands += 1
        try:
            self.sock.settimeout(max(0.05, self._step_end() - time.monotonic()))
            self.sock.sendall(text.encode("ascii") + b"\r\n")
        except OSError as exc:
            raise SmtpFailure(f"the connection broke while sending {text.split()[0]} "
                              f"({exc.strerror or exc})") from None
        return self.read_reply(what)


def ehlo_name(sock: socket.socket) -> str:
    """Our own address as an address literal (RFC 5321 §4.1.3): honest, and needs no DNS name."""
    addr = sock.getsockname()[0]
    return f"[IPv6:{addr}]" if ":" in addr else f"[{addr}]"


def extensions(reply: Reply) -> frozenset[str]:
    """The EHLO keywords (the first line is the greeting)."""
    return frozenset(line.split()[0].upper() for line in reply.lines[1:] if line.split())
