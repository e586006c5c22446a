"""An HTTP(S) server on loopback that serves a fixed table of responses."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cyberaudit.demo.dns_server import _check_loopback


@dataclass(frozen=True)
class Route:
    """A canned response. `headers` may repeat a name (several Set-Cookie)."""

    status: int = 200
    body: bytes | str = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)

    def body_bytes(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else self.body


Handler = Callable[[str, Mapping[str, str]], Route]


@dataclass
class HttpServer:
    """Serves `routes` (path → Route, or a callable) on host:port; TLS when `tls` is given."""

    routes: Mapping[str, Route | Handler] = field(default_factory=dict)
    tls: ssl.SSLContext | None = None
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_loopback(self.host)
        outer = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "loopback"
            sys_version = ""

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self, send_body: bool) -> None:
                path = urlsplit(self.path).path or "/"
                outer.requests.append((self.command, self.path, dict(self.headers.items())))
                route = outer.routes.get(self.path) or outer.routes.get(path)
                if callable(route):
                    route = route(self.path, dict(self.headers.items()))
                if route is None:
                    route = Route(404, "not found", (("Content-Type", "text/plain"),))
                body = route.body_bytes()
                self.send_response(route.status)
                for name, value in route.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                self._serve(True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._serve(False)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self._serve(True)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def get_request(self):  # type: ignore[no-untyped-def]
                sock, addr = super().get_request()
                # headers and body go out in two writes: with Nagle's algorithm the second waits for
                # the client's delayed ACK (40 ms a response on Linux), which no real web server costs
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if outer.tls is not None:
                    sock.settimeout(10)
                    # the handshake happens in the handler thread, so a stalled client blocks no one
                    sock = outer.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
                with outer._open_lock:
                    outer._open.add(sock)
                return sock, addr

            def shutdown_request(self, request):  # type: ignore[no-untyped-def]
                with outer._open_lock:
                    outer._open.discard(request)
                super().shutdown_request(request)

            def finish_request(self, request, client_address):  # type: ignore[no-untyped-def]
                if outer.tls is not None:
                    try:
                        request.do_handshake()
                    except (ssl.SSLError, OSError):
                        return
                super().finish_request(request, client_address)

            def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
                pass

        if ":" in self.host:
            Server.address_family = socket.AF_INET6
        self._open: set[socket.socket] = set()  # accepted connections not yet closed
        self._open_lock = threading.Lock()
        self._server = Server((self.host, self.port), RequestHandler)
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, then end open connections: a kept-alive one would hold its thread until
        the client closes it, which an abandoned client may never do."""
        self._server.shutdown()
        with self._open_lock:
            still_open = list(self._open)
        for sock in still_open:
            with contextlib.suppress(OSError):  # the client may have closed it meanwhile
                sock.shutdown(socket.SHUT_RDWR)
        self._server.server_close()

    def __enter__(self) -> HttpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def server_context(cert_pem: bytes, key_pem: bytes, *, minimum: ssl.TLSVersion | None = None,
                   maximum: ssl.TLSVersion | None = None, ciphers: str | None = None) -> ssl.SSLContext:
    """A server-side SSLContext from PEM bytes (written to a private temp file for ssl's API)."""
    import os
    import tempfile

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if minimum is not None:
        ctx.minimum_version = minimum
    if maximum is not None:
        ctx.maximum_version = maximum
    if ciphers is not None:
        ctx.set_ciphers(ciphers)
    fd, path = tempfile.mkstemp(suffix=".pem", prefix="cyberaudit-loopback-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(cert_pem + key_pem)
        ctx.load_cert_chain(path)
    finally:
        os.unlink(path)
    return ctx
