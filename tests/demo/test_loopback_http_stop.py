"""HttpServer.stop() ends kept-alive connections, so no handler thread outlives the server."""

from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_stop_ends_a_connection_the_client_never_closes(tls: bool) -> None:
    context = None
    if tls:
        ca = certs.make_ca()
        leaf = certs.issue(ca, ["127.0.0.1"])
        context = server_context(leaf.fullchain_pem, leaf.key_pem)
    before = set(threading.enumerate())
    server = HttpServer({"/": Route(200, "hello")}, tls=context).start()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=2)
    client: socket.socket = raw
    if tls:
        ctx = ssl.create_default_context(cadata=ca.cert_pem.decode())
        client = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    try:
        client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        assert b"hello" in _read_until(client, b"hello")
        assert set(threading.enumerate()) - before  # the handler waits for the next request
        started = time.monotonic()
        server.stop()
        deadline = time.monotonic() + 2
        while set(threading.enumerate()) - before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert set(threading.enumerate()) - before == set()
        assert time.monotonic() - started < 2  # not the 10 s TLS read timeout, not forever
    finally:
        client.close()


def _read_until(sock: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data
