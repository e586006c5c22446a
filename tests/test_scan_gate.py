"""A scan of declared facts end to end: Result JSON, the CI gate, exit codes, environment variables."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cyberaudit.result import load_result

PROFILE = """
practice:
  name: Gate Test Practice
platforms:
  - name: VideoCo
    kind: video
    holds_client_data: true
    baa_signed: {baa}
    mfa_enforced: true
    e2ee: true
  - name: NotesCo
    kind: ehr
    holds_client_data: true
    baa_signed: true
    mfa_enforced: true
    encrypted_at_rest: true
controls:
  retention: {{clinical_records_years: 7, recordings_days: 0}}
  backups: {{encrypted: true, last_restore_test: 2026-10-01}}
  devices: {{scan_this_machine: false, disk_encrypted: true, screen_lock: true, auto_updates: {updates}}}
safeguards:
  telehealth_consent: {{in_place: true, reviewed: {reviewed}}}
  risk_analysis: {{in_place: true, reviewed: {reviewed}}}
  incident_response: {{in_place: true, reviewed: {reviewed}}}
  workforce_training: {{in_place: true, reviewed: {reviewed}}}
  identity_verification: {{in_place: true, reviewed: {reviewed}}}
  session_security: {{in_place: true, reviewed: {reviewed}}}
  emergency_plan: {{in_place: true, reviewed: {reviewed}}}
  secure_networks: {{in_place: true, reviewed: {reviewed}}}
  contingency_plan: {{in_place: true, reviewed: {reviewed}}}
rules:
  disable: []
{waivers}
"""


def profile(write, baa="true", updates="true", waivers=""):
    reviewed = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    return write("cyberaudit.yaml", PROFILE.format(baa=baa, updates=updates, waivers=waivers, reviewed=reviewed))


def test_clean_practice_passes_every_gate(cli, write, tmp_path):
    path = profile(write)
    out = tmp_path / "result.json"
    run = cli("scan", "-p", str(path), "-o", str(out), "--fail-under", "100", "--fail-on", "low")
    assert run.code == 0, run.err
    result = load_result(out)
    assert result.scores.overall.score == 100.0 and result.scores.overall.grade == "A"
    assert {f.target for f in result.findings} >= {"VideoCo", "NotesCo", "practice"}
    for f in result.findings:
        assert f.status in ("pass", "not_applicable")
        assert f.rule_id and f.severity and f.category and f.message


def test_missing_baa_fails_the_critical_gate_and_caps_the_grade(cli, write, tmp_path):
    path = profile(write, baa="false")
    out = tmp_path / "result.json"
    run = cli("scan", "-p", str(path), "-o", str(out), "--fail-on", "critical")
    assert run.code == 1
    assert "gate failed" in run.err and "ENC-PLATFORM-BAA" in run.err
    data = json.loads(out.read_text())
    baa = [f for f in data["findings"] if f["rule_id"] == "ENC-PLATFORM-BAA" and f["target"] == "VideoCo"]
    assert baa[0]["status"] == "fail" and baa[0]["severity"] == "critical"
    assert data["scores"]["overall"]["grade"] == "D"
    # the same scan without a gate exits 0
    assert cli("scan", "-p", str(path), "-q").code == 0


def test_fail_under_from_the_environment(cli, write, monkeypatch):
    path = profile(write, updates="false")  # one low-severity failure
    monkeypatch.setenv("CYBERAUDIT_FAIL_UNDER", "100")
    run = cli("scan", "-p", str(path), "-q")
    assert run.code == 1 and "below 100" in run.err
    monkeypatch.setenv("CYBERAUDIT_FAIL_UNDER", "90")
    assert cli("scan", "-p", str(path), "-q").code == 0


def test_errors_count_as_failures_unless_allowed(cli, write):
    path = write("cyberaudit.yaml", """
        practice: {name: Unknowns}
        platforms:
          - name: VideoCo
            kind: video
            holds_client_data: true
        """)
    run = cli("scan", "-p", str(path), "-q", "--fail-on", "critical")
    assert run.code == 1 and "(error)" in run.err
    assert cli("scan", "-p", str(path), "-q", "--fail-on", "critical", "--allow-errors").code == 0


@pytest.mark.parametrize("expires, status, code", [("2099-01-01", "waived", 0), ("2020-01-01", "fail", 1)])
def test_waivers_in_a_real_scan(cli, write, tmp_path, expires, status, code):
    waivers = "waivers:\n" + "".join(
        f"  - rule: {rule}\n    target: VideoCo\n    reason: Agreement in legal review\n    expires: {expires}\n"
        for rule in ("ENC-PLATFORM-BAA", "PLAT-BAA-AVAILABLE"))
    path = profile(write, baa="false", waivers=waivers)
    out = tmp_path / "r.json"
    run = cli("scan", "-p", str(path), "-q", "-o", str(out), "--fail-on", "critical")
    assert run.code == code
    finding = next(f for f in load_result(out).findings
                   if f.rule_id == "ENC-PLATFORM-BAA" and f.target == "VideoCo")
    assert finding.status == status
    assert finding.waiver is not None and finding.waiver.reason == "Agreement in legal review"


def test_result_json_is_deterministic_and_rerenders(cli, write, tmp_path):
    path = profile(write, baa="false")
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    cli("scan", "-p", str(path), "-q", "-o", str(a))
    cli("scan", "-p", str(path), "-q", "-o", str(b))

    def stable(p):
        d = json.loads(p.read_text())
        d.pop("generated_at")
        d.pop("timings")
        for t in d["targets"]:
            for run in t["probes"]:
                run.pop("duration_ms")
        return d

    assert stable(a) == stable(b)
    data = json.loads(a.read_text())
    assert data["schema_version"] == "1.0" and data["tool"]["name"] == "cyberaudit"
    assert data["profile"]["digest"].startswith("sha256:")
    assert all(p["digest"].startswith("sha256:") and p["version"] for p in data["packs"])
    order = [(f["target"], f["rule_id"]) for f in data["findings"]]
    targets = [t["id"] for t in data["targets"]]
    assert order == sorted(order, key=lambda x: (targets.index(x[0]), x[1]))
    again = tmp_path / "again.json"
    assert cli("report", str(a), "-o", str(again)).code == 0
    assert json.loads(again.read_text()) == data


def test_terminal_summary_lists_failures_with_remediation(cli, write):
    run = cli("scan", "-p", str(profile(write, baa="false")))
    assert run.code == 0
    assert "Grade D" in run.out and "What needs fixing, by target" in run.out
    assert "ENC-PLATFORM-BAA" in run.out and "Fix:" in run.out
    assert "\x1b[" not in run.out


def test_the_combined_ca_file_is_removed_after_the_scan(write, tmp_path, monkeypatch):
    import tempfile

    from cyberaudit.demo.certs import make_ca
    from cyberaudit.scan import ScanRequest, run_scan

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    (tmp_path / "extra-ca.pem").write_bytes(make_ca("Practice internal CA").cert_pem)
    path = write("cyberaudit.yaml", "practice: {name: T}\ntls: {ca_bundle: extra-ca.pem}\n")
    run_scan(ScanRequest(path))
    assert list(scratch.iterdir()) == []
