"""analyze_spf() and check_host() on zones served by a real loopback DNS responder."""

from __future__ import annotations

import json
import time

import pytest

from cyberaudit.demo.dns_server import DnsResponder, txt
from cyberaudit.dnsclient import DnsClient
from cyberaudit.spf import analyze_spf, check_host


def spf(record: str) -> dict[str, list[str]]:
    return {"TXT": [txt(record)]}


ZONE: dict[str, dict[str, list[str]]] = {
    # a good domain: its own servers, a newsletter service and its mail hosts, then -all
    "good.example": {"TXT": [txt("v=spf1 ip4:192.0.2.0/24 include:_spf.mailer.example mx -all"),
                             txt("google-site-verification=abc")],
                     "MX": ["10 mx1.good.example.", "20 mx2.good.example."]},
    "mx1.good.example": {"A": ["192.0.2.25"]},
    "mx2.good.example": {"AAAA": ["2001:db8::25"]},
    "_spf.mailer.example": spf("v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:1::/48 ~all"),
    # +all: anyone may send
    "open.example": spf("v=spf1 +all"),
    "neutral.example": spf("v=spf1 ip4:192.0.2.1 ?all"),
    # two records
    "twice.example": {"TXT": [txt("v=spf1 ip4:192.0.2.1 -all"), txt("v=spf1 include:_spf.mailer.example -all")]},
    # a syntax error
    "typo.example": spf("v=spf1 ip4:192.0.2.300 include:_spf.mailer.example -all"),
    # an include loop
    "loop-a.example": spf("v=spf1 include:loop-b.example -all"),
    "loop-b.example": spf("v=spf1 ip4:192.0.2.9 include:loop-a.example ~all"),
    # three and two void lookups
    "void3.example": spf("v=spf1 a:gone1.void.example mx:gone2.void.example exists:gone3.void.example ip4:192.0.2.1 -all"),
    "void2.example": spf("v=spf1 a:gone1.void.example mx:gone2.void.example ip4:192.0.2.1 -all"),
    "void.example": {"A": ["192.0.2.200"]},  # its subdomains do not exist
    # redirect: the default comes from the target
    "redir.example": spf("v=spf1 redirect=good.example"),
    # a macro that depends on the sender
    "macro.example": spf("v=spf1 exists:%{i}._spf.%{d} -all"),
    # a server that never answers
    "slow.example": spf("v=spf1 include:hang.example -all"),
}

# 11 nested includes: deep.example → n1 → … → n10, each include one lookup, n10 holding an `a`
for i in range(1, 11):
    ZONE[f"n{i}.deep.example"] = spf(f"v=spf1 include:n{i + 1}.deep.example ?all" if i < 10
                                     else "v=spf1 a ip4:203.0.113.5 -all")
ZONE["n10.deep.example"]["A"] = ["203.0.113.10"]
ZONE["deep.example"] = spf("v=spf1 include:n1.deep.example -all")
# exactly 10: the same chain entered one level lower
ZONE["ten.example"] = spf("v=spf1 include:n2.deep.example -all")


@pytest.fixture(scope="module")
def server():
    with DnsResponder(ZONE, silent=["hang.example"]) as responder:
        yield responder


@pytest.fixture
def dns(server):
    return DnsClient(((server.host, server.port),), timeout=2.0, retries=0)


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.children)


def test_good_domain(dns):
    a = analyze_spf("good.example", dns)
    assert a.status == "ok"
    assert a.records_found == 1
    assert a.record == "v=spf1 ip4:192.0.2.0/24 include:_spf.mailer.example mx -all"
    assert [n.text for n in a.terms] == ["ip4:192.0.2.0/24", "include:_spf.mailer.example", "mx", "-all"]
    include, mx = a.terms[1], a.terms[2]
    assert (include.lookups, include.running, include.domain) == (1, 1, "_spf.mailer.example")
    assert include.record == "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:1::/48 ~all"
    assert [c.text for c in include.children] == ["ip4:198.51.100.0/24", "ip6:2001:db8:1::/48", "~all"]
    assert (mx.lookups, mx.running, mx.void) == (1, 2, False)
    assert a.lookups == 2 and a.void_lookups == 0
    assert a.all_qualifier == "-" and "rejected" in a.all_meaning
    assert a.errors == () and a.syntax_ok and a.loops == ()
    json.dumps(a.to_dict())  # JSON-able as it is


@pytest.mark.parametrize(("ip", "sender", "result", "mechanism"), [
    ("192.0.2.77", "billing@good.example", "pass", "ip4:192.0.2.0/24"),
    ("198.51.100.20", "news@good.example", "pass", "include:_spf.mailer.example"),
    ("2001:db8:1::5", "news@good.example", "pass", "include:_spf.mailer.example"),
    ("2001:db8::25", "", "pass", "mx"),
    ("::ffff:192.0.2.9", "x@good.example", "pass", "ip4:192.0.2.0/24"),
    ("203.0.113.9", "someone@good.example", "fail", "-all"),
])
def test_good_domain_check_host(dns, ip, sender, result, mechanism):
    r = check_host(ip, "good.example", sender, "mail.good.example", dns)
    assert (r.result, r.mechanism) == (result, mechanism)
    assert r.record == ZONE["good.example"]["TXT"][0].strip('"')
    assert r.lookups <= 2 and r.void_lookups == 0
    if result == "fail":
        assert r.explanation_source == "default" and "203.0.113.9" in r.explanation


def test_plus_all_lets_anyone_send(dns):
    a = analyze_spf("open.example", dns)
    assert a.status == "ok" and a.all_qualifier == "+"
    assert "any server" in a.all_meaning
    assert check_host("203.0.113.99", "open.example", "x@open.example", "h.example", dns).result == "pass"


def test_question_all_asserts_nothing(dns):
    a = analyze_spf("neutral.example", dns)
    assert a.all_qualifier == "?" and "asserts nothing" in a.all_meaning
    assert check_host("203.0.113.99", "neutral.example", "", "h.example", dns).result == "neutral"


def test_two_records_are_a_permerror(dns):
    a = analyze_spf("twice.example", dns)
    assert a.status == "permerror"
    assert a.records_found == 2 and a.record is None and a.terms == ()
    assert any("2 SPF records" in e for e in a.errors)
    r = check_host("192.0.2.1", "twice.example", "", "h.example", dns)
    assert r.result == "permerror" and "2 SPF records" in r.problem


def test_eleven_nested_lookups(dns):
    a = analyze_spf("deep.example", dns)
    assert a.status == "permerror"
    assert a.lookups == 11
    assert any("11 DNS-mechanism lookups" in e for e in a.errors)
    counts = [(n.text, n.running) for n in walk(a.terms) if n.lookups]
    assert counts[0] == ("include:n1.deep.example", 1)
    assert counts[-1] == ("a", 11)
    last = [n for n in walk(a.terms) if n.running == 11 and n.lookups][0]
    assert "past the limit" in last.error
    # check_host stops at the 11th lookup too, even though the sender would match after it
    r = check_host("203.0.113.10", "deep.example", "", "h.example", dns)
    assert r.result == "permerror" and r.lookups == 11


def test_ten_lookups_are_allowed(dns):
    a = analyze_spf("ten.example", dns)
    assert a.status == "ok" and a.lookups == 10
    assert check_host("203.0.113.10", "ten.example", "", "h.example", dns).result == "pass"


def test_three_void_lookups(dns):
    a = analyze_spf("void3.example", dns)
    assert a.status == "permerror" and a.void_lookups == 3
    assert [n.void for n in a.terms] == [True, True, True, False, False]
    assert any("3 void lookups" in e for e in a.errors)
    r = check_host("192.0.2.1", "void3.example", "", "h.example", dns)
    assert r.result == "permerror" and r.void_lookups == 3


def test_two_void_lookups_are_allowed(dns):
    a = analyze_spf("void2.example", dns)
    assert a.status == "ok" and a.void_lookups == 2
    assert check_host("192.0.2.1", "void2.example", "", "h.example", dns).result == "pass"


def test_include_loop(dns):
    a = analyze_spf("loop-a.example", dns)
    assert a.status == "permerror"
    assert a.loops == ("loop-a.example → loop-b.example → loop-a.example",)
    loop_node = a.terms[0].children[1]
    assert loop_node.text == "include:loop-a.example" and "loop" in loop_node.error
    r = check_host("203.0.113.1", "loop-a.example", "", "h.example", dns)
    assert r.result == "permerror" and "loop" in r.problem
    # a sender matched before the loop is reached passes, as RFC 7208 evaluates left to right
    assert check_host("192.0.2.9", "loop-a.example", "", "h.example", dns).result == "pass"


def test_syntax_error_names_the_term(dns):
    a = analyze_spf("typo.example", dns)
    assert a.status == "permerror" and not a.syntax_ok
    bad = a.terms[0]
    assert bad.kind == "invalid" and "192.0.2.300" in bad.error
    assert any("ip4:192.0.2.300" in e for e in a.errors)
    # the rest of the tree is still shown
    assert a.terms[1].children
    r = check_host("198.51.100.1", "typo.example", "", "h.example", dns)
    assert r.result == "permerror" and "ip4:192.0.2.300" in r.problem


def test_no_record(dns):
    a = analyze_spf("void.example", dns)
    assert a.status == "none" and a.record is None and a.records_found == 0
    assert check_host("192.0.2.1", "void.example", "", "h.example", dns).result == "none"
    assert analyze_spf("nowhere.example", dns).status == "none"


def test_redirect_takes_the_targets_default(dns):
    a = analyze_spf("redir.example", dns)
    assert a.status == "ok" and a.all_qualifier == "-" and a.lookups == 3
    assert a.terms[0].children
    r = check_host("192.0.2.5", "redir.example", "", "h.example", dns)
    assert r.result == "pass" and r.matched_in == "good.example"


def test_sender_dependent_target_is_shown_not_resolved(dns):
    a = analyze_spf("macro.example", dns)
    node = a.terms[0]
    assert node.lookups == 1 and node.domain == "%{i}._spf.%{d}" and "sender" in node.note
    assert a.status == "ok" and a.void_lookups == 0


def test_server_that_never_answers_is_temperror_not_fail(server):
    dns = DnsClient(((server.host, server.port),), timeout=0.5, retries=0)
    start = time.monotonic()
    a = analyze_spf("slow.example", dns)
    r = check_host("192.0.2.1", "slow.example", "", "h.example", dns)
    assert time.monotonic() - start < 5
    assert a.status == "temperror" and any("hang.example" in e for e in a.errors)
    assert r.result == "temperror" and "timeout" in r.problem


def test_nameserver_that_is_down_is_temperror(dns):
    # a port nobody listens on: nothing answers, the check ends with temperror in bounded time
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    try:
        dead = DnsClient((("127.0.0.1", port),), timeout=0.5, retries=0)
        assert check_host("192.0.2.1", "good.example", "", "h.example", dead).result == "temperror"
        assert analyze_spf("good.example", dead).status == "temperror"
    finally:
        sock.close()


def test_every_published_key_is_documented(dns):
    from cyberaudit.spf.facts import analysis_fact_specs, result_fact_specs

    a = analyze_spf("good.example", dns).to_dict()
    documented = {s.path for s in analysis_fact_specs("email.spf")}
    published = {f"email.spf.{k}" for k in a} | {f"email.spf.terms[].{k}" for k in a["terms"][1]}
    assert published == documented
    r = check_host("192.0.2.1", "good.example", "", "h.example", dns).to_dict()
    assert {f"x.{k}" for k in r} == {s.path for s in result_fact_specs("x")}
    assert a["present"] and a["valid"] and a["strict"]


def test_large_txt_answer_comes_over_tcp():
    # many verification tokens beside the SPF record: the UDP answer is truncated and the client
    # must ask again over TCP to see the record at all
    tokens = [txt(f"verification-token-{i}=" + "x" * 120) for i in range(20)]
    zone = {"busy.example": {"TXT": [*tokens, txt("v=spf1 ip4:192.0.2.0/24 -all")]}}
    with DnsResponder(zone) as server:
        dns = DnsClient(((server.host, server.port),), timeout=2.0, retries=0)
        r = check_host("192.0.2.8", "busy.example", "", "h.example", dns)
        assert r.result == "pass" and r.mechanism == "ip4:192.0.2.0/24"
        assert analyze_spf("busy.example", dns).status == "ok"
        assert server.queries.count(("busy.example", "TXT")) == 2  # truncated over UDP, then TCP


def test_server_answering_garbage_is_temperror():
    import socket
    import threading

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except OSError:
                continue
            sock.sendto(data[:2] + b"\xff" * 40, peer)  # right id, nonsense after it

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        dns = DnsClient((("127.0.0.1", sock.getsockname()[1]),), timeout=0.5, retries=0)
        start = time.monotonic()
        r = check_host("192.0.2.1", "good.example", "", "h.example", dns)
        a = analyze_spf("good.example", dns)
        assert time.monotonic() - start < 5
        assert r.result == "temperror" and a.status == "temperror"
    finally:
        stop.set()
        thread.join(2)
        sock.close()


def test_internationalised_domain_is_looked_up_in_ascii_form():
    zone = {"xn--mnchen-3ya.example": spf("v=spf1 ip4:192.0.2.0/24 -all")}
    with DnsResponder(zone) as server:
        dns = DnsClient(((server.host, server.port),), timeout=2.0, retries=0)
        assert check_host("192.0.2.3", "münchen.example", "", "h.example", dns).result == "pass"
        assert analyze_spf("münchen.example", dns).domain == "xn--mnchen-3ya.example"


def test_ptr_warns_and_redirect_beside_all_is_ignored():
    zone = {"old.example": spf("v=spf1 ptr:mail.old.example redirect=good.example ~all")}
    with DnsResponder(zone) as server:
        dns = DnsClient(((server.host, server.port),), timeout=2.0, retries=0)
        a = analyze_spf("old.example", dns)
        assert a.status == "ok" and a.lookups == 1  # the redirect is never used
        assert "ignored" in a.terms[1].note and a.terms[1].lookups == 0
        assert any("ptr" in w and "deprecated" in w for w in a.warnings)
        assert a.all_qualifier == "~"
        assert check_host("192.0.2.5", "old.example", "", "h.example", dns).result == "softfail"
