"""The certificate rules, each on a server where it passes and one where it fails."""

from __future__ import annotations

import datetime as dt

from tls_servers import HOST, NOW, judge, probe, probe_server, resign_sha1, self_signed, tls_server

from cyberaudit.demo import certs
from cyberaudit.network import Network, NetworkSettings


def test_good_server_passes_every_certificate_rule(good, bundle, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    for rule in ("TLS-CERT-TRUSTED", "TLS-CERT-HOSTNAME", "TLS-CERT-NOT-EXPIRED", "TLS-CERT-EXPIRY-WINDOW",
                 "TLS-CERT-KEY-STRENGTH", "TLS-CERT-SIGNATURE"):
        assert v[rule] == "pass", (rule, v.reasons[rule])
    facts = v.output.facts
    assert facts["cert"]["sans"] == [HOST]
    assert facts["cert"]["key_type"] == "ec" and facts["cert"]["key_bits"] == 256
    assert facts["cert"]["signature_hash"] == "sha256"
    assert facts["chain_length"] == 2 and facts["intermediates_missing"] is False
    assert facts["chain"][1]["subject"].endswith("CN=Lakeside Test Intermediate CA")
    assert 198 <= facts["cert"]["days_remaining"] <= 200


def test_without_the_test_ca_the_chain_is_untrusted(good, tls_pack):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, None))  # certifi only
    assert v["TLS-CERT-TRUSTED"] == "fail"
    assert v.output.facts["trust_error"]
    # the name still matches: each rule reads one cause
    assert v["TLS-CERT-HOSTNAME"] == "pass"


def test_self_signed_certificate_is_not_trusted(bundle, tls_pack):
    leaf = self_signed([HOST])
    with tls_server(leaf.cert_pem, leaf.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-TRUSTED"] == "fail"
    assert v.output.facts["cert"]["self_signed"] is True
    assert v.output.facts["intermediates_missing"] is False


def test_missing_intermediate_is_untrusted_and_reported(good, bundle, tls_pack):
    with tls_server(good.cert_pem, good.key_pem) as srv:  # leaf only, no intermediate
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-TRUSTED"] == "fail"
    assert v.output.facts["intermediates_missing"] is True
    assert v.output.facts["chain_length"] == 1


def test_wrong_host_fails_hostname_but_stays_trusted(intermediate, bundle, tls_pack):
    leaf = certs.issue(intermediate, ["other.lakeside.test"])
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-HOSTNAME"] == "fail"
    assert v["TLS-CERT-TRUSTED"] == "pass"
    assert v.output.facts["hostname_match"] is False


def test_wildcard_for_another_domain_fails_hostname_but_stays_trusted(ca, bundle, tls_pack):
    leaf = certs.issue(ca, ["*.other.example"])
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-HOSTNAME"] == "fail"
    assert v["TLS-CERT-TRUSTED"] == "pass"
    assert v.output.facts["trust_error"] is None


def test_certificate_for_an_ip_only_fails_hostname_but_stays_trusted(intermediate, bundle, tls_pack):
    leaf = certs.issue(intermediate, ["192.0.2.7"])
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-HOSTNAME"] == "fail"
    assert v["TLS-CERT-TRUSTED"] == "pass"


def test_wildcard_matches_one_label(intermediate, bundle, tls_pack):
    leaf = certs.issue(intermediate, ["*.lakeside.test"])
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-HOSTNAME"] == "pass"


def test_expired_certificate(intermediate, bundle, tls_pack):
    # expired twelve hours ago: the test CA itself only dates from yesterday
    leaf = certs.issue(intermediate, [HOST], not_before=NOW - dt.timedelta(hours=20),
                       not_after=NOW - dt.timedelta(hours=12))
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-NOT-EXPIRED"] == "fail"
    assert v["TLS-CERT-EXPIRY-WINDOW"] == "fail"
    assert v.output.facts["cert"]["expired"] is True
    assert v.output.facts["cert"]["days_remaining"] < 0
    # expiry is its own finding, not an untrusted chain
    assert v["TLS-CERT-TRUSTED"] == "pass"


def test_not_yet_valid_certificate(intermediate, bundle, tls_pack):
    leaf = certs.issue(intermediate, [HOST], not_before=NOW + dt.timedelta(days=2),
                       not_after=NOW + dt.timedelta(days=90))
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-NOT-EXPIRED"] == "fail"
    assert v.output.facts["cert"]["not_yet_valid"] is True


def test_near_expiry_fails_the_window_and_the_parameter_moves_it(intermediate, bundle, tls_pack):
    leaf = certs.issue(intermediate, [HOST], days=10)
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        out = probe_server(srv, bundle)
    v = judge(tls_pack, out)
    assert v["TLS-CERT-EXPIRY-WINDOW"] == "fail"
    assert v["TLS-CERT-NOT-EXPIRED"] == "pass"
    assert judge(tls_pack, out, {"TLS-CERT-EXPIRY-WINDOW": {"days": 7}})["TLS-CERT-EXPIRY-WINDOW"] == "pass"


def test_rsa_1024_key_fails_key_strength(ca, bundle, tls_pack):
    leaf = certs.issue(ca, [HOST], key_type="rsa", key_size=1024)
    # the server must be allowed to use such a key at all: security level 0
    with tls_server(leaf.fullchain_pem, leaf.key_pem, ciphers="DEFAULT:@SECLEVEL=0") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v.output.facts["cert"]["key_type"] == "rsa" and v.output.facts["cert"]["key_bits"] == 1024
    assert v["TLS-CERT-KEY-STRENGTH"] == "fail"


def test_rsa_2048_key_passes_key_strength(rsa_good, bundle, tls_pack):
    with tls_server(rsa_good.fullchain_pem, rsa_good.key_pem) as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v["TLS-CERT-KEY-STRENGTH"] == "pass"
    assert v.output.facts["cert"]["key_bits"] == 2048


def test_sha1_signature_fails(ca, bundle, tls_pack):
    leaf = resign_sha1(certs.issue(ca, [HOST], key_type="rsa", key_size=2048), ca)
    with tls_server(leaf.fullchain_pem, leaf.key_pem, ciphers="DEFAULT:@SECLEVEL=0") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v.output.facts["cert"]["signature_hash"] == "sha1"
    assert v["TLS-CERT-SIGNATURE"] == "fail"


def test_sha1_signed_intermediate_fails(ca, bundle, tls_pack):
    inter = resign_sha1(certs.issue(ca, [], is_ca=True, common_name="Old SHA-1 Intermediate"), ca)
    leaf = certs.issue(inter, [HOST])
    with tls_server(leaf.cert_pem + inter.cert_pem, leaf.key_pem, ciphers="DEFAULT:@SECLEVEL=0") as srv:
        v = judge(tls_pack, probe_server(srv, bundle))
    assert v.output.facts["cert"]["signature_hash"] == "sha256"
    assert v.output.facts["chain"][1]["signature_hash"] == "sha1"
    assert v["TLS-CERT-SIGNATURE"] == "fail"


def test_ip_address_endpoint_matches_ip_san_only(intermediate, bundle, tls_pack):
    """An endpoint given as an IP sends no SNI and must match an IP subjectAltName."""
    for names, expected in ((["127.0.0.1"], "pass"), ([HOST], "fail")):
        leaf = certs.issue(intermediate, names)
        with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
            out = probe(Network(NetworkSettings(ca_bundle=bundle)), host="127.0.0.1", port=srv.port)
        assert judge(tls_pack, out)["TLS-CERT-HOSTNAME"] == expected, names


def test_resolve_override_keeps_the_name(good, bundle, tls_pack):
    """curl's --resolve HOST:PORT:ADDRESS: connect to ADDRESS, check the certificate against HOST."""
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        network = Network(NetworkSettings(resolve={(HOST, srv.port): "127.0.0.1"}, ca_bundle=bundle))
        v = judge(tls_pack, probe(network, port=srv.port))
    assert v["TLS-CERT-HOSTNAME"] == "pass" and v["TLS-CERT-TRUSTED"] == "pass"


def _messages(pack, output):  # type: ignore[no-untyped-def]
    import datetime as _dt

    from cyberaudit.evaluate import TargetFacts, evaluate_rule
    from cyberaudit.targets import Target

    tf = TargetFacts({"tls": output.facts}, output.errors, {}, frozenset())
    target = Target("endpoint", f"{HOST}:443")
    return {r.id: evaluate_rule(r, target, tf, r.default_params(), (), _dt.date.today()).message for r in pack.rules}


def test_an_expired_certificate_is_one_story_told_where_it_belongs(intermediate, bundle, tls_pack):
    leaf = certs.issue(intermediate, [HOST], not_before=NOW - dt.timedelta(hours=20),
                       not_after=NOW - dt.timedelta(hours=12))
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        messages = _messages(tls_pack, probe_server(srv, bundle))
    assert messages["TLS-CERT-NOT-EXPIRED"].startswith("The certificate expired on ")
    # never "expires in -1 days"
    assert messages["TLS-CERT-EXPIRY-WINDOW"].startswith("The certificate has already expired (on ")
    assert messages["TLS-CERT-EXPIRY-WINDOW"].endswith("see TLS-CERT-NOT-EXPIRED.")


def test_a_self_signed_certificate_is_called_self_signed(bundle, tls_pack):
    leaf = self_signed([HOST])
    with tls_server(leaf.cert_pem, leaf.key_pem) as srv:
        messages = _messages(tls_pack, probe_server(srv, bundle))
    assert messages["TLS-CERT-TRUSTED"].startswith("The server's certificate is self-signed")
