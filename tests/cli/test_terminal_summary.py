"""The terminal summary of a real scan of the loopback demo practice: grouped by target, short by default,
ending with the reports written and the next step."""

from __future__ import annotations

import json
import re

import pytest

from cyberaudit.demo.practice import demo_practice


@pytest.fixture
def practice(tmp_path):
    with demo_practice(tmp_path / "practice") as p:
        yield p


def _scan(cli, practice, tmp_path, *extra: str):
    html, result = tmp_path / "out" / "report.html", tmp_path / "out" / "result.json"
    run = cli(*practice.scan_arguments(), "--no-history", "-o", str(html), "-o", str(result), *extra)
    assert run.code == 0, run.err
    return run, html, json.loads(result.read_text())


def test_failures_grouped_by_target_then_reports_and_next_step_last(cli, practice, tmp_path):
    run, html, result = _scan(cli, practice, tmp_path)
    lines = run.out.rstrip().splitlines()
    failed = [f for f in result["findings"] if f["status"] == "fail"]
    passed_only = {f["rule_id"] for f in result["findings"] if f["status"] == "pass"} - {f["rule_id"] for f in failed}
    # every failure is listed under its own target's heading
    heads = {t["id"]: i for i, line in enumerate(lines) for t in result["targets"]
             if re.match(rf"^\S[^:]*: {re.escape(t['id'])}  ", line)}
    order = sorted(heads.values())
    for f in failed:
        start = heads[f["target"]]
        end = next((i for i in order if i > start), len(lines))
        assert any(f["rule_id"] in line for line in lines[start:end]), f"{f['rule_id']} not under {f['target']}"
    # passes are not listed by default
    assert passed_only and not any(rid in run.out for rid in passed_only)
    # the last lines: the reports, with absolute paths, then what to do next
    critical = sum(1 for f in failed if f["severity"] == "critical")
    assert lines[-1] == f"Next: open {html.resolve()}; fix the {critical} critical items first."
    assert lines[-4] == "Reports written:"
    assert lines[-3].split() == ["html", str(html.resolve())]
    assert lines[-2].split() == ["json", str((tmp_path / "out" / "result.json").resolve())]
    assert "wrote html report" not in run.err  # said once, at the end, not scrolled away above


def test_verbose_lists_every_check(cli, practice, tmp_path):
    short, _, result = _scan(cli, practice, tmp_path)
    full, _, _ = _scan(cli, practice, tmp_path, "-v")
    passed = {f["rule_id"] for f in result["findings"] if f["status"] == "pass"}
    assert all(rid in full.out for rid in passed)
    assert len(full.out.splitlines()) > len(short.out.splitlines())
    assert full.out.rstrip().splitlines()[-1].startswith("Next: open ")
