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
        "DNS-CAA", "DNS-DNSSEC", "MAIL-MX-STARTTLS", "MAIL-MX-TLS-VERSIONS", "MAIL-MX-TLS-CIPHERS",
        "MAIL-MX-TLS-OLD-VERSIONS", "MAIL-MX-CERT",
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


def _findings(output, email_pack):  # type: ignore[no-untyped-def]
    import datetime as dt

    from cyberaudit.evaluate import TargetFacts, evaluate_rule
    from cyberaudit.targets import Target

    tf = TargetFacts({"email": output.facts}, output.errors, {}, frozenset())
    target = Target("mail_domain", output.facts.get("domain", "?"))
    return {rule.id: evaluate_rule(rule, target, tf, rule.default_params(), (), dt.date.today())
            for rule in email_pack.rules}


def test_no_dmarc_record_is_said_once_and_the_other_rules_point_to_it(run_probe, email_pack):
    found = _findings(run_probe("nodmarc.test"), email_pack)
    assert found["MAIL-DMARC-PRESENT"].message.startswith("No DMARC record was found for the domain")
    for rid in ("MAIL-DMARC-ENFORCED", "MAIL-DMARC-REPORTING"):
        f = found[rid]
        assert f.status == "fail"
        assert f.message.startswith("No DMARC record was found") and f.message.endswith("see MAIL-DMARC-PRESENT.")
        assert "p=none" not in f.message and "monitors" not in f.message


def test_two_spf_records_ending_in_all_are_not_called_missing_all(run_probe, email_pack):
    out = run_probe("twospfmixed.test")
    assert out.facts["spf"]["records_found"] == 2
    assert "no all mechanism" not in out.facts["spf"]["all_meaning"]
    assert "~all" in out.facts["spf"]["all_meaning"] and "-all" in out.facts["spf"]["all_meaning"]
    found = _findings(out, email_pack)
    strict = found["MAIL-SPF-STRICT"]
    assert strict.status == "fail"
    assert strict.message == ("The domain publishes 2 SPF records, so receivers ignore all of them, whatever they "
                              "end in — see MAIL-SPF-VALID.")
    assert found["MAIL-SPF-VALID"].message.startswith("The domain publishes 2 SPF records instead of one")


def test_dmarc_policy_none_says_so(run_probe, email_pack):
    f = _findings(run_probe("dmarcnone.test"), email_pack)["MAIL-DMARC-ENFORCED"]
    assert f.message.startswith("The DMARC policy is p=none")


def test_dmarc_pct_below_100_gives_the_percentage(run_probe, email_pack):
    f = _findings(run_probe("pct50.test"), email_pack)["MAIL-DMARC-ENFORCED"]
    assert "only 50% of failing mail" in f.message


def test_no_spf_record_is_said_once_and_the_other_spf_rules_point_to_it(run_probe, email_pack):
    found = _findings(run_probe("nospf.test"), email_pack)
    assert found["MAIL-SPF-PRESENT"].message.startswith("No SPF record was found for the domain")
    assert found["MAIL-SPF-VALID"].message.endswith("see MAIL-SPF-PRESENT.")
    assert found["MAIL-SPF-STRICT"].message.endswith("see MAIL-SPF-PRESENT.")
    assert "no all mechanism" not in found["MAIL-SPF-STRICT"].message
