"""Every email rule passes on the good domain and fails (or errors) where it should."""

from __future__ import annotations

import pytest

GOOD = {"selectors": ("practice",), "senders": ("198.51.100.25", "192.0.2.7"), "signed": True}


def test_good_domain_passes_every_rule(run_probe, evaluate, email_pack):
    out = run_probe("good.test", **GOOD)
    assert out.errors == {}
    statuses = evaluate(out)
    assert set(statuses) == {r.id for r in email_pack.rules if r.probe == "email"}
    assert statuses == dict.fromkeys(statuses, "pass")


def test_pack_holds_exactly_the_catalogue(email_pack):
    assert {r.id for r in email_pack.rules} == {
        "MAIL-SPF-PRESENT", "MAIL-SPF-VALID", "MAIL-SPF-STRICT", "MAIL-SPF-SENDERS", "MAIL-DMARC-PRESENT",
        "MAIL-DMARC-ENFORCED", "MAIL-DMARC-REPORTING", "MAIL-DKIM", "MAIL-MTA-STS", "MAIL-TLS-RPT",
        "DNS-CAA", "DNS-DNSSEC", "MAIL-MX-STARTTLS", "MAIL-MX-TLS-VERSIONS", "MAIL-MX-CERT",
        "MAIL-MTA-STS-MX-MATCH", "MAIL-DANE", "MAIL-DANE-PUBLISHED"}
    assert all(r.scope == "mail_domain" and r.category == "email" and r.probe in ("email", "smtp")
               for r in email_pack.rules)


@pytest.mark.parametrize(("domain", "kwargs", "expected"), [
    ("nospf.test", {}, {"MAIL-SPF-PRESENT": "fail", "MAIL-SPF-VALID": "fail", "MAIL-SPF-STRICT": "fail"}),
    ("plusall.test", {}, {"MAIL-SPF-PRESENT": "pass", "MAIL-SPF-VALID": "pass", "MAIL-SPF-STRICT": "fail"}),
    ("twospf.test", {}, {"MAIL-SPF-PRESENT": "pass", "MAIL-SPF-VALID": "fail"}),
    ("lookups11.test", {}, {"MAIL-SPF-VALID": "fail", "MAIL-SPF-STRICT": "pass"}),
    ("void3.test", {}, {"MAIL-SPF-VALID": "fail"}),
    ("loop.test", {}, {"MAIL-SPF-VALID": "fail"}),
    ("good.test", {"senders": ("203.0.113.9",)}, {"MAIL-SPF-SENDERS": "fail"}),
    ("nodmarc.test", {}, {"MAIL-SPF-SENDERS": "not_applicable", "MAIL-DMARC-PRESENT": "fail",
                          "MAIL-DMARC-ENFORCED": "fail", "MAIL-DMARC-REPORTING": "fail"}),
    ("dmarcnone.test", {}, {"MAIL-DMARC-PRESENT": "pass", "MAIL-DMARC-ENFORCED": "fail",
                            "MAIL-DMARC-REPORTING": "pass"}),
    ("twodmarc.test", {}, {"MAIL-DMARC-PRESENT": "fail", "MAIL-DMARC-ENFORCED": "fail"}),
    ("ststwo.test", {}, {"MAIL-MTA-STS": "fail"}),
    ("pct50.test", {}, {"MAIL-DMARC-PRESENT": "pass", "MAIL-DMARC-ENFORCED": "fail"}),
    ("badp.test", {}, {"MAIL-DMARC-PRESENT": "pass", "MAIL-DMARC-ENFORCED": "fail"}),
    ("extrua.test", {}, {"MAIL-DMARC-ENFORCED": "pass", "MAIL-DMARC-REPORTING": "fail"}),
    ("mail.orgonly.test", {}, {"MAIL-DMARC-PRESENT": "pass", "MAIL-DMARC-ENFORCED": "pass",
                               "MAIL-DMARC-REPORTING": "pass"}),
    ("nodmarc.test", {}, {"MAIL-DKIM": "fail", "MAIL-MTA-STS": "fail", "MAIL-TLS-RPT": "fail",
                          "DNS-CAA": "fail", "DNS-DNSSEC": "fail"}),
    ("dkimrevoked.test", {"selectors": ("old",)}, {"MAIL-DKIM": "fail"}),
    ("dkimweak.test", {"selectors": ("weak",)}, {"MAIL-DKIM": "fail"}),
    ("dkimmixed.test", {}, {"MAIL-DKIM": "fail"}),
    ("ststesting.test", {}, {"MAIL-MTA-STS": "fail"}),
    ("stsredirect.test", {}, {"MAIL-MTA-STS": "fail"}),
    ("stsmx.test", {}, {"MAIL-MTA-STS": "fail"}),
    ("ststype.test", {}, {"MAIL-MTA-STS": "fail"}),
    ("rptbad.test", {}, {"MAIL-TLS-RPT": "fail"}),
    ("rpttwo.test", {}, {"MAIL-TLS-RPT": "fail"}),
    ("mail.orgonly.test", {}, {"DNS-CAA": "pass"}),
    ("good.test", {"signed": False}, {"DNS-DNSSEC": "fail", "DNS-CAA": "pass", "MAIL-MTA-STS": "pass"}),
])
def test_rule_outcomes(run_probe, evaluate, domain, kwargs, expected):
    statuses = evaluate(run_probe(domain, **kwargs))
    assert {rid: statuses[rid] for rid in expected} == expected


def test_unanswered_dmarc_name_is_an_error_not_a_fail(run_probe, evaluate):
    out = run_probe("partial.test", dns_timeout=0.5)
    assert "email.dmarc" in out.errors and "timeout" in out.errors["email.dmarc"]
    statuses = evaluate(out)
    assert {statuses[r] for r in ("MAIL-DMARC-PRESENT", "MAIL-DMARC-ENFORCED", "MAIL-DMARC-REPORTING")} == {"error"}
    # the rest of the zone answered, and its findings stand
    assert statuses["MAIL-SPF-VALID"] == "pass"
    assert statuses["MAIL-TLS-RPT"] == "fail"


def test_servfail_on_mta_sts_is_an_error(run_probe, evaluate):
    out = run_probe("servfail.test")
    assert "server failure" in out.errors["email.mta_sts"] or "SERVFAIL" in out.errors["email.mta_sts"]
    assert evaluate(out)["MAIL-MTA-STS"] == "error"


def test_dkim_rule_minimum_is_a_parameter(run_probe, email_pack):
    from cyberaudit.conditions import FactView
    from cyberaudit.conditions import evaluate as evaluate_check

    rule = next(r for r in email_pack.rules if r.id == "MAIL-DKIM")
    out = run_probe("good.test", selectors=("practice",))
    view = FactView({"email": out.facts}, out.errors)
    assert evaluate_check(rule.check, view, {"min_rsa_bits": 2048}).status == "pass"
    assert evaluate_check(rule.check, view, {"min_rsa_bits": 4096}).status == "fail"
