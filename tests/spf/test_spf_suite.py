"""check_host() against the openspf RFC 7208 test suite, every scenario served by a real DNS responder.

Each scenario's zonedata is served from a loopback DnsResponder; each test runs check_host() through
the real resolver path (DnsClient over UDP/TCP to that responder) and compares the result, and the
explanation where the suite gives one.
"""

from __future__ import annotations

from typing import Any

import pytest

from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.dnsclient import DnsClient
from cyberaudit.spf import check_host
from tests.spf.spf_zones import build_zone, load_suite

SCENARIOS = load_suite()
CASES = [(index, name, test) for index, scenario in enumerate(SCENARIOS)
         for name, test in scenario["tests"].items()]

# DNS answers are case-insensitive: the suite writes the ip6.arpa nibbles of %{ir} in upper case
# while RFC 7208 §7.4 shows them in lower case, as we expand them.
CASE_INSENSITIVE_EXPLANATION = {"v-macro-ip6"}

# A TIMEOUT name never answers; this keeps those cases short without making good answers flaky.
DNS_TIMEOUT = 0.6


def test_the_whole_suite_is_here() -> None:
    assert len(SCENARIOS) == 16
    assert len(CASES) == 198


@pytest.fixture(scope="module")
def responder_for():
    started: dict[int, DnsResponder] = {}

    def get(index: int) -> DnsResponder:
        if index not in started:
            zone, silent = build_zone(SCENARIOS[index]["zonedata"])
            started[index] = DnsResponder(zone, silent=silent).start()
        return started[index]

    yield get
    for responder in started.values():
        responder.stop()


@pytest.mark.parametrize(("index", "name", "test"), CASES, ids=[c[1] for c in CASES])
def test_rfc7208_suite(responder_for, index: int, name: str, test: dict[str, Any]) -> None:
    responder = responder_for(index)
    dns = DnsClient(((responder.host, responder.port),), timeout=DNS_TIMEOUT, retries=0)
    mailfrom, helo = test["mailfrom"], test["helo"]
    domain = mailfrom.rpartition("@")[2] if mailfrom else helo
    result = check_host(test["host"], domain, mailfrom, helo, dns)
    expected = test["result"] if isinstance(test["result"], list) else [test["result"]]
    assert result.result in expected, f"{result.result} ({result.problem or result.explanation})"
    want = test.get("explanation")
    if want is not None and result.result == "fail":
        if want == "DEFAULT":
            assert result.explanation_source == "default", result.explanation
        elif name in CASE_INSENSITIVE_EXPLANATION:
            assert result.explanation.lower() == want.lower()
        else:
            assert result.explanation == want
            assert result.explanation_source == "exp"
