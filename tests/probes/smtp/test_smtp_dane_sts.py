"""DANE (TLSA at _25._tcp.<mx>) and MTA-STS coherence against real loopback SMTP servers."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import serialization

from cyberaudit.demo import certs

from .conftest import POLICY, Mx, context, tlsa_311

WRONG = "3 1 1 " + "ab" * 32


def test_tlsa_that_matches_the_served_key_passes(scan, ca):
    leaf = certs.issue(ca, ["mx.dane.test"])
    out, v, _ = scan("dane.test", [Mx("mx.dane.test", ("127.0.5.1",), tls=context(leaf), tlsa=(tlsa_311(leaf),))],
                     signed=True)
    assert v["MAIL-DANE"] == "pass" and v["MAIL-DANE-PUBLISHED"] == "pass"
    assert out.facts["servers"][0]["dane"] == "match"


def test_tlsa_that_matches_nothing_is_a_critical_failure(scan, ca, smtp_pack):
    leaf = certs.issue(ca, ["mx.stale.test"])
    out, v, _ = scan("stale.test", [Mx("mx.stale.test", ("127.0.5.2",), tls=context(leaf), tlsa=(WRONG,))],
                     signed=True)
    assert v["MAIL-DANE"] == "fail"
    assert next(r for r in smtp_pack.rules if r.id == "MAIL-DANE").model.severity == "critical"
    assert any("no TLSA record matches" in p for p in out.facts["dane"]["problems"])


def test_unsigned_tlsa_is_ignored_as_senders_ignore_it(scan, ca):
    leaf = certs.issue(ca, ["mx.unsigned.test"])
    out, v, _ = scan("unsigned.test", [Mx("mx.unsigned.test", ("127.0.5.3",), tls=context(leaf), tlsa=(WRONG,))],
                     signed=False)
    assert v["MAIL-DANE"] == "not_applicable" and out.facts["dane"]["present"] is False
    assert any("not DNSSEC-validated" in p for p in out.facts["dane"]["problems"])


def test_dane_ta_matches_the_served_intermediate_and_needs_the_mx_name(scan, ca):
    inter = certs.issue(ca, [], is_ca=True, common_name="Mail Intermediate CA")
    assert inter.cert is not None
    digest = hashlib.sha256(inter.cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    good = certs.issue(inter, ["mx.ta.test"])
    out, v, _ = scan("ta.test", [Mx("mx.ta.test", ("127.0.5.4",), tls=context(good), tlsa=(f"2 0 1 {digest}",))],
                     signed=True)
    assert v["MAIL-DANE"] == "pass", out.facts["dane"]
    other = certs.issue(inter, ["mx.other.test"])
    out, v, _ = scan("ta2.test", [Mx("mx.ta2.test", ("127.0.5.5",), tls=context(other),
                                     tlsa=(f"2 0 1 {digest}",))], signed=True)
    assert v["MAIL-DANE"] == "fail"


def test_mta_sts_enforce_with_a_mismatched_certificate_means_bounces(scan, ca):
    wrong = certs.issue(ca, ["shared.hosting.test"])
    out, v, _ = scan("sts.test", [Mx("mx.sts.test", ("127.0.6.1",), tls=context(wrong))], policy=POLICY)
    assert out.facts["mta_sts"]["enforced"] is True
    assert v["MAIL-MTA-STS-MX-MATCH"] == "fail" and v["MAIL-MX-CERT"] == "fail"
    assert any("not valid for the name mx.sts.test" in p for p in out.facts["mta_sts"]["problems"])


def test_mta_sts_enforce_with_matching_servers_passes_and_uncovered_mx_fails(scan, ca):
    good = certs.issue(ca, ["mx.sts.test"])
    out, v, _ = scan("sts.test", [Mx("mx.sts.test", ("127.0.6.2",), tls=context(good))], policy=POLICY)
    assert v["MAIL-MTA-STS-MX-MATCH"] == "pass"
    policy = POLICY.replace("mx.sts.test", "mx.other.test")
    out, v, _ = scan("sts.test", [Mx("mx.sts.test", ("127.0.6.3",), tls=context(good))], policy=policy)
    assert v["MAIL-MTA-STS-MX-MATCH"] == "fail"
    assert any("matches no mx: line" in p for p in out.facts["mta_sts"]["problems"])
