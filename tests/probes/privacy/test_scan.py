"""End to end: the privacy pack through run_scan and the `cyberaudit` command."""

from __future__ import annotations

import json
import textwrap

import pytest

from cyberaudit.network import NetworkSettings
from cyberaudit.probes.base import ScanOptions
from cyberaudit.probes.privacy.browser import chromium_path
from cyberaudit.scan import ScanRequest, run_scan

from .test_static import ALL_RULES, static_verdicts

PROFILE = """\
practice: {name: Lakeside Counseling}
targets:
  websites:
    - url: https://lakeside.test/
      pages: [/, /contact]
    - url: https://sunny.test/
      pages: [/, /intake]
platforms:
  - name: Calendly
    kind: scheduling
    domains: [calendly.com]
"""


def _profile(tmp_path, text: str = PROFILE):
    path = tmp_path / "cyberaudit.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def _privacy(result, target: str) -> dict[str, str]:
    return {f.rule_id: f.status for f in result.findings if f.target == target and f.pack == "privacy"}


def _request(world, path, **options) -> ScanRequest:
    return ScanRequest(profile_path=path, network=NetworkSettings(connect_to=dict(world.connect_to),
                                                                  ca_bundle=world.ca_file),
                       options=ScanOptions(**options), timeout=20, max_time=60)


def test_scan_static(world, tmp_path):
    result = run_scan(_request(world, _profile(tmp_path)))
    assert _privacy(result, "https://lakeside.test/") == static_verdicts("pass")
    assert _privacy(result, "https://sunny.test/") == static_verdicts("fail")
    finding = next(f for f in result.findings if f.rule_id == "PRIV-TRACKERS-ON-FORMS" and f.status == "fail")
    assert finding.severity == "critical"
    assert "Meta Pixel by Meta (advertising) on /intake: https://connect.facebook.net/en_US/fbevents.js" in \
        finding.evidence["privacy.trackers_on_form_pages"]
    assert any("Meta Pixel by Meta" in line for line in finding.details)
    assert any("164.502(e)" in ref for ref in finding.references)
    sunny = next(t for t in result.targets if t.id == "https://sunny.test/")
    assert sunny.facts["privacy"]["mode"] == "static"


def test_tracker_list_relative_to_the_profile_and_its_errors(world, tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "bad.txt").write_text("fine.example\n||not-a-domain-list^\n")
    text = PROFILE + "privacy:\n  tracker_lists:\n    - {file: lists/bad.txt, format: domains}\n"
    result = run_scan(_request(world, _profile(tmp_path, text)))
    statuses = _privacy(result, "https://lakeside.test/")
    assert statuses == dict.fromkeys(ALL_RULES, "error")
    finding = next(f for f in result.findings if f.rule_id == "PRIV-TRACKERS")
    assert "bad.txt:2" in finding.message + " ".join(finding.details)


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="no Chromium installed")
def test_scan_browser_finds_what_static_cannot(world, tmp_path):
    path = _profile(tmp_path, "practice: {name: t}\ntargets:\n  websites:\n    - url: https://hidden.test/\n")
    static = run_scan(_request(world, path))
    assert _privacy(static, "https://hidden.test/")["PRIV-TRACKERS"] == "pass"
    facts = static.targets[0].facts["privacy"]
    assert "cannot see tags that JavaScript injects" in facts["note"]
    rendered = run_scan(_request(world, path, browser=True))
    assert _privacy(rendered, "https://hidden.test/")["PRIV-TRACKERS"] == "fail"
    assert _privacy(rendered, "https://hidden.test/")["PRIV-SESSION-REPLAY"] == "fail"


def _cli_args(world, path, out):
    args = ["scan", "-p", str(path), "--ca-bundle", str(world.ca_file), "-o", str(out), "--quiet",
            "--timeout", "20"]
    for (host, port), (addr, port2) in world.connect_to.items():
        args += ["--connect-to", f"{host}:{port}:{addr}:{port2}"]
    return args


def test_cli_scan_writes_the_privacy_findings(world, tmp_path, cli):
    out = tmp_path / "out.json"
    run = cli(*_cli_args(world, _profile(tmp_path), out))
    assert run.code == 0, run.err
    data = json.loads(out.read_text())
    statuses = {(f["rule_id"], f["target"]): f["status"] for f in data["findings"] if f["rule_id"].startswith("PRIV-")}
    assert statuses[("PRIV-AD-PIXELS", "https://sunny.test/")] == "fail"
    assert statuses[("PRIV-AD-PIXELS", "https://lakeside.test/")] == "pass"


def test_cli_browser_without_chromium_is_one_line_exit_2(world, tmp_path, cli, monkeypatch):
    monkeypatch.setenv("CYBERAUDIT_CHROMIUM", str(tmp_path / "missing-chromium"))
    run = cli(*_cli_args(world, _profile(tmp_path), tmp_path / "out.json"), "--browser")
    assert run.code == 2
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "apt-get install chromium" in lines[0]
    assert not (tmp_path / "out.json").exists()


def test_cli_facts_documents_the_privacy_facts(cli):
    run = cli("facts", "privacy")
    assert run.code == 0
    for path in ("privacy.trackers[].company", "privacy.forms[].sensitive_fields", "privacy.mode",
                 "privacy.note", "privacy.privacy_policy.present", "privacy.lists[].licence"):
        assert path in run.out


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="no Chromium installed")
def test_cli_browser_scan(world, tmp_path, cli):
    path = _profile(tmp_path, "practice: {name: t}\ntargets:\n  websites:\n    - url: https://hidden.test/\n")
    out = tmp_path / "out.json"
    run = cli(*_cli_args(world, path, out), "--browser")
    assert run.code == 0, run.err
    data = json.loads(out.read_text())
    statuses = {f["rule_id"]: f["status"] for f in data["findings"] if f["rule_id"].startswith("PRIV-")}
    assert statuses["PRIV-TRACKERS"] == statuses["PRIV-AD-PIXELS"] == "fail"
    (target,) = [t for t in data["targets"] if t["id"] == "https://hidden.test/"]
    assert target["facts"]["privacy"]["mode"] == "browser"
