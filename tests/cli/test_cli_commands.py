"""init, schema, rules and facts through the real CLI entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import yaml

from cyberaudit.profile import load_profile
from tests.conftest import REPO


def test_init_writes_a_commented_profile_that_loads(cli, tmp_path):
    path = tmp_path / "cyberaudit.yaml"
    run = cli("init", str(path))
    assert run.code == 0
    text = path.read_text()
    assert text.startswith("# cyberaudit profile")
    loaded = load_profile(path)
    assert loaded.profile.practice.name == "Lakeside Counseling"
    assert cli("init", str(path)).code == 2  # never overwrites without --force
    assert cli("init", str(path), "--force").code == 0


def test_init_interactive_refuses_without_a_terminal(cli, tmp_path):
    run = cli("init", str(tmp_path / "p.yaml"), "--interactive")
    assert run.code == 2 and "needs a terminal" in run.err


def _as_json(data):
    return json.loads(json.dumps(data, default=str))


def test_profile_schema_accepts_the_example_and_rejects_a_typo(cli, tmp_path):
    run = cli("schema", "profile")
    schema = json.loads(run.out)
    cli("init", str(tmp_path / "p.yaml"))
    example = _as_json(yaml.safe_load((tmp_path / "p.yaml").read_text()))
    jsonschema.validate(example, schema)
    example["practice"]["jurisdicton"] = "US"
    try:
        jsonschema.validate(example, schema)
    except jsonschema.ValidationError as exc:
        assert "jurisdicton" in exc.message
    else:
        raise AssertionError("a misspelt key passed the schema")


def test_pack_schema_accepts_every_builtin_pack(cli):
    schema = json.loads(cli("schema", "pack").out)
    packs = sorted((REPO / "rules").glob("*.yaml"))
    for pack in packs:
        jsonschema.validate(_as_json(yaml.safe_load(pack.read_text())), schema)
    bad = {"pack": "x", "version": "1.0.0", "title": "t", "rules": [
        {"id": "X-Y", "title": "t", "category": "c", "severity": "high", "scope": "website", "probe": "http",
         "check": {"fact": "http.x", "equal": 1}, "rationale": "r", "remediation": "r", "references": ["r"]}]}
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("an unknown operator passed the schema")


def test_result_schema_is_valid_json_schema(cli):
    schema = json.loads(cli("schema", "result").out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "findings" in schema["properties"]


def test_rules_list_show_and_filter(cli):
    listing = cli("rules", "list", "--format", "json")
    assert listing.code == 0
    rules = json.loads(listing.out)
    ids = {r["id"] for r in rules}
    assert len(ids) == len(rules)
    if not rules:
        return
    some = rules[0]
    shown = cli("rules", "show", some["id"].lower())
    assert shown.code == 0
    for section in ("Why it matters:", "What to do:", "References:", "Check:"):
        assert section in shown.out
    only = json.loads(cli("rules", "list", "--category", some["category"], "--format", "json").out)
    assert only and all(r["category"] == some["category"] for r in only)
    assert cli("rules", "show", "NO-SUCH-RULE").code == 2
    assert cli("rules", "list", "--category", "no-such-category").code == 2


def test_facts_lists_every_probe(cli):
    run = cli("facts", "--format", "json")
    data = json.loads(run.out)
    assert set(data) >= {"declared", "tls", "http", "privacy", "email"}
    for name, probe in data.items():
        if probe is None:
            continue
        assert probe["facts"], name
        assert all(f["path"].startswith(name + ".") and f["description"] for f in probe["facts"])


def test_version(cli):
    run = cli("--version")
    assert run.code == 0 and run.out.startswith("cyberaudit ")


def test_console_script_runs_as_a_separate_process():
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-m", "cyberaudit", "rules", "list"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 0
    assert "\x1b[" not in proc.stdout  # no colour codes when not on a terminal


def test_docs_facts_md_is_generated_from_the_code(cli):
    """docs/facts.md must be regenerated (`cyberaudit facts --format markdown`) when a probe changes."""
    run = cli("facts", "--format", "markdown")
    assert run.code == 0
    assert (REPO / "docs" / "facts.md").read_text(encoding="utf-8") == run.out
