"""Targets that could not be reached: said once, first, in every format; not scored; the gate still fails.

Real loopback servers: a DNS responder that knows none of the names, a port nobody listens on, a
server that accepts connections and never answers, and an HTTPS site whose certificate nobody trusts
(reached: it answered, so it is scored as usual).
"""

from __future__ import annotations

import json
import socket
import threading

import pytest

from cyberaudit.demo.certs import issue, make_ca
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.gate import check_gate
from cyberaudit.reach import unreachable_targets
from cyberaudit.render import RenderOptions
from cyberaudit.render.html import render_html
from cyberaudit.render.markdown import render_markdown
from cyberaudit.render.sarif import render_sarif
from cyberaudit.result import load_result
from tests.test_scan_gate import profile


@pytest.fixture(scope="module")
def ns():
    with DnsResponder({"untrusted.example": {"A": ["127.0.0.1"]}}) as responder:
        yield responder.address


@pytest.fixture(scope="module")
def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connections are refused
    return port


@pytest.fixture(scope="module")
def silent_port():
    """Accepts connections and never says a word."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        s.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(s.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield s.getsockname()[1]
    stop.set()
    thread.join(2)
    for c in held:
        c.close()
    s.close()


@pytest.fixture(scope="module")
def untrusted_site():
    leaf = issue(make_ca("Nobody's Root"), ["untrusted.example"])
    with HttpServer({"/": Route(body="<html><title>ok</title></html>")},
                    tls=server_context(leaf.fullchain_pem, leaf.key_pem)) as server:
        yield server.port


def scan(cli, write, tmp_path, ns, websites: str, *extra: str):
    path = profile(write)
    path.write_text(path.read_text() + f"targets:\n  websites:\n{websites}")
    out = tmp_path / "result.json"
    run = cli("scan", "-p", str(path), "-o", str(out), "--nameserver", ns, "--timeout", "6", *extra)
    return run, out


GONE = "https://gone.example/"


def test_a_name_that_does_not_resolve_is_said_once_and_not_scored(cli, write, tmp_path, ns):
    run, out = scan(cli, write, tmp_path, ns, f"    - url: {GONE}\n")
    assert run.code == 0, run.err
    sentence = ("Could not reach https://gone.example/: the name does not resolve — check the address in the "
                "profile or your connection.")
    result = load_result(out)
    [u] = unreachable_targets(result)
    assert (u.target, u.cause, u.also) == (GONE, "dns", ("gone.example:443",))
    assert u.sentence == sentence
    for area in ("http", "privacy", "tls"):
        card = result.scores.by_category[area]
        assert card.score is None and card.grade is None, area  # was F 0.0
        assert card.unreached == card.applicable > 0 and card.coverage == 0.0
    assert result.scores.by_target[GONE].score is None
    overall = result.scores.overall
    assert overall.score == 100.0 and overall.unreached == 34  # the practice's own checks all pass
    assert overall.coverage < 100

    terminal = " ".join(run.out.split())
    assert terminal.count("Could not reach https://gone.example/") == 1
    assert terminal.index("Could not reach") < terminal.index("Grade ")
    assert "not scored (unreachable)" in terminal and "without the targets that could not be reached" in terminal
    assert terminal.count("could not reach it: the name does not resolve") == 1  # grouped, not 30 lines

    md = render_markdown(result, RenderOptions())
    assert md.split("## Summary")[0].count("Could not reach https://gone.example/: the name does not resolve") == 1
    html = render_html(result, RenderOptions())
    assert html.count(sentence) == 1
    assert html.index(sentence) < html.index('id="summary"')
    notes = json.loads(render_sarif(result, RenderOptions()))["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0] == {"level": "error", "message": {"text": sentence}}


def test_the_gate_fails_on_an_unreachable_site_unless_errors_are_allowed(cli, write, tmp_path, ns):
    run, out = scan(cli, write, tmp_path, ns, f"    - url: {GONE}\n", "--fail-under", "90")
    assert run.code == 1
    assert "Could not reach https://gone.example/" in run.err + run.out
    run, _ = scan(cli, write, tmp_path, ns, f"    - url: {GONE}\n", "--fail-under", "90", "--allow-errors")
    assert run.code == 0, run.out
    gate = check_gate(load_result(out), fail_under=90)
    assert not gate.passed and gate.reasons[0].startswith("Could not reach https://gone.example/")


def test_refused_and_silent_sites_say_why(cli, write, tmp_path, ns, closed_port, silent_port):
    sites = (f"    - url: https://refused.example:{closed_port}/\n      address: 127.0.0.1\n"
             f"    - url: https://silent.example:{silent_port}/\n      address: 127.0.0.1\n")
    run, out = scan(cli, write, tmp_path, ns, sites)
    assert run.code == 0, run.err
    causes = {u.target: u.cause for u in unreachable_targets(load_result(out))}
    assert causes == {f"https://refused.example:{closed_port}/": "refused",
                      f"https://silent.example:{silent_port}/": "timeout"}
    terminal = " ".join(run.out.split())
    assert "the connection was refused (nothing is listening there)" in terminal
    assert "it did not answer in time" in terminal


def test_a_site_that_answers_with_an_untrusted_certificate_was_reached(cli, write, tmp_path, ns, untrusted_site):
    run, out = scan(cli, write, tmp_path, ns, f"    - url: https://untrusted.example:{untrusted_site}/\n")
    assert run.code == 0, run.err
    result = load_result(out)
    assert unreachable_targets(result) == []
    assert result.scores.by_category["tls"].score is not None
    assert "Could not reach" not in run.out
