"""Hostile files a user may name: each class ends in one line naming the file, exit 2, never exit 3."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO
from tests.render.sample import sample_result

PROFILE = "practice:\n  name: Test Practice\n"
PACK = """pack: custom
version: 1.0.0
title: Custom
rules:
  - id: CUSTOM-BAA
    title: A BAA is signed
    category: encryption
    severity: high
    scope: platform
    probe: declared
    check: {fact: declared.baa_signed, equals: true}
    rationale: Why.
    remediation: What.
    references: [HIPAA]
"""


def assert_clean_error(run, path, fragment, line=None):
    assert run.code == 2, run
    text = run.err + run.out
    assert "Traceback" not in text and "This is a bug" not in text
    lines = [ln for ln in run.err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, run.err
    prefix = f"{path}:{line}:" if line is not None else str(path)
    assert lines[0].startswith(f"error: {prefix}"), lines[0]
    assert fragment in lines[0], lines[0]


def write_bytes(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x90", "\x9f"])
@pytest.mark.parametrize("kind", ["profile", "pack"])
def test_control_characters_are_named_at_their_line(cli, tmp_path, char, kind):
    if kind == "profile":
        path = write_bytes(tmp_path, "p.yaml", PROFILE.replace("Test", f"Te{char}st"))
        run = cli("scan", "-p", str(path), "-q", "--no-history")
        where = 2
    else:
        path = write_bytes(tmp_path, "pack.yaml", PACK.replace("What.", f"Wh{char}at."))
        run = cli("rules", "validate", str(path))
        where = 13
    assert_clean_error(run, path, f"control character U+{ord(char):04X}", where)


@pytest.mark.parametrize("body, fragment", [
    (PACK.replace("check: {fact: declared.baa_signed, equals: true}",
                  "check: " + "{not: " * 1000 + "{fact: declared.baa_signed, equals: true}" + "}" * 1000),
     "nest more than"),
    (PACK + "extra: " + "[" * 1000 + "]" * 1000 + "\n", "nest more than"),
    (PACK.replace("check: {fact: declared.baa_signed, equals: true}", "check:\n" + "".join(
        "      " + "  " * i + "not:\n" for i in range(300)) + "      " + "  " * 300 + "fact: x\n"), "nest more than"),
])
def test_deep_yaml_nesting(cli, tmp_path, body, fragment):
    path = write_bytes(tmp_path, "pack.yaml", body)
    assert_clean_error(cli("rules", "validate", str(path)), path, fragment)


@pytest.mark.parametrize("body, fragment", [
    (PROFILE + "waivers: !!timestamp soon\n", "invalid value 'soon'"),
    (PROFILE + "a: !!bool maybe\n", "invalid value 'maybe'"),
    (PROFILE + "a: !!int ten\n", "invalid value 'ten'"),
    (PROFILE + "a: !!float many\n", "invalid value 'many'"),
    (PROFILE + "a: !!python/object/apply:os.system ['echo pwned']\n", "unsupported YAML tag"),
    (PROFILE + "? !!python/name:os.system\n: 1\n", "unsupported YAML tag"),
    (PROFILE + "a: !!binary aGk=\n", "unsupported YAML tag"),
    (PROFILE + "a: !mine 1\n", "unsupported YAML tag"),
    (PROFILE + "a: !!set {x}\n", "unsupported YAML tag"),
    (PROFILE + "targets:\n  endpoints:\n    - host: a.example\n      port: " + "9" * 5000 + "\n",
     "a number of 5,000 characters"),
    (PROFILE + "targets:\n  websites:\n    - url: " + "9" * 5000 + "https://x.example/\n", "expected a https"),
    (PROFILE + "rules:\n  disable: [" + "X" * 5000 + "]\n", "unknown rule id 'XXXX"),
])
def test_yaml_tags_and_numbers(cli, tmp_path, body, fragment):
    path = write_bytes(tmp_path, "p.yaml", body)
    run = cli("scan", "-p", str(path), "-q", "--no-history")
    assert_clean_error(run, path, fragment)
    assert len(run.err) < 400


def test_a_profile_of_100000_keys_is_refused_quickly(cli, tmp_path):
    path = write_bytes(tmp_path, "p.yaml", PROFILE + "".join(f"key{i}: {i}\n" for i in range(100_000)))
    started = time.monotonic()
    run = cli("scan", "-p", str(path), "-q", "--no-history")
    assert_clean_error(run, path, "more than 1,000 keys", 1002)
    assert time.monotonic() - started < 5  # was 7 s and 281 MB before its error


def _result_text(mutate) -> str:
    data = sample_result().to_dict()
    mutate(data)
    return json.dumps(data, indent=1).replace('"HUGE"', "9" * 5000)


def _finding(key, value):
    return lambda data: data["findings"][0].__setitem__(key, value)


RESULT_CASES = [
    ("[" * 100_000 + "]" * 100_000, "nest more than 64 levels"),
    (_result_text(_finding("evidence", {"deep": json.loads("[" * 500 + "]" * 500)})), "nest more than 64 levels"),
    (_result_text(lambda d: d["scores"]["overall"].update(weight_pass="HUGE")), "a number of 5,000 digits"),
    (_result_text(_finding("target", {"a": 1})), "findings[0].target: expected text, got a mapping"),
    (_result_text(_finding("rule_id", ["X"])), "findings[0].rule_id: expected text, got a list"),
    (_result_text(_finding("evidence", "oops")), "findings[0].evidence: expected a mapping"),
    (_result_text(_finding("status", 7)), "findings[0].status must be one of pass, fail"),
    (_result_text(_finding("details", {"a": 1})), "findings[0].details: expected a list"),
    (_result_text(lambda d: d.update(findings={"a": 1})), "findings: expected a list"),
    (_result_text(lambda d: d["scores"]["overall"].update(score="high")), "scores.overall.score: expected a number"),
    (_result_text(lambda d: d["targets"][0].update(probes=[{"probe": 1, "status": "ok", "duration_ms": 1}])),
     "targets[0].probes[0].probe: expected text"),
]


@pytest.mark.parametrize("text, fragment", RESULT_CASES)
@pytest.mark.parametrize("command", ["report", "diff"])
def test_hostile_results(cli, tmp_path, text, fragment, command):
    path = write_bytes(tmp_path, "r.json", text)
    if command == "report":
        run = cli("report", str(path), "-o", str(tmp_path / "out.md"), "--no-history")
    else:
        good = write_bytes(tmp_path, "good.json", sample_result().to_json())
        run = cli("diff", str(good), str(path))
    assert_clean_error(run, path, fragment)


def test_a_wrong_type_in_a_result_is_named_at_its_line(cli, tmp_path):
    text = _result_text(_finding("target", {"a": 1}))
    path = write_bytes(tmp_path, "r.json", text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if '"target": {' in ln)
    assert_clean_error(cli("report", str(path), "-o", str(tmp_path / "out.md"), "--no-history"), path,
                       "findings[0].target", line)


def _limited() -> None:
    # on a reader without a size limit, /dev/zero would eat all memory: fail fast instead
    resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))


def run_limited(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "CYBERAUDIT_CRASH_DIR": str(cwd)}
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "cyberaudit", *args], capture_output=True, text=True,
                              cwd=cwd, env=env, timeout=30, preexec_fn=_limited)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{args} did not end within 30 s")
    return proc, time.monotonic() - started


def _special(tmp_path, kind):
    if kind == "dev-zero":
        return "/dev/zero"
    if kind == "fifo":
        path = tmp_path / "fifo.yaml"
        os.mkfifo(path)
        return str(path)
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: no disk used
    return str(path)


@pytest.mark.parametrize("kind, fragment", [("dev-zero", "not a regular file"), ("fifo", "not a regular file"),
                                            ("huge", "300 MB, larger than the")])
@pytest.mark.parametrize("command", ["profile", "pack", "report", "diff"])
def test_special_and_huge_files(tmp_path, kind, fragment, command):
    path = _special(tmp_path, kind)
    good = tmp_path / "good.json"
    good.write_text(sample_result().to_json(), encoding="utf-8")
    args = {"profile": ["scan", "-p", path, "-q", "--no-history"], "pack": ["rules", "validate", path],
            "report": ["report", path, "-o", str(tmp_path / "o.md"), "--no-history"],
            "diff": ["diff", str(good), path]}[command]
    proc, elapsed = run_limited(args, tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}") and fragment in lines[0], proc.stderr
    assert elapsed < 20


@pytest.mark.parametrize("body, fragment", [
    ("catalog: mine\nversion: '1'\nentries:\n  - id: a\x00b\n", "control character U+0000"),
    ("catalog: mine\nversion: '1'\nentries: " + "[" * 500 + "]" * 500 + "\n", "nest more than"),
    ("catalog: mine\nversion: '1'\nentries:\n  - !!python/object/apply:os.system ['echo pwned']\n",
     "unsupported YAML tag"),
    ("catalog: mine\nversion: '1'\nentries:\n  - id: zoom-x\n    nmae: Zoom\n", "did you mean name?"),
])
def test_hostile_platform_catalogues(cli, tmp_path, body, fragment):
    path = write_bytes(tmp_path, "catalog.yaml", body)
    run = cli("platforms", "--catalog", str(path))
    assert run.code == 2, run
    assert "Traceback" not in run.err and "This is a bug" not in run.err
    assert run.err.startswith(f"error: {path}:") and fragment in run.err, run.err


def test_odd_keys_cannot_break_an_error_into_extra_lines(cli, tmp_path):
    text = _result_text(lambda d: d["rules"].update({"X\nerror: fake\x1b[2J": {"id": 1}}))
    path = write_bytes(tmp_path, "r.json", text)
    run = cli("report", str(path), "-o", str(tmp_path / "out.md"), "--no-history")
    assert run.code == 2
    lines = run.err.strip().splitlines()
    assert lines and all(ln.startswith(f"error: {path}:") for ln in lines), run.err
    assert "\x1b" not in run.err
    profile = write_bytes(tmp_path, "p.yaml", PROFILE + 'targets:\n  "web\\nerror: fake":\n    - x\n')
    run = cli("scan", "-p", str(profile), "-q", "--no-history")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1, run.err
