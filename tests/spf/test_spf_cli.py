"""`cyberaudit spf` through the real entry point, against a loopback DNS responder."""

from __future__ import annotations

import json
import time

import pytest

from cyberaudit.demo.dns_server import DnsResponder, txt
from tests.conftest import run_cli_subprocess
from tests.spf.spf_zones import build_zone, load_suite

ZONE = {
    "practice.example": {"TXT": [txt("v=spf1 ip4:192.0.2.0/24 include:_spf.ehr.example -all "
                                     "exp=why.practice.example")]},
    "why.practice.example": {"TXT": [txt("%{i} may not send mail for %{d}; see https://practice.example/mail")]},
    "_spf.ehr.example": {"TXT": [txt("v=spf1 ip4:198.51.100.0/24 ~all")]},
    "broken.example": {"TXT": [txt("v=spf1 ip4:192.0.2.0/33 -all")]},
    "slow.example": {"TXT": [txt("v=spf1 include:hang.example -all")]},
}


@pytest.fixture(scope="module")
def ns():
    with DnsResponder(ZONE, silent=["hang.example"]) as responder:
        yield responder.address


def test_pass_as_json(cli, ns):
    run = cli("spf", "practice.example", "--ip", "198.51.100.7", "--sender", "reminders@practice.example",
              "--nameserver", ns, "--format", "json")
    assert run.code == 0, run.err
    out = json.loads(run.out)
    assert out["result"] == "pass"
    assert out["mechanism"] == "include:_spf.ehr.example"
    assert out["lookups"] == 1 and out["lookup_limit"] == 10
    assert "198.51.100.7" in out["explanation"]


def test_fail_prints_the_published_explanation(cli, ns):
    run = cli("spf", "practice.example", "--ip", "203.0.113.9", "--nameserver", ns)
    assert run.code == 0, run.err
    assert "SPF fail for 203.0.113.9" in run.out
    assert "203.0.113.9 may not send mail for practice.example; see https://practice.example/mail" in run.out
    assert "must not send its mail" in run.out


def test_tree_shows_running_lookup_count(cli, ns):
    run = cli("spf", "practice.example", "--ip", "192.0.2.1", "--nameserver", ns, "--tree")
    assert run.code == 0, run.err
    assert "[ 1/10] include:_spf.ehr.example" in run.out
    assert "DNS-mechanism lookups: 1 of 10" in run.out
    run = cli("spf", "practice.example", "--ip", "192.0.2.1", "--nameserver", ns, "--tree", "--format", "json")
    analysis = json.loads(run.out)["analysis"]
    assert analysis["status"] == "ok" and analysis["all_qualifier"] == "-"


def test_permerror_names_the_bad_term(cli, ns):
    run = cli("spf", "broken.example", "--ip", "192.0.2.1", "--nameserver", ns, "--format", "json")
    out = json.loads(run.out)
    assert out["result"] == "permerror" and "ip4:192.0.2.0/33" in out["explanation"]


@pytest.mark.parametrize(("args", "message"), [
    (["practice.example", "--ip", "192.0.2.999"], "not an IP address"),
    (["practice.example", "--ip", "192.0.2.1", "--nameserver", "not-an-ip"], "--nameserver"),
    (["practice.example", "--ip", "192.0.2.1", "--format", "xml"], ""),
    (["practice.example"], "--ip"),
])
def test_bad_input_exits_2(cli, ns, args, message):
    run = cli("spf", *args, *(["--nameserver", ns] if "--nameserver" not in args else []))
    assert run.code == 2
    assert message in run.err


def test_unanswered_lookup_is_temperror_in_bounded_time(cli, ns):
    start = time.monotonic()
    run = cli("spf", "slow.example", "--ip", "192.0.2.1", "--nameserver", ns, "--timeout", "0.5",
              "--format", "json")
    assert time.monotonic() - start < 5
    out = json.loads(run.out)
    assert out["result"] == "temperror" and "hang.example" in out["problem"]


def test_console_entry_point(ns):
    run = run_cli_subprocess("spf", "practice.example", "--ip", "192.0.2.44", "--nameserver", ns,
                             "--format", "json", timeout=60)
    assert run.code == 0, run.err
    assert json.loads(run.out)["result"] == "pass"


# The openspf suite's malformed names (scenario "Initial processing"), run through the command as a
# user would paste them from a header: DOMAIN is the sender's domain, or the HELO name when MAIL FROM
# is empty. RFC 7208 §4.3 says check_host() returns "none" for each.
MALFORMED = ["toolonglabel", "emptylabel", "helo-not-fqdn", "helo-domain-literal", "domain-literal"]


@pytest.fixture(scope="module")
def suite_ns():
    zone, silent = build_zone(load_suite()[0]["zonedata"])
    with DnsResponder(zone, silent=silent) as responder:
        yield responder.address


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_domain_is_none_with_the_reason(cli, suite_ns, name):
    case = load_suite()[0]["tests"][name]
    mailfrom, helo = case["mailfrom"], case["helo"]
    domain = mailfrom.rpartition("@")[2] if mailfrom else helo
    assert case["result"] == "none"
    run = cli("spf", domain, "--ip", case["host"], "--sender", mailfrom, "--helo", helo,
              "--nameserver", suite_ns, "--format", "json")
    assert run.code == 0, run.err
    out = json.loads(run.out)
    assert out["result"] == "none"
    assert "RFC 7208 §4.3" in out["problem"] and out["lookups"] == 0
    text = cli("spf", domain, "--ip", case["host"], "--sender", mailfrom, "--helo", helo, "--nameserver", suite_ns)
    assert text.code == 0 and f"SPF none for {case['host']}" in text.out


@pytest.mark.parametrize(("domain", "reason"), [
    ("a" * 64 + ".example.com", "a label of 64 characters"),
    ("practice..example", "an empty label"),
    ("localhost", "a single label"),
    ("[1.2.3.5]", "an address literal"),
])
def test_each_malformed_name_says_what_is_wrong(cli, ns, domain, reason):
    run = cli("spf", domain, "--ip", "192.0.2.1", "--nameserver", ns)
    assert run.code == 0, run.err
    assert reason in run.out and "publishes no SPF policy" not in run.out
