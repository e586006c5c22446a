"""`cyberaudit spf` through the real entry point, against a loopback DNS responder."""

from __future__ import annotations

import json
import time

import pytest

from cyberaudit.demo.dns_server import DnsResponder, txt
from tests.conftest import run_cli_subprocess

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
    (["localhost", "--ip", "192.0.2.1"], "DOMAIN must be a domain name"),
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
