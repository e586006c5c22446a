"""`cyberaudit diff` after a site is taken out of the profile: said first, summarised, the score explained.

Two real scans of a practice with a real HTTPS site on loopback (a certificate nobody trusts, so its
TLS rules fail), then the same practice without it.
"""

from __future__ import annotations

import json

import pytest

from cyberaudit.demo.certs import issue, make_ca
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from tests.test_scan_gate import profile


@pytest.fixture(scope="module")
def site():
    leaf = issue(make_ca("Nobody's Root"), ["old.example"])
    with DnsResponder({"old.example": {"A": ["127.0.0.1"]}}) as ns, \
            HttpServer({"/": Route(body="<html><title>Old site</title></html>")},
                       tls=server_context(leaf.fullchain_pem, leaf.key_pem)) as server:
        yield ns.address, server.port


def test_removed_site_is_said_first_with_its_findings_and_its_share_of_the_score(cli, write, tmp_path, site):
    ns, port = site
    url = f"https://old.example:{port}/"
    path = profile(write)
    base = path.read_text()
    path.write_text(base + f"targets:\n  websites:\n    - url: {url}\n")
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert cli("scan", "-p", str(path), "-o", str(before), "--nameserver", ns, "--no-history").code == 0
    path.write_text(base)
    assert cli("scan", "-p", str(path), "-o", str(after), "--nameserver", ns, "--no-history").code == 0

    run = cli("diff", str(before), str(after))
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[1].startswith(f"Target removed: {url} (website), ")
    assert any(line.startswith(f"Target removed: old.example:{port} (endpoint), ") for line in lines[1:3])
    assert "failed" in lines[1] and "on its own it scored" in lines[1]
    assert "-> absent" not in run.out  # not one line per rule of the removed site
    assert f"Removing {url} and old.example:{port} accounts for +" in run.out
    assert "the targets in both scans are unchanged" in run.out

    data = json.loads(cli("diff", str(before), str(after), "--format", "json").out)
    assert {t["target"] for t in data["targets"]} == {url, f"old.example:{port}"}
    assert data["other_changes"] == []
    ex = data["explanation"]
    assert round(ex["from_same_targets"] + ex["from_target_changes"], 1) == data["score"]["delta"]

    # adding it back is a target added, and its failures still trip --fail-on-new
    back = cli("diff", str(after), str(before), "--fail-on-new", "high")
    assert back.out.splitlines()[1].startswith(f"Target added: {url}")
    assert back.code == 1
