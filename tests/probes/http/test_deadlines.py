"""The probe's deadline holds at every stage of a fetch: connect, TLS handshake, headers, body."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import Network, NetworkSettings, NetworkTimeout

from .conftest import HOST, SITE, Listener, good_routes


class HandshakeDrip(Listener):
    """Relays a real TLS server, passing its bytes on 64 at a time every 0.2 s: reads never time out."""

    def __init__(self, backend_port: int) -> None:
        self.backend_port = backend_port
        super().__init__(self._relay)

    def _relay(self, client: socket.socket) -> None:
        server = socket.create_connection(("127.0.0.1", self.backend_port))
        threading.Thread(target=self._pipe, args=(client, server, 0), daemon=True).start()
        self._pipe(server, client, 0.2)

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, pause: float) -> None:
        try:
            while data := src.recv(64 if pause else 65536):
                dst.sendall(data)
                time.sleep(pause)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                s.close()


def test_a_handshake_never_answered_ends_at_the_deadline_not_the_read_timeout(site):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # TCP connects; the TLS handshake never gets an answer
        scan = site.scan(https=silent.getsockname()[1], timeout=5.0, deadline=1.5)
    assert scan.output is None and scan.error is not None
    assert scan.seconds < 3.0  # the 5 s read timeout was not waited for


def test_a_handshake_dripped_past_the_deadline_is_an_error_not_a_late_pass(site, pki):
    backend = HttpServer(routes=good_routes(), tls=server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem)).start()
    drip = HandshakeDrip(backend.port)
    try:
        scan = site.scan(https=drip.port, timeout=5.0, deadline=1.5)
    finally:
        drip.close()
        backend.stop()
    assert scan.output is None and scan.error is not None  # the certificate took ~5 s to arrive
    assert scan.seconds < 3.0


def test_a_fetch_that_starts_after_its_deadline_asks_nothing_of_the_server(pki):
    server = HttpServer(routes={"/": Route(200, "<p>late</p>")},
                        tls=server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem)).start()
    net = Network(NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", server.port)}, ca_bundle=pki.ca_file,
                                  connect_timeout=5.0, read_timeout=5.0))
    try:
        assert net.fetch(SITE).final.status == 200  # the same fetch in time is answered
        start = time.monotonic()
        with pytest.raises(NetworkTimeout, match="before the deadline"):
            net.fetch(SITE, deadline=time.monotonic() - 0.01)
        assert time.monotonic() - start < 1.0
        assert len(server.requests) == 1
    finally:
        server.stop()
