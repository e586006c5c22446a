"""The controls end to end: a profile on disk, `cyberaudit scan`, the Result JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import time

GOOGLE = ("\ufeffFirst Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY],"
          "Last Sign In [READ ONLY],2sv Enrolled [READ ONLY],2sv Enforced [READ ONLY]\r\n"
          "Renée,Dupré,renee@lakeside.example,Active,2026/11/02 10:11:12,True,True\r\n"
          "Sam,\"O'Neil, LCSW\",sam@lakeside.example,Active,2026/11/01 08:00:00,False,False\r\n"
          "Old,Intern,intern@lakeside.example,Suspended,2025/01/05 09:00:00,False,False\r\n")


def make_practice(tmp_path, export=GOOGLE):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "google-users.csv").write_text(export, encoding="utf-8", newline="")
    rec = tmp_path / "Recordings"
    rec.mkdir()
    old = rec / "session-maria-2026-06-01.mp4"
    old.write_bytes(b"\0" * 64)
    t = time.time() - 120 * 86400
    os.utime(old, (t, t))
    tested = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    profile = tmp_path / "cyberaudit.yaml"
    profile.write_text(f"""
practice: {{name: Lakeside Counseling, jurisdiction: US}}
platforms:
  - {{name: Zoom for Healthcare, kind: video, holds_client_data: true, baa_signed: true,
     mfa_enforced: true, e2ee: true}}
  - {{name: Google Workspace, kind: email, holds_client_data: true, baa_signed: true,
     mfa_enforced: false, encrypted_at_rest: true}}
  - {{name: Square, kind: payments, holds_client_data: false}}
controls:
  retention:
    clinical_records_years: 7
    recordings_days: 30
    paths:
      - {{path: Recordings, kind: recordings, patterns: ["*.mp4"]}}
  backups: {{encrypted: true, last_restore_test: {tested}}}
  devices: {{scan_this_machine: false, disk_encrypted: true, screen_lock: true, auto_updates: true}}
evidence:
  mfa:
    - {{file: exports/google-users.csv, format: google_workspace, platform: Google Workspace,
       admins: [renee@lakeside.example]}}
""", encoding="utf-8")
    return profile


def statuses(result):
    return {(f["rule_id"], f["target"]): f["status"] for f in result["findings"]}


def test_scan_reads_declared_answers_exports_folders_and_device(tmp_path, cli):
    profile = make_practice(tmp_path)
    out = tmp_path / "result.json"
    run = cli("scan", "-p", str(profile), "-o", str(out), "--quiet")
    assert run.code == 0, run.err
    result = json.loads(out.read_text())
    s = statuses(result)
    assert s[("ENC-PLATFORM-BAA", "Zoom for Healthcare")] == "pass"
    assert s[("ENC-PLATFORM-BAA", "Square")] == "not_applicable"
    assert s[("MFA-PLATFORMS", "Google Workspace")] == "fail"
    assert s[("ENC-VIDEO-E2EE", "Zoom for Healthcare")] == "pass"
    assert s[("ENC-AT-REST", "Google Workspace")] == "pass"
    assert s[("MFA-USER-COVERAGE", "practice")] == "fail"
    assert s[("MFA-ADMINS", "practice")] == "pass"
    assert s[("RET-RECORDINGS", "practice")] == "fail"
    assert s[("RET-STALE-FILES", "practice")] == "fail"
    for rid in ("RET-POLICY-DEFINED", "RET-POLICY-MINIMUM", "RET-BACKUPS-ENCRYPTED", "RET-BACKUPS-TESTED",
                "ENC-DISK", "ENC-SCREEN-LOCK", "ENC-AUTO-UPDATES"):
        assert s[(rid, "practice")] == "pass", rid
    coverage = next(f for f in result["findings"] if f["rule_id"] == "MFA-USER-COVERAGE")
    assert coverage["evidence"]["mfa.summary.not_enrolled"] == ["sam@lakeside.example"]
    # the gate: a failed high-severity rule fails --fail-on high
    assert cli("scan", "-p", str(profile), "--quiet", "--fail-on", "high").code == 1


def test_redacted_result_holds_no_address_or_file_name(tmp_path, cli):
    profile = make_practice(tmp_path)
    out = tmp_path / "result.json"
    assert cli("scan", "-p", str(profile), "-o", str(out), "--quiet", "--redact").code == 0
    raw = out.read_text()
    assert "sam@lakeside.example" not in raw and "session-maria" not in raw
    assert "user-" in raw and "file-" in raw


def test_malformed_export_reads_error_with_file_and_line(tmp_path, cli):
    broken = GOOGLE.replace("2sv Enrolled [READ ONLY]", "Two-step")
    profile = make_practice(tmp_path, export=broken)
    out = tmp_path / "result.json"
    assert cli("scan", "-p", str(profile), "-o", str(out), "--quiet").code == 0
    findings = {f["rule_id"]: f for f in json.loads(out.read_text())["findings"] if f["target"] == "practice"}
    for rid in ("MFA-USER-COVERAGE", "MFA-ADMINS"):
        assert findings[rid]["status"] == "error"
        assert "google-users.csv:1: missing column for MFA enrolment" in findings[rid]["message"]


def test_csv_evidence_without_columns_is_invalid_input(tmp_path, cli):
    profile = tmp_path / "cyberaudit.yaml"
    profile.write_text("practice: {name: t}\nevidence:\n  mfa:\n    - {file: x.csv, format: csv}\n")
    run = cli("scan", "-p", str(profile), "--quiet")
    assert run.code == 2
    assert "cyberaudit.yaml:4" in run.err and "columns" in run.err
