"""Servers that stall, reset or do not speak TLS end as errors within the timeout, never as a pass."""

from __future__ import annotations

import contextlib
import socket
import struct
import time

import pytest
from tls_servers import HOST, TLS1, TLS1_2, RawServer, judge, network_for, probe, tls_server

from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.errors import ProbeError

SHORT = 1.0  # per connect and handshake; hostile servers must not cost more


def _silent(conn: socket.socket) -> None:
    conn.settimeout(10)
    try:
        conn.recv(65536)  # read the ClientHello, answer nothing
        time.sleep(8)
    except OSError:
        pass


def _reset(conn: socket.socket) -> None:
    conn.recv(65536)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()  # RST in the middle of the handshake


def test_silent_server_is_a_probe_error_within_the_timeout():
    with RawServer(_silent) as srv:
        start = time.monotonic()
        with pytest.raises(ProbeError, match="no TLS answer in time"):
            probe(network_for(srv.port, None, timeout=SHORT))
        elapsed = time.monotonic() - start
    assert elapsed < SHORT + 5  # bounded, not hanging: slack for a loaded CI machine
    assert srv.connections == 1  # it stops at the first silent handshake


def test_reset_during_handshake_is_a_probe_error():
    with RawServer(_reset) as srv:
        start = time.monotonic()
        with pytest.raises(ProbeError, match="no TLS handshake succeeded.*closed the connection"):
            probe(network_for(srv.port, None, timeout=SHORT))
        assert time.monotonic() - start < 3 * SHORT + 5


def test_plain_http_on_the_tls_port_is_a_probe_error():
    with HttpServer({"/": Route(200, "hello")}) as srv:
        start = time.monotonic()
        with pytest.raises(ProbeError, match="not in TLS"):
            probe(network_for(srv.port, None, timeout=SHORT))
        assert time.monotonic() - start < 2 * SHORT + 5


def test_refused_connection_is_a_probe_error():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(ProbeError, match="cannot connect"):
        probe(network_for(port, None, timeout=SHORT))


def test_server_silent_after_one_handshake_gives_errors_not_passes(good, bundle, tls_pack):
    """TLS 1.3 works, every later connection stalls: the legacy and cipher rules must read `error`."""
    ctx = server_context(good.fullchain_pem, good.key_pem)

    def first_only(conn: socket.socket) -> None:
        if first_only.served:  # type: ignore[attr-defined]
            _silent(conn)
            return
        first_only.served = True  # type: ignore[attr-defined]
        tls = ctx.wrap_socket(conn, server_side=True)
        tls.recv(1)

    first_only.served = False  # type: ignore[attr-defined]
    with RawServer(first_only) as srv:
        start = time.monotonic()
        out = probe(network_for(srv.port, bundle, timeout=0.4), deadline=2.5)
        elapsed = time.monotonic() - start
    v = judge(tls_pack, out)
    assert elapsed < 4.5  # the deadline, with slack for a loaded machine
    assert out.facts["protocols"]["tls1_3"] is True
    assert out.facts["protocols"]["tls1_0"] is None
    assert "tls.protocols.tls1_0" in out.errors
    assert v["TLS-PROTOCOL-LEGACY"] == "error"
    assert v["TLS-CIPHER-WEAK"] == "error"
    assert v["TLS-FORWARD-SECRECY"] == "error"
    assert v["TLS-PROTOCOL-TLS13"] == "pass"
    assert v["TLS-CERT-TRUSTED"] == "pass"


def test_deadline_bounds_the_whole_probe(good, bundle):
    """With a slow server and a short probe deadline, the probe stops starting handshakes."""
    ctx = server_context(good.fullchain_pem, good.key_pem)

    def tls_then_silence(conn: socket.socket) -> None:
        if tls_then_silence.served:  # type: ignore[attr-defined]
            _silent(conn)
            return
        tls_then_silence.served = True  # type: ignore[attr-defined]
        ctx.wrap_socket(conn, server_side=True).recv(1)

    tls_then_silence.served = False  # type: ignore[attr-defined]
    with RawServer(tls_then_silence) as srv:
        start = time.monotonic()
        out = probe(network_for(srv.port, bundle, timeout=5.0), deadline=1.0)
        elapsed = time.monotonic() - start
    assert elapsed < 4.0  # well under the 5 s handshake timeout: the 1 s deadline ruled
    assert any("deadline" in reason for reason in out.errors.values())


def test_good_server_through_the_same_helpers_has_no_errors(good, bundle):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        out = probe(network_for(srv.port, bundle, timeout=SHORT))
    assert out.errors == {}
    assert out.facts["cert"]["sans"] == [HOST]


def test_connection_limit_after_two_handshakes_gives_errors_not_refusals(rsa_good, bundle, tls_pack):
    """A server with every version and weak suites that closes, without an alert, every connection
    after the second (a per-address connection limiter): the closes are not refusals."""
    ctx = server_context(rsa_good.fullchain_pem, rsa_good.key_pem, minimum=TLS1, ciphers="ALL:@SECLEVEL=0")

    def limited(conn: socket.socket) -> None:
        limited.count += 1  # type: ignore[attr-defined]
        if limited.count > 2:  # type: ignore[attr-defined]
            conn.recv(65536)
            conn.close()  # a bare close, no alert
            return
        with contextlib.suppress(OSError):
            ctx.wrap_socket(conn, server_side=True).recv(1)

    limited.count = 0  # type: ignore[attr-defined]
    with RawServer(limited) as srv:
        out = probe(network_for(srv.port, bundle, timeout=SHORT))
    v = judge(tls_pack, out)
    assert out.facts["protocols"]["tls1_3"] is True
    assert out.facts["protocols"]["tls1_2"] is True
    assert out.facts["protocols"]["tls1_1"] is None
    assert out.facts["protocols"]["tls1_0"] is None
    assert "limit connections" in out.errors["tls.protocols.tls1_0"]
    assert v["TLS-PROTOCOL-LEGACY"] == "error"
    assert v["TLS-CIPHER-WEAK"] == "error"
    assert v["TLS-FORWARD-SECRECY"] == "error"
    assert v["TLS-PROTOCOL-TLS13"] == "pass"
    assert v["TLS-CERT-TRUSTED"] == "pass"


def test_same_server_without_the_limit_fails_the_legacy_rules(rsa_good, bundle, tls_pack):
    """The control case: every connection is served, and the rules fail as they should."""
    ctx = server_context(rsa_good.fullchain_pem, rsa_good.key_pem, minimum=TLS1, ciphers="ALL:@SECLEVEL=0")

    def serve(conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            ctx.wrap_socket(conn, server_side=True).recv(1)

    with RawServer(serve) as srv:
        out = probe(network_for(srv.port, bundle, timeout=SHORT))
    v = judge(tls_pack, out)
    assert out.facts["protocols"]["tls1_0"] is True
    assert v["TLS-PROTOCOL-LEGACY"] == "fail"
    assert v["TLS-CIPHER-WEAK"] == "fail"
    assert v["TLS-FORWARD-SECRECY"] == "fail"


def test_server_closing_only_old_versions_reads_them_as_refused(good, bundle, tls_pack):
    """TLS 1.0 and 1.1 end in a bare close while TLS 1.2 and 1.3 always work: the control handshake
    completes, so the closes are the server's way of refusing."""
    ctx = server_context(good.fullchain_pem, good.key_pem, minimum=TLS1_2)

    def picky(conn: socket.socket) -> None:
        hello = conn.recv(65536, socket.MSG_PEEK)
        body_version = hello[9:11] if len(hello) > 11 else b""  # ClientHello.client_version
        if body_version in (b"\x03\x01", b"\x03\x02"):
            conn.recv(65536)
            conn.close()
            return
        with contextlib.suppress(OSError):
            ctx.wrap_socket(conn, server_side=True).recv(1)

    with RawServer(picky) as srv:
        out = probe(network_for(srv.port, bundle, timeout=SHORT))
    v = judge(tls_pack, out)
    assert out.facts["protocols"]["tls1_0"] is False
    assert out.facts["protocols"]["tls1_1"] is False
    assert out.errors == {}
    assert v["TLS-PROTOCOL-LEGACY"] == "pass"
    assert v["TLS-CIPHER-WEAK"] == "pass"
    assert out.facts["protocols"]["tls1_3"] is True
    assert out.facts["handshakes"] == 9  # the usual 8, and one control for both closed versions
