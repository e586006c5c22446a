"""Protocol versions and cipher-suite classes, each rule on a server where it passes and one where it fails."""

from __future__ import annotations

import pytest
from tls_servers import TLS1, TLS1_1, TLS1_2, TLS1_3, judge, probe_server, tls_server

from cyberaudit.probes.tls.handshake import library_protocols

# old versions are the point of these servers
pytestmark = pytest.mark.filterwarnings("ignore:ssl.TLSVersion:DeprecationWarning")


def test_modern_server_passes_protocol_and_cipher_rules(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    for rule in ("TLS-PROTOCOL-LEGACY", "TLS-PROTOCOL-TLS13", "TLS-CIPHER-WEAK", "TLS-FORWARD-SECRECY",
                 "TLS-CIPHER-CBC-SHA1"):
        assert v[rule] == "pass", (rule, v.reasons[rule])
    facts = v.output.facts
    assert facts["protocols"] == {"ssl3": False, "tls1_0": False, "tls1_1": False, "tls1_2": True,
                                  "tls1_3": True}
    assert facts["negotiated"]["tls1_3"]["suite"].startswith("TLS_")
    assert facts["negotiated"]["tls1_3"]["group"]
    assert "ECDHE" in facts["negotiated"]["tls1_2"]["suite"]
    assert v.output.errors == {}
    # the handshake budget stated in the docs: 5 full or SSL 3.0 attempts, 3 cipher-class offers
    assert facts["handshakes"] == 8


def test_tls_1_0_and_1_1_enabled_fail_legacy(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem, minimum=TLS1,
                    ciphers="ECDHE+AESGCM:ECDHE+AES:@SECLEVEL=0") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v.output.facts["protocols"]["tls1_0"] is True
    assert v.output.facts["protocols"]["tls1_1"] is True
    assert v["TLS-PROTOCOL-LEGACY"] == "fail"
    assert any("tls1_0" in r for r in v.reasons["TLS-PROTOCOL-LEGACY"])


def test_tls_1_1_alone_fails_legacy(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem, minimum=TLS1_1, maximum=TLS1_1,
                    ciphers="ECDHE+AES:@SECLEVEL=0") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v.output.facts["protocols"] == {"ssl3": False, "tls1_0": False, "tls1_1": True, "tls1_2": False,
                                           "tls1_3": False}
    assert v["TLS-PROTOCOL-LEGACY"] == "fail"
    assert v["TLS-PROTOCOL-TLS13"] == "fail"


def test_tls12_only_server_fails_tls13(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem, maximum=TLS1_2) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-PROTOCOL-TLS13"] == "fail"
    assert v["TLS-PROTOCOL-LEGACY"] == "pass"
    assert v.output.facts["negotiated"]["tls1_3"] == {"suite": None, "group": None}


def test_tls13_only_server_needs_no_cipher_offers(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem, minimum=TLS1_3) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-PROTOCOL-TLS13"] == "pass"
    assert v["TLS-CIPHER-WEAK"] == "pass"
    assert v["TLS-FORWARD-SECRECY"] == "pass"
    assert v.output.facts["handshakes"] == 5


def test_null_and_anonymous_suites_fail_cipher_weak(good, bundle, tls_pack):
    # the server prefers its own order, so the probe must ask class by class to see both
    with tls_server(good.fullchain_pem, good.key_pem, maximum=TLS1_2,
                    ciphers="ECDHE+AESGCM:aECDH:eNULL:@SECLEVEL=0") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    ciphers = v.output.facts["ciphers"]
    assert ciphers["null"] is True
    assert ciphers["anon"] is True
    assert ciphers["rc4"] is False and ciphers["des"] is False and ciphers["export"] is False
    assert len(ciphers["accepted_weak"]) == 2
    assert v["TLS-CIPHER-WEAK"] == "fail"


def test_rsa_key_exchange_fails_forward_secrecy(rsa_good, bundle, tls_pack):
    with tls_server(rsa_good.fullchain_pem, rsa_good.key_pem, maximum=TLS1_2,
                    ciphers="ECDHE+AESGCM:AES128-GCM-SHA256") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v.output.facts["ciphers"]["forward_secrecy"] is False
    assert v.output.facts["ciphers"]["accepted_without_fs"] == "TLS_RSA_WITH_AES_128_GCM_SHA256"
    assert v["TLS-FORWARD-SECRECY"] == "fail"
    assert v["TLS-CIPHER-WEAK"] == "pass"


def test_rsa_server_with_ecdhe_only_passes_forward_secrecy(rsa_good, bundle, tls_pack):
    with tls_server(rsa_good.fullchain_pem, rsa_good.key_pem, ciphers="ECDHE+AESGCM") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-FORWARD-SECRECY"] == "pass"


def test_cbc_sha1_suite_fails_the_cbc_rule(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem, ciphers="ECDHE+AESGCM:ECDHE-ECDSA-AES128-SHA") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v.output.facts["ciphers"]["cbc_sha1"] is True
    assert v["TLS-CIPHER-CBC-SHA1"] == "fail"
    assert v["TLS-CIPHER-WEAK"] == "pass"


def test_ssl3_is_reported_with_how_it_was_tested(good, bundle):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        facts = probe_server(srv, bundle).facts
    can, _ = library_protocols()["ssl3"]
    assert facts["ssl3"]["library_support"] is can
    assert facts["ssl3"]["method"] == ("handshake" if can else "server_hello")
    if not can:
        assert "cannot speak SSL 3.0" in facts["ssl3"]["note"]
    assert facts["protocols"]["ssl3"] is False


def test_legacy_server_stays_within_the_handshake_budget(rsa_good, bundle):
    with tls_server(rsa_good.fullchain_pem, rsa_good.key_pem, minimum=TLS1, ciphers="ALL:@SECLEVEL=0") as srv:
        facts = probe_server(srv, bundle).facts
    # anon is picked first, then null, export, rc4 and des are each asked once: 5 + 5 + 2
    assert facts["handshakes"] == 12
    assert facts["ciphers"]["anon"] is True and facts["ciphers"]["forward_secrecy"] is False
