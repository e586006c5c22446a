"""Markdown, CSV, JUnit and SARIF rendered from one fixture Result and read back."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from cyberaudit.render import RenderOptions, format_for
from cyberaudit.render.csv import COLUMNS, render_csv
from cyberaudit.render.junit import render_junit
from cyberaudit.render.markdown import render_markdown
from cyberaudit.render.sarif import fingerprint, render_sarif
from tests.render.sample import PORTAL, SITE, later_result, sample_result

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json").read_text())


def sarif_validator():
    cls = jsonschema.validators.validator_for(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("name,fmt", [
    ("r.html", "html"), ("r.pdf", "pdf"), ("r.md", "markdown"), ("r.csv", "csv"), ("r.junit.xml", "junit"),
    ("r.xml", "junit"), ("r.sarif", "sarif"), ("r.sarif.json", "sarif"), ("r.json", "json"), ("R.HTML", "html"),
])
def test_format_is_chosen_by_extension(name, fmt):
    assert format_for(name).name == fmt


def test_markdown_has_every_section_and_every_failure():
    r = sample_result()
    md = render_markdown(r, RenderOptions())
    for heading in ("# Security and privacy audit: Lakeside Counseling", "## Summary", "### What to fix first",
                    "## Scores by area", "## What was checked", "## How the score is calculated", "## Appendix",
                    "### Waived rules", "### Rules that do not apply"):
        assert f"\n{heading}\n" in f"\n{md}"
    for f in r.findings:
        if f.status == "fail":
            assert f"`{f.rule_id}`" in md
    # what is wrong, in the failure's words, not the rule's goal
    assert "1. **critical** Shared Drive holds client data without a signed BAA." in md
    assert "**critical** Every platform with client data" not in md
    assert "## Changes since the last scan" not in md


def test_markdown_with_history_lists_changes():
    from cyberaudit.diff import diff_results

    md = render_markdown(later_result(), RenderOptions(changes=diff_results(sample_result(), later_result())))
    assert "## Changes since the last scan" in md
    assert "- New problems: 1" in md and "- Fixed: 2" in md


def test_csv_has_one_row_per_finding():
    r = sample_result()
    rows = list(csv.DictReader(io.StringIO(render_csv(r, RenderOptions()))))
    assert len(rows) == len(r.findings)
    assert tuple(rows[0]) == COLUMNS
    by_key = {(row["rule_id"], row["target"]): row for row in rows}
    row = by_key[("MFA-USER-COVERAGE", "practice")]
    assert row["status"] == "fail" and row["severity"] == "high"
    assert json.loads(row["evidence"])["mfa.unenrolled"] == ["jane.doe@lakeside.example", "Bob.Smith@Lakeside.example"]
    assert by_key[("HTTP-CSP", SITE)]["waiver_expires"] == "2026-12-10"


def test_csv_cells_never_start_a_formula():
    from tests.render.sample import hostile_result

    rows = list(csv.reader(io.StringIO(render_csv(hostile_result(), RenderOptions()))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert any(cell.startswith("'=cmd|") for row in rows for cell in row)


def test_junit_has_a_case_per_rule_and_target_with_outcomes():
    r = sample_result()
    root = ET.fromstring(render_junit(r, RenderOptions()))
    cases = root.findall(".//testcase")
    assert len(cases) == len(r.findings)
    count = {s: sum(1 for f in r.findings if f.status == s) for s in ("fail", "error", "waived", "not_applicable")}
    assert len(root.findall(".//testcase/failure")) == count["fail"]
    assert len(root.findall(".//testcase/error")) == count["error"]
    assert len(root.findall(".//testcase/skipped")) == count["waived"] + count["not_applicable"]
    assert root.get("tests") == str(len(r.findings)) and root.get("failures") == str(count["fail"])
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    portal = suites[PORTAL]
    legacy = [c for c in portal.findall("testcase") if c.get("name").startswith("TLS-PROTOCOL-LEGACY")][0]
    failure = legacy.find("failure")
    assert failure.get("type") == "high" and "TLS 1.0" in failure.get("message")
    assert "How to fix" in failure.text
    assert portal.get("errors") == "1"


def test_junit_survives_control_characters_from_a_hostile_server():
    from tests.render.sample import hostile_result

    root = ET.fromstring(render_junit(hostile_result(), RenderOptions()))
    assert root.findall(".//testcase")


def test_sarif_validates_against_the_official_schema():
    for r in (sample_result(), later_result()):
        doc = json.loads(render_sarif(r, RenderOptions()))
        errors = [e.message for e in sarif_validator().iter_errors(doc)]
        assert errors == []


def test_sarif_validator_rejects_a_broken_log():
    doc = json.loads(render_sarif(sample_result(), RenderOptions()))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    del doc["runs"][0]["tool"]["driver"]["name"]
    assert len(list(sarif_validator().iter_errors(doc))) == 2


def test_sarif_rules_results_and_locations():
    r = sample_result()
    run = json.loads(render_sarif(r, RenderOptions(profile_uri="clients/lakeside/cyberaudit.yaml")))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [x["id"] for x in rules]
    by_id = {x["id"]: x for x in rules}
    assert by_id["ENC-PLATFORM-BAA"]["properties"]["security-severity"] == "9.5"
    assert by_id["TLS-PROTOCOL-LEGACY"]["properties"]["security-severity"] == "7.5"
    assert by_id["HTTP-HSTS"]["properties"]["security-severity"] == "5.0"
    assert by_id["DNS-DNSSEC"]["properties"]["security-severity"] == "2.5"
    assert by_id["HTTP-SECURITY-TXT"]["properties"]["security-severity"] == "0.0"
    assert "How to fix" in by_id["HTTP-HSTS"]["help"]["text"] and "**How to fix:**" in by_id["HTTP-HSTS"]["help"]["markdown"]
    results = run["results"]
    fails = [f for f in r.findings if f.status == "fail"]
    assert len([x for x in results if x["properties"]["status"] == "fail"]) == len(fails)
    lines = {t.id: t.line for t in r.targets}
    for res in results:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "clients/lakeside/cyberaudit.yaml"
        assert loc["region"]["startLine"] == lines[res["properties"]["target"]]
    legacy = [x for x in results if x["ruleId"] == "TLS-PROTOCOL-LEGACY"][0]
    assert legacy["level"] == "error" and legacy["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    errors = [x for x in results if x["properties"]["status"] == "error"]
    assert errors and all(x["level"] == "warning" and x["kind"] == "fail" for x in errors)
    waived = [x for x in results if "suppressions" in x]
    assert {x["ruleId"] for x in waived} == {"HTTP-CSP"}
    assert waived[0]["suppressions"][0]["justification"].startswith("CSP rollout")
    assert {x["level"] for x in results if x["kind"] == "fail"} <= {"error", "warning", "note"}


def test_sarif_checks_that_could_not_be_made_show_in_the_default_view_and_say_why():
    r = sample_result()
    unchecked = {(f.rule_id, f.target): f for f in r.findings if f.status == "error"}
    results = json.loads(render_sarif(r, RenderOptions()))["runs"][0]["results"]
    shown = {(x["ruleId"], x["properties"]["target"]): x for x in results if x["properties"]["status"] == "error"}
    assert set(shown) == set(unchecked)
    for key, res in shown.items():
        # GitHub code scanning's default view shows error and warning; "none" vanished from it
        assert res["level"] == "warning"
        text = res["message"]["text"]
        assert text.startswith("Could not be checked: ")
        assert unchecked[key].message.removeprefix("could not be checked: ").rstrip(".") in text
        assert "not a pass" in text
    for level in ("error", "note"):
        doc = json.loads(render_sarif(r, RenderOptions(sarif_errors_level=level)))
        assert {x["level"] for x in doc["runs"][0]["results"] if x["properties"]["status"] == "error"} == {level}
        assert list(sarif_validator().iter_errors(doc)) == []
    quiet = json.loads(render_sarif(r, RenderOptions(sarif_errors_level="none")))["runs"][0]["results"]
    assert {(x["kind"], x["level"]) for x in quiet if x["properties"]["status"] == "error"} == {("open", "none")}


def test_sarif_errors_level_from_the_command_line(cli, tmp_path):
    saved = tmp_path / "result.json"
    saved.write_text(sample_result().to_json())
    out = tmp_path / "r.sarif"
    assert cli("report", str(saved), "-o", str(out), "--sarif-errors-level", "error").code == 0
    levels = {x["level"] for x in json.loads(out.read_text())["runs"][0]["results"]
              if x["properties"]["status"] == "error"}
    assert levels == {"error"}
    bad = cli("report", str(saved), "-o", str(out), "--sarif-errors-level", "loud")
    assert bad.code == 2 and "loud" in bad.err


def test_junit_classnames_and_names_are_unique_per_target():
    from tests.render.sample import SITE2

    r = sample_result()
    root = ET.fromstring(render_junit(r, RenderOptions()))
    cases = root.findall(".//testcase")
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(set(keys)) == len(keys) == len(r.findings)
    assert len({c.get("name") for c in cases}) == len(cases)  # GitLab keys tests by name alone
    by_suite = {s.get("name"): {c.get("classname") for c in s.findall("testcase")} for s in root.findall("testsuite")}
    # two websites: the same rule on each is two tests in two classes, never one
    site, site2 = by_suite[SITE], by_suite[SITE2]
    assert site and site2 and not site & site2
    assert "cyberaudit.http.https_lakeside_example" in site
    for classname in {c.get("classname") for c in cases}:
        assert classname.count(".") == 2  # cyberaudit.<area>.<target>: no dot inside the target part


def test_sarif_fingerprints_are_stable_across_runs():
    a = json.loads(render_sarif(sample_result(), RenderOptions()))["runs"][0]["results"]
    changed = replace(sample_result(), generated_at="2027-02-01T00:00:00Z",
                      findings=tuple(replace(f, message=f.message + " (again)") for f in sample_result().findings))
    b = json.loads(render_sarif(changed, RenderOptions()))["runs"][0]["results"]
    fa = {(x["ruleId"], x["properties"]["target"]): x["partialFingerprints"] for x in a}
    fb = {(x["ruleId"], x["properties"]["target"]): x["partialFingerprints"] for x in b}
    assert fa == fb
    assert len({tuple(v.values()) for v in fa.values()}) == len(fa)  # distinct per rule and target
    assert fa[("TLS-PROTOCOL-LEGACY", PORTAL)]["cyberauditFinding/v1"] == fingerprint("TLS-PROTOCOL-LEGACY", PORTAL)


def test_sarif_lists_checks_that_could_not_run():
    run = json.loads(render_sarif(sample_result(), RenderOptions()))["runs"][0]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert "tls on portal.lakeside.example:443: timeout after 5s" in notes
    assert "http on https://intake.lakeside.example/: connection refused" in notes


@pytest.mark.parametrize("fmt", ["html", "markdown", "csv", "junit", "sarif", "json"])
def test_a_scan_with_nothing_to_report_still_renders(fmt):
    from cyberaudit.render import FORMATS
    from tests.render.sample import make_result

    empty = make_result([], target_results=())
    out = FORMATS[fmt].renderer()(empty, RenderOptions())
    assert out
    if fmt == "sarif":
        assert list(sarif_validator().iter_errors(json.loads(out))) == []
    if fmt == "html":
        assert "Nothing could be scored" in out and "Nothing failed." in out


def test_every_built_in_area_has_a_plain_name():
    from cyberaudit.packs import load_rule_set
    from cyberaudit.render.areas import AREA_NAMES, area_name

    categories = {r.model.category for r in load_rule_set([]).rules.values()}
    assert categories <= set(AREA_NAMES), categories - set(AREA_NAMES)
    assert area_name("platforms") == "Your platforms" and area_name("safeguards") == "Policies & safeguards"
    assert area_name("our-own") == "our-own"  # a custom pack's category is shown as written
