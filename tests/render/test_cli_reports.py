"""Report formats, history, redaction and diff through the real command-line entry point."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from cyberaudit.history import save_result
from tests.render.htmlparse import parse_html
from tests.render.sample import later_result, sample_result
from tests.render.test_formats import SCHEMA


def _saved(tmp_path, result, name="result.json"):
    path = tmp_path / name
    path.write_text(result.to_json(), encoding="utf-8")
    return path


def test_report_re_renders_a_saved_result_into_every_format(cli, tmp_path):
    src = _saved(tmp_path, sample_result())
    out = tmp_path / "out"
    names = ["r.html", "r.md", "r.csv", "r.junit.xml", "r.sarif", "r.json"]
    run = cli("report", str(src), "--no-history", *[a for n in names for a in ("-o", str(out / n))])
    assert run.code == 0, run.err
    for n in names:
        assert f"report: {out / n}" in run.err
    doc = parse_html((out / "r.html").read_text())
    assert doc.headings[0] == (1, "Security and privacy audit: Lakeside Counseling")
    assert "## What was checked" in (out / "r.md").read_text()
    assert len(list(csv.DictReader(io.StringIO((out / "r.csv").read_text())))) == len(sample_result().findings)
    assert len(ET.parse(out / "r.junit.xml").getroot().findall(".//testcase")) == len(sample_result().findings)
    sarif = json.loads((out / "r.sarif").read_text())
    cls = jsonschema.validators.validator_for(SCHEMA)
    assert list(cls(SCHEMA).iter_errors(sarif)) == []
    assert json.loads((out / "r.json").read_text()) == sample_result().to_dict()


def test_format_option_overrides_the_extension(cli, tmp_path):
    src = _saved(tmp_path, sample_result())
    run = cli("report", str(src), "--no-history", "-o", str(tmp_path / "ticket.txt"), "--format", "markdown")
    assert run.code == 0, run.err
    assert (tmp_path / "ticket.txt").read_text().startswith("# Security and privacy audit")


def test_report_shows_changes_from_the_history_folder(cli, tmp_path):
    history = tmp_path / "hist"
    save_result(sample_result(), history)
    save_result(later_result(), history)
    src = _saved(tmp_path, later_result())
    run = cli("report", str(src), "--history", str(history), "-o", str(tmp_path / "r.html"),
              "--title", "Q4 review", "--organization", "Acme Consulting")
    assert run.code == 0, run.err
    doc = parse_html((tmp_path / "r.html").read_text())
    assert doc.headings[0] == (1, "Q4 review") and "Acme Consulting" in doc.text
    assert (2, "Changes since the last scan") in doc.headings
    assert "New problems: 1" in doc.text


def test_report_redacts_personal_data(cli, tmp_path):
    src = _saved(tmp_path, sample_result())
    run = cli("report", str(src), "--no-history", "--redact", "--redact-cookies",
              "-o", str(tmp_path / "r.html"), "-o", str(tmp_path / "r.csv"))
    assert run.code == 0, run.err
    for name in ("r.html", "r.csv"):
        text = (tmp_path / name).read_text()
        assert "jane.doe@lakeside.example" not in text and "/home/jane" not in text and "sessionid" not in text


def test_bad_logo_is_one_line_and_exit_2(cli, tmp_path):
    src = _saved(tmp_path, sample_result())
    logo = tmp_path / "logo.bmp"
    logo.write_bytes(b"BM....")
    run = cli("report", str(src), "--no-history", "--logo", str(logo), "-o", str(tmp_path / "r.html"))
    assert run.code == 2
    assert run.err.strip() == f"error: {logo}: logo must be a PNG, JPEG or SVG image"
    assert not (tmp_path / "r.html").exists()


def test_damaged_result_file_is_exit_2(cli, tmp_path):
    src = tmp_path / "result.json"
    src.write_text('{"schema_version": "1.0",\n "tool": ')
    run = cli("report", str(src), "-o", str(tmp_path / "r.html"))
    assert run.code == 2 and f"{src}:2:" in run.err


def test_diff_prints_changes_and_gates_on_new_failures(cli, tmp_path):
    old, new = _saved(tmp_path, sample_result(), "old.json"), _saved(tmp_path, later_result(), "new.json")
    run = cli("diff", str(old), str(new))
    assert run.code == 0
    assert "New failures (1)" in run.out and "Fixed (2)" in run.out
    assert "HTTP-CSP on https://intake.lakeside.example/" in run.out
    assert cli("diff", str(old), str(new), "--fail-on-new", "medium").code == 1
    assert cli("diff", str(old), str(new), "--fail-on-new", "high").code == 0
    data = json.loads(cli("diff", str(old), str(new), "--format", "json").out)
    assert [c["rule_id"] for c in data["fixed"]] == ["MFA-USER-COVERAGE", "HTTP-HSTS"]
    assert "## New failures (1)" in cli("diff", str(old), str(new), "--format", "markdown").out
    assert cli("diff", str(new), str(new), "--fail-on-new", "info").code == 0


def test_scan_keeps_history_beside_the_profile_and_reports_changes(cli, write, tmp_path):
    profile = write("practice/cyberaudit.yaml", """
        practice:
          name: Lakeside Counseling
        platforms:
          - name: Zoom for Healthcare
            kind: video
        """)
    out = tmp_path / "reports"
    first = cli("scan", "-p", str(profile), "-q", "-o", str(out / "one.html"))
    assert first.code == 0, first.err
    history = profile.parent / ".cyberaudit-history"
    assert len(list(history.glob("result-*.json"))) == 1
    second = cli("scan", "-p", str(profile), "-o", str(out / "two.html"), "-o", str(out / "two.sarif"))
    assert second.code == 0, second.err
    assert len(list(history.glob("result-*.json"))) == 2
    assert "Since the scan of" in second.out
    doc = parse_html((out / "two.html").read_text())
    assert (2, "Changes since the last scan") in doc.headings
    assert (2, "Changes since the last scan") not in parse_html((out / "one.html").read_text()).headings
    third = cli("scan", "-p", str(profile), "-q", "--no-history", "-o", str(out / "three.md"))
    assert third.code == 0 and len(list(history.glob("result-*.json"))) == 2


def test_scan_checks_the_logo_before_scanning(cli, write, tmp_path):
    profile = write("cyberaudit.yaml", "practice:\n  name: Lakeside Counseling\n")
    run = cli("scan", "-p", str(profile), "--logo", str(tmp_path / "missing.png"), "-o", str(tmp_path / "r.html"))
    assert run.code == 2 and "logo file not found" in run.err
    assert not (tmp_path / ".cyberaudit-history").exists()


def test_unusable_history_folder_warns_and_still_writes_the_report(cli, write, tmp_path):
    profile = write("cyberaudit.yaml", "practice:\n  name: Lakeside Counseling\n")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history folder should be")
    run = cli("scan", "-p", str(profile), "-q", "--history", str(blocker), "-o", str(tmp_path / "r.html"))
    assert run.code == 0
    assert "warning: history not used:" in run.err and str(blocker) in run.err
    assert (tmp_path / "r.html").is_file()


PRACTICE = """
    practice:
      name: Lakeside Counseling
      jurisdiction: US
    platforms:
      - name: Zoom for Healthcare
        kind: video
        holds_client_data: true
        baa_signed: true
        mfa_enforced: true
        e2ee: true
      - name: Shared Drive
        kind: storage
        holds_client_data: true
        baa_signed: false
        mfa_enforced: false
    controls:
      retention:
        clinical_records_years: 7
      backups: {encrypted: true}
      devices: {scan_this_machine: false, disk_encrypted: true}
    waivers:
      - rule: ENC-AT-REST
        target: Shared Drive
        reason: Vendor confirms encryption, paperwork pending
        expires: 2099-12-31
    """


def test_scan_of_a_declared_practice_renders_every_format(cli, write, tmp_path):
    profile = write("cyberaudit.yaml", PRACTICE)
    out = tmp_path / "out"
    names = ["r.json", "r.html", "r.md", "r.csv", "r.junit.xml", "r.sarif"]
    run = cli("scan", "-p", str(profile), "-q", "--no-history", *[a for n in names for a in ("-o", str(out / n))])
    assert run.code == 0, run.err
    result = json.loads((out / "r.json").read_text())
    failed = [f for f in result["findings"] if f["status"] == "fail"]
    assert {(f["rule_id"], f["target"]) for f in failed} >= {("ENC-PLATFORM-BAA", "Shared Drive"),
                                                              ("MFA-PLATFORMS", "Shared Drive")}
    # SARIF points at the line of the profile that declares the failing platform
    lines = profile.read_text().splitlines()
    sarif = json.loads((out / "r.sarif").read_text())
    assert list(jsonschema.validators.validator_for(SCHEMA)(SCHEMA).iter_errors(sarif)) == []
    for res in sarif["runs"][0]["results"]:
        if res["properties"]["target"] == "Shared Drive":
            line = res["locations"][0]["physicalLocation"]["region"]["startLine"]
            assert lines[line - 1].strip() == "- name: Shared Drive"
    junit = ET.parse(out / "r.junit.xml").getroot()
    assert junit.get("failures") == str(len(failed))
    doc = parse_html((out / "r.html").read_text())
    assert "This platform holds client information but no BAA" in doc.text
    assert "Vendor confirms encryption, paperwork pending" in doc.text.split("Appendix", 2)[-1]
    md = (out / "r.md").read_text()
    assert "`ENC-PLATFORM-BAA`" in md


@pytest.mark.browser
def test_report_to_pdf_through_the_command_line(cli, tmp_path):
    from cyberaudit.errors import InputError
    from cyberaudit.render.pdf import find_chromium, page_count

    try:
        find_chromium()
    except InputError:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium)")
    src = _saved(tmp_path, sample_result())
    run = cli("report", str(src), "--no-history", "-o", str(tmp_path / "r.pdf"))
    assert run.code == 0, run.err
    assert page_count((tmp_path / "r.pdf").read_bytes()) >= 4


def test_pdf_without_a_browser_fails_before_the_scan(cli, write, tmp_path, monkeypatch):
    monkeypatch.delenv("CYBERAUDIT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    profile = write("cyberaudit.yaml", "practice:\n  name: Lakeside Counseling\n")
    run = cli("scan", "-p", str(profile), "-q", "-o", str(tmp_path / "r.pdf"))
    assert run.code == 2
    assert "no Chromium browser found" in run.err and len(run.err.strip().splitlines()) == 1
    assert not (tmp_path / ".cyberaudit-history").exists()  # nothing was scanned
