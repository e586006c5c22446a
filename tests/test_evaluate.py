"""Findings from facts: waivers, applicability, parameters, probe failures, messages."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from cyberaudit.errors import InputError
from cyberaudit.evaluate import TargetFacts, evaluate_rule, resolve_settings
from cyberaudit.packs import load_rule_set
from cyberaudit.profile import load_profile
from cyberaudit.targets import Target

PACK = """
pack: custom
version: 1.0.0
title: Custom
rules:
  - id: CUSTOM-HSTS
    title: HSTS is long enough
    category: http
    severity: high
    scope: website
    probe: http
    applies_if: {fact: http.https, equals: true}
    check: {fact: http.hsts_max_age, gte: {param: min_age}}
    params:
      min_age: {default: 15552000, description: Seconds, minimum: 0}
    evidence: [http.hsts_max_age]
    fail_message: Browsers are not told to insist on HTTPS for long enough.
    rationale: Why.
    remediation: What.
    references: [RFC 6797]
    aliases: [OLD-HSTS]
"""

SITE = Target("website", "https://www.practice.example/")
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def rules(write):
    # the facts are this test's own, not the installed http probe's
    return load_rule_set([write("custom.yaml", PACK)], builtin=False, check_facts=False)


def profile(write, extra: str = ""):
    return load_profile(write("p.yaml", textwrap.dedent("""
        practice: {name: T}
        targets:
          websites:
            - url: https://www.practice.example/
        """) + textwrap.dedent(extra)))


def facts(max_age, https=True):
    return TargetFacts({"http": {"https": https, "hsts_max_age": max_age}}, {}, {}, frozenset())


def finding(write, rules, tf, extra=""):
    settings = resolve_settings(profile(write, extra), rules)
    rule = rules.rules["CUSTOM-HSTS"]
    return evaluate_rule(rule, SITE, tf, settings.params[rule.id], settings.waivers, TODAY)


def test_pass_fail_and_evidence(write, rules):
    ok = finding(write, rules, facts(31536000))
    assert ok.status == "pass" and ok.message == "HSTS is long enough"
    bad = finding(write, rules, facts(300))
    assert bad.status == "fail"
    assert bad.message == "Browsers are not told to insist on HTTPS for long enough."
    assert bad.evidence["http.hsts_max_age"] == 300
    assert "300" in bad.details[0] and "15552000" in bad.details[0]
    assert bad.remediation == "What." and bad.references == ("RFC 6797",)


def test_not_applicable(write, rules):
    assert finding(write, rules, facts(0, https=False)).status == "not_applicable"


def test_profile_parameter_override_by_alias(write, rules):
    extra = "rules:\n  params:\n    OLD-HSTS: {min_age: 300}\n"
    assert finding(write, rules, facts(300), extra).status == "pass"


@pytest.mark.parametrize("extra, fragment", [
    ("rules:\n  params:\n    CUSTOM-HSTS: {max_age: 3}\n", "has no parameter 'max_age'"),
    ("rules:\n  params:\n    CUSTOM-HSTS: {min_age: soon}\n", "must be a number"),
    ("rules:\n  params:\n    CUSTOM-HSTS: {min_age: -1}\n", "at least 0"),
])
def test_bad_parameter_overrides(write, rules, extra, fragment):
    with pytest.raises(InputError) as exc:
        resolve_settings(profile(write, extra), rules)
    assert fragment in str(exc.value) and exc.value.line is not None


def test_probe_failure_and_missing_probe_are_errors_never_passes(write, rules):
    failed = TargetFacts({}, {}, {"http": "connection timed out after 5s"}, frozenset())
    f = finding(write, rules, failed)
    assert f.status == "error" and "connection timed out" in f.message
    missing = TargetFacts({}, {}, {}, frozenset({"http"}))
    f = finding(write, rules, missing)
    assert f.status == "error" and "probe not available" in f.message


WAIVER = """
waivers:
  - rule: {rule}
    target: "{target}"
    reason: Rollout scheduled with the web agency
    expires: {expires}
"""


def test_active_waiver_waives_a_failure(write, rules):
    f = finding(write, rules, facts(300),
                WAIVER.format(rule="CUSTOM-HSTS", target="https://www.practice.example/", expires="2027-01-31"))
    assert f.status == "waived"
    assert f.waiver.original_status == "fail" and not f.waiver.expired
    assert "Rollout scheduled" in f.message


def test_waiver_target_pattern_and_alias(write, rules):
    f = finding(write, rules, facts(300), WAIVER.format(rule="OLD-HSTS", target="https://*.practice.example/*",
                                                        expires="2027-01-31"))
    assert f.status == "waived"


def test_expired_waiver_is_a_failure_again(write, rules):
    f = finding(write, rules, facts(300),
                WAIVER.format(rule="CUSTOM-HSTS", target="*", expires="2026-11-25"))
    assert f.status == "fail"
    assert f.waiver.expired and "expired on 2026-11-25" in f.message


def test_waiver_for_another_target_does_not_apply(write, rules):
    f = finding(write, rules, facts(300),
                WAIVER.format(rule="CUSTOM-HSTS", target="https://other.example/", expires="2027-01-31"))
    assert f.status == "fail" and f.waiver is None


def test_waiver_on_a_passing_rule_changes_nothing(write, rules):
    f = finding(write, rules, facts(31536000),
                WAIVER.format(rule="CUSTOM-HSTS", target="*", expires="2027-01-31"))
    assert f.status == "pass"


def test_disabled_rules_are_not_evaluated(write, rules):
    settings = resolve_settings(profile(write, "rules:\n  disable: [CUSTOM-HSTS]\n"), rules)
    assert settings.enabled == ()
