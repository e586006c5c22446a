"""One SMTP session on one MX address, up to and through STARTTLS: connect, greeting, EHLO, STARTTLS.

Shared by the first connection (which reads the certificate) and the connections that ask about one
TLS version each, so every connection says the same commands and is bounded the same way.
"""

from __future__ import annotations

import contextlib
import socket

from OpenSSL import SSL

from cyberaudit.errors import ProbeError
from cyberaudit.probes.base import ProbeContext
from cyberaudit.probes.smtp.dialogue import Dialogue, Reply, SmtpFailure, ehlo_name, extensions
from cyberaudit.probes.tls.handshake import Handshake, upgrade

MIN_STEP = 0.05  # seconds: below this, a step is not worth starting before the deadline


class Session:
    """A connected SMTP client; `commands` counts what was sent, `banner` is the greeting once read."""

    def __init__(self, ctx: ProbeContext, address: str, port: int) -> None:
        if ctx.remaining() < MIN_STEP:
            raise SmtpFailure("the probe's deadline came before this server's turn")
        settings = ctx.network.settings
        try:
            self.sock: socket.socket = ctx.network.connect(
                address, port, timeout=min(settings.connect_timeout, ctx.remaining()))
        except ProbeError as exc:
            if "refused" in str(exc).lower():
                raise SmtpFailure(f"the server refused the connection on port {port}") from None
            raise
        self.ctx = ctx
        self.port = port
        self.talk = Dialogue(self.sock, timeout=settings.read_timeout, end=ctx.deadline)
        self.banner: Reply | None = None
        self.conn: SSL.Connection | None = None

    @property
    def commands(self) -> int:
        return self.talk.commands

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def greet(self) -> bool:
        """Read the 220 greeting and send EHLO; whether STARTTLS is offered."""
        banner = self.talk.read_reply("the greeting (banner)")
        self.banner = banner
        if banner.code != 220:
            raise SmtpFailure(f"the server greets with {banner.code} instead of 220: it does not accept "
                              f"mail sessions ({banner.text[:120]})")
        ehlo = self.talk.command(f"EHLO {ehlo_name(self.sock)}", "EHLO")
        if ehlo.code != 250:
            raise SmtpFailure(f"the server refused EHLO ({ehlo.code} {ehlo.text[:120]})")
        return "STARTTLS" in extensions(ehlo)

    def starttls(self, mx: str, protocol: str | None = None) -> Handshake:
        """STARTTLS, then a handshake at `protocol` (None: any TLS version). SmtpFailure when the
        server refuses the command or the deadline leaves no time; a failed handshake is returned."""
        reply = self.talk.command("STARTTLS", "STARTTLS")
        if reply.code != 220:
            raise SmtpFailure(f"the server offers STARTTLS but answers {reply.code} to it ({reply.text[:120]})")
        left = min(self.ctx.network.settings.read_timeout, self.ctx.remaining())
        if left < MIN_STEP:
            raise SmtpFailure("the probe's deadline came before the TLS handshake")
        shake, self.conn = upgrade(self.sock, mx, timeout=left, protocol=protocol)
        return shake

    def quit(self) -> None:
        """QUIT, best effort (over TLS once it is up): the verdicts are already in."""
        if self.conn is None:
            with contextlib.suppress(SmtpFailure):
                self.talk.command("QUIT", "QUIT")
            return
        self.talk.commands += 1
        with contextlib.suppress(SSL.Error, OSError):
            self.conn.send(b"QUIT\r\n")
        with contextlib.suppress(SSL.Error, OSError):
            self.conn.shutdown()
