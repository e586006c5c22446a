"""The smtp probe against real SMTP servers on loopback: STARTTLS, certificates, versions, failures."""

from __future__ import annotations

import datetime as dt
import ssl

import pytest

from cyberaudit.demo import certs
from cyberaudit.probes.tls.handshake import library_protocols

from .conftest import NOW, Mx, context

SMTP_RULES = ("MAIL-MX-STARTTLS", "MAIL-MX-TLS-VERSIONS", "MAIL-MX-CERT")


def test_good_server_passes_and_never_sends_mail_from(scan, ca):
    leaf = certs.issue(ca, ["mx.good.test"])
    out, v, servers = scan("good.test", [Mx("mx.good.test", ("127.0.1.1",), tls=context(leaf))])
    assert {r: v[r] for r in SMTP_RULES} == dict.fromkeys(SMTP_RULES, "pass")
    (s,) = out.facts["servers"]
    assert s["status"] == "tls" and s["tls_version"] in ("TLSv1.2", "TLSv1.3") and s["trusted"]
    assert s["address"] == "127.0.1.1" and s["banner"].startswith("mx.good.test")
    seen = [c.split()[0].upper() for c in servers[0].commands]
    assert set(seen) == {"EHLO", "STARTTLS", "QUIT"} and len(seen) == out.facts["commands"]
    # the first connection at any version (1.3 here), then 1.2, 1.1 and 1.0 each on their own;
    # the server (Python's defaults) turns 1.0 and 1.1 down, so those connections end without QUIT
    assert s["protocols"] == {"tls1_0": False, "tls1_1": False, "tls1_2": True, "tls1_3": True}
    assert out.facts["handshakes"] == 4 and out.facts["connections"] == 4 and out.facts["commands"] == 10
    assert s["legacy_accepted"] == [] and s["forward_secrecy"] is True and s["weak_suites"] == []
    assert v["MAIL-DANE"] == "not_applicable" and v["MAIL-DANE-PUBLISHED"] == "fail"
    assert v["MAIL-MTA-STS-MX-MATCH"] == "not_applicable"


def test_starttls_not_offered_fails(scan):
    out, v, servers = scan("plain.test", [Mx("mx.plain.test", ("127.0.1.2",), mode="no_starttls")])
    assert v["MAIL-MX-STARTTLS"] == "fail"
    assert out.facts["starttls"]["missing"] == ["mx.plain.test (127.0.1.2)"]
    assert v["MAIL-MX-CERT"] == "not_applicable" and v["MAIL-MX-TLS-VERSIONS"] == "not_applicable"
    assert [c.split()[0] for c in servers[0].commands] == ["EHLO", "QUIT"]


def test_starttls_offered_then_handshake_fails_is_an_error(scan):
    out, v, _ = scan("broken.test", [Mx("mx.broken.test", ("127.0.1.3",), mode="broken_tls")])
    assert v["MAIL-MX-STARTTLS"] == "error"
    assert "TLS handshake failed" in out.errors["smtp.starttls"]
    assert v["MAIL-MX-CERT"] == "error"


@pytest.mark.parametrize("mode, words", [
    ("silent", "sent nothing"), ("drip", "slow drip"), ("garbage", "not SMTP"), ("refuse_554", "554"),
])
def test_hostile_servers_are_errors_never_passes(scan, mode, words):
    out, v, _ = scan(f"{mode.replace('_', '')}.test", [Mx(f"mx.{mode.replace('_', '')}.test", ("127.0.1.4",),
                                                          mode=mode)], read_timeout=1.5)
    assert v["MAIL-MX-STARTTLS"] == "error", out.facts["servers"]
    assert words in out.facts["servers"][0]["reason"]
    assert out.facts["servers"][0]["elapsed_ms"] < 4000


def test_refused_connection_is_an_error_and_a_known_failure_still_fails(scan, ca):
    out, v, _ = scan("refused.test", [Mx("mx.refused.test", ("127.0.1.5",), mode="absent")])
    assert v["MAIL-MX-STARTTLS"] == "error" and v["MAIL-MX-CERT"] == "error"
    assert "refused the connection" in out.facts["servers"][0]["reason"]
    plain = Mx("mx2.refused2.test", ("127.0.1.9",), mode="no_starttls")
    out, v, _ = scan("refused2.test", [Mx("mx1.refused2.test", ("127.0.1.8",), mode="absent"), plain])
    assert v["MAIL-MX-STARTTLS"] == "fail"  # the server known to lack STARTTLS decides


@pytest.mark.parametrize("kind", ["self_signed", "wrong_name", "expired"])
def test_bad_certificates_fail_the_cert_rule_only(scan, ca, kind):
    mx = f"mx.{kind.replace('_', '')}.test"
    if kind == "self_signed":
        root = certs.make_ca(mx)
        leaf = certs.Issued(root.cert_pem, root.key_pem, b"", root.cert, root.key)
    elif kind == "wrong_name":
        leaf = certs.issue(ca, ["mail.elsewhere.test"])
    else:
        leaf = certs.issue(ca, [mx], not_before=NOW - dt.timedelta(days=100), not_after=NOW - dt.timedelta(days=2))
    out, v, _ = scan(f"{kind.replace('_', '')}.test", [Mx(mx, ("127.0.1.6",), tls=context(leaf))])
    assert v["MAIL-MX-STARTTLS"] == "pass" and v["MAIL-MX-CERT"] == "fail"
    s = out.facts["tls_servers"][0]
    assert {"self_signed": s["cert"]["self_signed"] and not s["trusted"], "wrong_name": not s["hostname_match"],
            "expired": s["expired"]}[kind]


def _legacy_context(leaf: certs.Issued, minimum: ssl.TLSVersion, maximum: ssl.TLSVersion) -> ssl.SSLContext:
    """A server context reaching down to TLS 1.0: security level 0, as old servers are configured."""
    if not library_protocols()["tls1_0"][0]:
        pytest.skip(f"the linked OpenSSL cannot speak TLS 1.0: {library_protocols()['tls1_0'][1]}")
    try:
        return context(leaf, minimum=minimum, maximum=maximum, ciphers="DEFAULT:@SECLEVEL=0")
    except ssl.SSLError as exc:
        pytest.skip(f"this OpenSSL cannot serve TLS 1.0: {exc}")


def test_tls_1_0_only_server_fails_the_version_rule(scan, ca):
    leaf = certs.issue(ca, ["mx.old.test"], key_type="rsa", key_size=2048)
    tls = _legacy_context(leaf, ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1)
    out, v, _ = scan("old.test", [Mx("mx.old.test", ("127.0.1.7",), tls=tls)])
    (s,) = out.facts["servers"]
    assert s["tls_version"] == "TLSv1", out.facts["servers"]
    assert v["MAIL-MX-TLS-VERSIONS"] == "fail" and v["MAIL-MX-STARTTLS"] == "pass"
    assert out.facts["tls_versions"]["legacy"] == ["mx.old.test (127.0.1.7): TLSv1"]
    assert s["protocols"] == {"tls1_0": True, "tls1_1": False, "tls1_2": False, "tls1_3": False}
    assert s["legacy_accepted"] == ["TLS 1.0"]
    # nothing older than 1.0 to ask: one connection, one handshake
    assert s["connections"] == 1 and s["handshakes"] == 1
    assert "cbc_sha1" in s["cipher_classes"]  # TLS 1.0 has no AEAD suites


def test_server_accepting_1_0_beside_1_2_passes_and_says_so(scan, ca):
    # NIST SP 800-52r2 lets servers that talk to the public keep 1.0/1.1 for old clients, and with
    # opportunistic SMTP a sender refused TLS 1.0 delivers in plain text: a fact, not a failure
    leaf = certs.issue(ca, ["mx.both.test"], key_type="rsa", key_size=2048)
    tls = _legacy_context(leaf, ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_2)
    out, v, servers = scan("both.test", [Mx("mx.both.test", ("127.0.1.10",), tls=tls)])
    (s,) = out.facts["servers"]
    assert s["tls_version"] == "TLSv1.2"
    assert s["protocols"] == {"tls1_0": True, "tls1_1": True, "tls1_2": True, "tls1_3": False}
    assert out.facts["tls_versions"]["old_accepted"] == ["mx.both.test (127.0.1.10): TLS 1.0, TLS 1.1"]
    assert v["MAIL-MX-TLS-VERSIONS"] == "pass"
    assert set(s["suites"]) == {"tls1_0", "tls1_1", "tls1_2"} and s["version_errors"] == []
    assert s["connections"] == 3 and [c.split()[0] for c in servers[0].commands].count("STARTTLS") == 3


def test_tls_1_2_and_newer_server_accepts_no_old_version(scan, ca):
    leaf = certs.issue(ca, ["mx.new.test"])
    tls = context(leaf, minimum=ssl.TLSVersion.TLSv1_2)
    out, v, _ = scan("new.test", [Mx("mx.new.test", ("127.0.1.11",), tls=tls)])
    (s,) = out.facts["servers"]
    assert s["protocols"] == {"tls1_0": False, "tls1_1": False, "tls1_2": True, "tls1_3": True}
    assert out.facts["tls_versions"] == {"ok": True, "legacy": [], "old_accepted": [], "unknown": []}
    assert v["MAIL-MX-TLS-VERSIONS"] == "pass" and v["MAIL-MX-TLS-CIPHERS"] == "pass"
    assert s["suites"]["tls1_3"].startswith("TLS_") and s["cipher_classes"] == []


def test_server_picking_a_suite_without_forward_secrecy_fails_the_cipher_rule(scan, ca):
    leaf = certs.issue(ca, ["mx.rsakx.test"], key_type="rsa", key_size=2048)
    tls = context(leaf, maximum=ssl.TLSVersion.TLSv1_2, ciphers="AES256-GCM-SHA384")  # RSA key exchange
    out, v, _ = scan("rsakx.test", [Mx("mx.rsakx.test", ("127.0.1.12",), tls=tls)])
    (s,) = out.facts["servers"]
    assert s["tls_suite"] == "AES256-GCM-SHA384" and s["forward_secrecy"] is False
    assert v["MAIL-MX-TLS-CIPHERS"] == "fail" and v["MAIL-MX-TLS-VERSIONS"] == "pass"
    assert out.facts["ciphers"]["without_forward_secrecy"] == ["mx.rsakx.test (127.0.1.12): AES256-GCM-SHA384"]


def test_version_connections_that_cannot_be_told_stay_unknown(scan, ca):
    # a server that answers the first connection and then refuses further ones (a connection
    # limit): the older versions are unknown, never "refused", and the first verdicts stand
    leaf = certs.issue(ca, ["mx.limit.test"])
    out, v, _ = scan("limit.test", [Mx("mx.limit.test", ("127.0.1.13",), mode="one_session", tls=context(leaf))])
    (s,) = out.facts["servers"]
    assert s["protocols"]["tls1_3"] is True and s["protocols"]["tls1_0"] is None
    assert any("TLS 1.0" in e and "421" in e for e in s["version_errors"]), s["version_errors"]
    assert v["MAIL-MX-TLS-VERSIONS"] == "pass" and v["MAIL-MX-STARTTLS"] == "pass"
    assert "smtp.tls_versions.old_accepted" in out.errors


def test_null_mx_makes_the_rules_not_applicable(scan):
    out, v, _ = scan("nomail.test", [], null=True)
    assert out.facts["null_mx"] is True and out.facts["servers"] == []
    assert set(v.values()) == {"not_applicable"}


def test_every_address_of_every_mx_is_checked(scan, ca):
    mxs = [Mx(f"mx{i}.two.test", (f"127.0.2.{2 * i + 1}", f"127.0.2.{2 * i + 2}"),
              tls=context(certs.issue(ca, [f"mx{i}.two.test"]))) for i in range(2)]
    out, v, servers = scan("two.test", mxs)
    assert sorted((s["mx"], s["address"]) for s in out.facts["servers"]) == [
        ("mx0.two.test", "127.0.2.1"), ("mx0.two.test", "127.0.2.2"),
        ("mx1.two.test", "127.0.2.3"), ("mx1.two.test", "127.0.2.4")]
    assert all(srv.commands for srv in servers) and v["MAIL-MX-STARTTLS"] == "pass"
    assert [s["handshakes"] for s in out.facts["servers"]] == [4] * 4


def test_one_bad_mx_among_good_ones_fails(scan, ca):
    good = Mx("mx1.mixed.test", ("127.0.3.1",), tls=context(certs.issue(ca, ["mx1.mixed.test"])))
    plain = Mx("mx2.mixed.test", ("127.0.3.2",), mode="no_starttls")
    out, v, _ = scan("mixed.test", [good, plain])
    assert v["MAIL-MX-STARTTLS"] == "fail" and v["MAIL-MX-CERT"] == "pass"


def test_deadline_bounds_the_probe(scan):
    import time

    start = time.monotonic()
    mxs = [Mx(f"mx{i}.slow.test", (f"127.0.4.{i + 1}",), mode="silent") for i in range(4)]
    out, v, _ = scan("slow.test", mxs, read_timeout=30, deadline=2.0)
    assert time.monotonic() - start < 8
    assert v["MAIL-MX-STARTTLS"] == "error"
    assert all(s["status"] == "error" for s in out.facts["servers"])


def test_every_mail_server_rule_cites_the_standards_and_names_the_provider(smtp_pack):
    needed = ("RFC 3207", "RFC 8461", "RFC 7672", "NIST SP 800-177r1", "HIPAA 45 CFR 164.312(e)(1)")
    for rule in (r for r in smtp_pack.rules if r.model.probe == "smtp"):
        refs = rule.model.references
        missing = [n for n in needed if not any(ref == n or ref.startswith(n + " ") for ref in refs)]
        assert not missing, (rule.id, missing)
        assert "smtp.providers" in str(rule.model.evidence), rule.id


def test_failure_evidence_says_who_runs_the_mx_in_plain_words(scan, ca, smtp_pack):
    import datetime as dt

    from cyberaudit.evaluate import TargetFacts, evaluate_rule
    from cyberaudit.targets import Target

    mx = "alt1.aspmx.l.google.com"
    out, _, _ = scan("gw.test", [Mx(mx, ("127.0.1.14",), mode="no_starttls")])
    rule = next(r for r in smtp_pack.rules if r.id == "MAIL-MX-STARTTLS")
    finding = evaluate_rule(rule, Target("mail_domain", "gw.test"), TargetFacts({"smtp": out.facts}, out.errors, {},
                            frozenset()), rule.default_params(), (), dt.date.today())
    text = " ".join(finding.evidence_text)
    assert finding.status == "fail"
    assert f"{mx} (127.0.1.14) does not offer STARTTLS" in text and "run by Google Workspace" in text
