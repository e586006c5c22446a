"""The probe's own ClientHello against real servers: accepted, refused, garbage and silence."""

from __future__ import annotations

import socket
import time

import pytest
from tls_servers import HOST, RawServer, network_for, tls_server

from cyberaudit.demo.http_server import HttpServer, Route
from cyberaudit.probes.tls import hello, suites


def test_offer_reads_the_suite_the_server_picks(good):
    with tls_server(good.fullchain_pem, good.key_pem, ciphers="ECDHE-ECDSA-AES128-SHA") as srv:
        answer = hello.offer(network_for(srv.port, None), HOST, 443, suites.suites_in("cbc_sha1"), timeout=2)
    assert answer.accepted is True
    assert suites.name_of(answer.suite or 0) == "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
    assert answer.version == hello.TLS1_2


def test_offer_of_nothing_acceptable_is_refused_with_the_alert(good):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        answer = hello.offer(network_for(srv.port, None), HOST, 443, suites.suites_in("rc4"), timeout=2)
    assert answer.accepted is False
    assert "handshake_failure" in answer.reason


def test_plain_http_answer_is_not_tls():
    with HttpServer({"/": Route(200, "hi")}) as srv, pytest.raises(hello.NotTls, match="plain HTTP"):
        hello.offer(network_for(srv.port, None), HOST, 443, [0x002F], timeout=2)


def test_silence_ends_at_the_timeout():
    def silent(conn: socket.socket) -> None:
        conn.recv(65536)
        time.sleep(3)

    with RawServer(silent) as srv:
        start = time.monotonic()
        with pytest.raises(hello.HelloTimeout):
            hello.offer(network_for(srv.port, None), HOST, 443, [0x002F], timeout=0.5)
        assert time.monotonic() - start < 2.5  # the server would have kept us 3 s


def test_suite_classes():
    assert suites.classes_of("RSA_WITH_3DES_EDE_CBC_SHA") == {"des", "no_forward_secrecy"}
    assert suites.classes_of("ECDHE_RSA_WITH_AES_128_CBC_SHA") == {"cbc_sha1"}
    assert suites.classes_of("DH_anon_EXPORT_WITH_RC4_40_MD5") == {"anon", "export", "rc4"}
    assert suites.classes_of("ECDHE_RSA_WITH_AES_128_GCM_SHA256") == frozenset()
    assert suites.classes_of("RSA_WITH_AES_128_GCM_SHA256") == {"no_forward_secrecy"}
