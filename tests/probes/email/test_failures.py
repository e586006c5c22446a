"""A server that never answers, or answers wrongly, gives `error` within its timeout: never a pass or a hang."""

from __future__ import annotations

import time

import pytest

from cyberaudit.errors import ProbeError


def test_silent_domain_is_a_probe_error_within_the_timeout(run_probe):
    start = time.monotonic()
    with pytest.raises(ProbeError, match="silent.test.*timeout"):
        run_probe("silent.test", dns_timeout=0.5)
    assert time.monotonic() - start < 3


def test_silent_domain_gives_error_findings_through_the_evaluator(run_probe, email_pack):
    import datetime as dt

    from cyberaudit.evaluate import TargetFacts, evaluate_rule
    from cyberaudit.targets import Target

    with pytest.raises(ProbeError) as info:
        run_probe("silent.test", dns_timeout=0.5)
    tf = TargetFacts({}, {}, {"email": str(info.value)}, frozenset())
    statuses = {evaluate_rule(r, Target("mail_domain", "silent.test"), tf, r.default_params(), (),
                              dt.date.today()).status for r in email_pack.rules}
    assert statuses == {"error"}


def test_policy_host_that_never_answers_is_an_error(run_probe, evaluate):
    start = time.monotonic()
    out = run_probe("stshang.test", connect_timeout=1.0, read_timeout=1.0)
    assert time.monotonic() - start < 5
    assert "email.mta_sts.policy" in out.errors
    assert out.facts["mta_sts"]["record_valid"] is True
    assert evaluate(out)["MAIL-MTA-STS"] == "error"


def test_untrusted_policy_certificate_is_a_fail(run_probe, evaluate, tmp_path):
    from cyberaudit.demo.certs import make_ca

    other = tmp_path / "other-ca.pem"
    other.write_bytes(make_ca("Some other CA").cert_pem)
    out = run_probe("good.test", selectors=("practice",), signed=True, ca_bundle=other)
    policy = out.facts["mta_sts"]["policy"]
    assert policy["valid"] is False and policy["fetched"] is False
    assert "TLS" in policy["problems"][0] and "certificate" in policy["problems"][0].lower()
    assert evaluate(out)["MAIL-MTA-STS"] == "fail"


def test_parts_unfinished_at_the_deadline_are_errors(run_probe, evaluate):
    # Every DKIM selector of slowdkim.test is silent: DKIM cannot finish before the deadline, the
    # other parts do and keep their findings.
    start = time.monotonic()
    out = run_probe("slowdkim.test", dns_timeout=4.0, deadline=1.5)
    assert time.monotonic() - start < 3
    assert out.errors == {"email.dkim": "did not finish before the probe's deadline"}
    statuses = evaluate(out)
    assert statuses["MAIL-DKIM"] == "error"
    assert statuses["MAIL-SPF-VALID"] == "pass"


def test_a_domain_that_does_not_exist_is_an_error_not_a_row_of_failures(run_probe):
    with pytest.raises(ProbeError, match="does not exist in DNS"):
        run_probe("no-such-domain.test")
