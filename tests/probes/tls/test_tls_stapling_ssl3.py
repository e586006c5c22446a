"""OCSP stapling (a pyOpenSSL server that staples a real OCSP response) and SSL 3.0 detection."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import struct

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from OpenSSL import SSL
from tls_servers import HOST, RawServer, judge, network_for, probe, tls_server

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import server_context


def _ocsp_response(leaf, ca) -> bytes:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (ocsp.OCSPResponseBuilder()
               .add_response(cert=leaf.cert, issuer=ca.cert, algorithm=hashes.SHA256(),
                             cert_status=ocsp.OCSPCertStatus.GOOD, this_update=now,
                             next_update=now + dt.timedelta(days=1), revocation_time=None,
                             revocation_reason=None)
               .responder_id(ocsp.OCSPResponderEncoding.HASH, ca.cert))
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _stapling_server(leaf, ca):
    staple = _ocsp_response(leaf, ca)
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.use_certificate(leaf.cert)  # type: ignore[arg-type]
    ctx.use_privatekey(leaf.key)  # type: ignore[arg-type]
    ctx.set_ocsp_server_callback(lambda conn, data: staple)

    def serve(conn: socket.socket) -> None:
        conn.settimeout(None)
        tls = SSL.Connection(ctx, conn)
        tls.set_accept_state()
        try:
            tls.do_handshake()
            tls.recv(1)
        except SSL.Error:
            pass

    return RawServer(serve)


def test_stapled_ocsp_response_passes(ca, bundle, tls_pack):
    leaf = certs.issue(ca, [HOST])
    with _stapling_server(leaf, ca) as srv:
        v = judge(tls_pack, probe(network_for(srv.port, bundle)))
    assert v.output.facts["ocsp_stapled"] is True
    assert v["TLS-OCSP-STAPLING"] == "pass"
    assert v["TLS-CERT-TRUSTED"] == "pass"


def test_no_staple_fails_the_stapling_rule(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        v = judge(tls_pack, probe(network_for(srv.port, bundle)))
    assert v.output.facts["ocsp_stapled"] is False
    assert v["TLS-OCSP-STAPLING"] == "fail"


def _ssl3_server_hello() -> bytes:
    body = struct.pack("!H", 0x0300) + bytes(32) + b"\x00" + struct.pack("!H", 0x002F) + b"\x00"
    handshake = b"\x02" + struct.pack("!I", len(body))[1:] + body
    return b"\x16" + struct.pack("!HH", 0x0300, len(handshake)) + handshake


def test_server_agreeing_to_ssl3_fails_legacy(good, bundle, tls_pack):
    """No OpenSSL here will serve SSL 3.0, so this server answers SSL 3.0 hellos by hand, as an
    old server does, and hands every other connection to a normal TLS stack."""
    modern = server_context(good.fullchain_pem, good.key_pem)

    def serve(conn: socket.socket) -> None:
        head = conn.recv(11, socket.MSG_PEEK)
        if len(head) == 11 and head[0] == 0x16 and head[9:11] == b"\x03\x00":
            conn.recv(65536)
            conn.sendall(_ssl3_server_hello())
            conn.recv(1)
            return
        with contextlib.suppress(OSError):
            modern.wrap_socket(conn, server_side=True).recv(1)

    with RawServer(serve) as srv:
        v = judge(tls_pack, probe(network_for(srv.port, bundle)))
    facts = v.output.facts
    if facts["ssl3"]["method"] == "handshake":
        pytest.skip("the linked OpenSSL speaks SSL 3.0 itself; a hand-made ServerHello cannot finish its handshake")
    assert facts["protocols"]["ssl3"] is True
    assert facts["protocols"]["tls1_0"] is False
    assert v["TLS-PROTOCOL-LEGACY"] == "fail"
    assert any("ssl3" in r for r in v.reasons["TLS-PROTOCOL-LEGACY"])
