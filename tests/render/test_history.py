"""Saved results beside the profile, and what the next report learns from them."""

from __future__ import annotations

import json
from dataclasses import replace

from cyberaudit.history import context_before, default_history_dir, load_history, record, save_result
from cyberaudit.result import ProfileInfo
from tests.render.sample import SITE2, compacted, later_result, sample_result


def test_first_scan_has_no_previous_then_the_second_compares(tmp_path):
    first = record(sample_result(), tmp_path)
    assert first.previous is None and first.changes is None
    assert first.saved_to.name == "result-20261126T060000Z.json"
    second = record(later_result(), tmp_path)
    assert second.previous.path == first.saved_to
    assert {(c.rule_id, c.target) for c in second.changes.new_failures} == {("HTTP-CSP", SITE2)}
    assert [p.score for p in second.trend] == [sample_result().scores.overall.score,
                                              later_result().scores.overall.score]
    assert len(list(tmp_path.glob("result-*.json"))) == 2


def test_saved_file_is_the_result_json_and_private(tmp_path):
    path = save_result(sample_result(), tmp_path)
    assert json.loads(path.read_text()) == sample_result().to_dict()
    assert path.stat().st_mode & 0o077 == 0  # results name people and folders: owner-only


def test_two_results_in_the_same_second_both_kept(tmp_path):
    a = save_result(sample_result(), tmp_path)
    b = save_result(sample_result(), tmp_path)
    assert a != b and a.exists() and b.exists()
    assert len(load_history(tmp_path)) == 2


def test_saved_file_is_byte_for_byte_the_result_json_also_after_a_clash(tmp_path):
    # a scan's Result holds facts and evidence compact; what is saved is the same text as -o result.json
    result = compacted(sample_result())
    first, second = save_result(result, tmp_path), save_result(result, tmp_path)
    assert second.name.endswith("-2.json")
    assert first.read_bytes() == second.read_bytes() == sample_result().to_json().encode("utf-8")


def test_other_profiles_in_the_same_folder_are_ignored(tmp_path):
    other = replace(sample_result(), profile=ProfileInfo("/elsewhere/other.yaml", "sha256:00", "Other", "US"),
                    generated_at="2026-11-28T00:00:00Z")
    save_result(other, tmp_path)
    ctx = record(later_result(), tmp_path)
    assert ctx.previous is None


def test_context_before_ignores_results_newer_than_the_one_rendered(tmp_path):
    save_result(sample_result(), tmp_path)
    save_result(later_result(), tmp_path)
    ctx = context_before(sample_result(), tmp_path)
    assert ctx.previous is None and ctx.changes is None
    ctx = context_before(later_result(), tmp_path)
    assert ctx.previous.result.generated_at == sample_result().generated_at


def test_a_damaged_history_file_is_skipped_and_named(tmp_path):
    bad = tmp_path / "result-20261101T000000Z.json"
    bad.write_text("{not json")
    binary = tmp_path / "result-20261102T000000Z.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    good = save_result(sample_result(), tmp_path)
    skipped: list[str] = []
    entries = load_history(tmp_path, skipped=skipped)
    assert [e.path for e in entries] == [good]
    assert any(str(bad) in s and ":1:2" in s for s in skipped)
    assert any(str(binary) in s and "not UTF-8" in s for s in skipped)


def test_unrelated_files_are_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "report.json").write_text("{}")
    assert load_history(tmp_path) == []


def test_default_folder_is_beside_the_profile(tmp_path):
    assert default_history_dir(tmp_path / "cyberaudit.yaml") == tmp_path.resolve() / ".cyberaudit-history"


def test_results_saved_in_the_same_second_keep_their_order(tmp_path):
    first = save_result(sample_result(), tmp_path)
    second = save_result(replace(sample_result(), options={"marker": 2}), tmp_path)
    third = save_result(replace(sample_result(), options={"marker": 3}), tmp_path)
    assert [e.path for e in load_history(tmp_path)] == [first, second, third]


def test_the_trend_comes_from_every_saved_result_and_only_the_latest_is_read_whole(tmp_path):
    older = replace(sample_result(), generated_at="2026-10-01T09:00:00Z")
    save_result(older, tmp_path)
    save_result(replace(sample_result(), generated_at="2026-11-01T09:00:00Z"), tmp_path)
    entries = load_history(tmp_path)
    assert [e.point.generated_at for e in entries] == ["2026-10-01T09:00:00Z", "2026-11-01T09:00:00Z"]
    assert entries[0].point.score == older.scores.overall.score
    assert all("result" not in vars(e) for e in entries)  # listed by their trend points alone
    ctx = record(replace(sample_result(), generated_at="2026-12-01T09:00:00Z"), tmp_path)
    assert [p.generated_at for p in ctx.trend] == ["2026-10-01T09:00:00Z", "2026-11-01T09:00:00Z",
                                                   "2026-12-01T09:00:00Z"]
    assert ctx.previous is not None and ctx.previous.result.generated_at == "2026-11-01T09:00:00Z"


def test_a_previous_result_damaged_past_its_head_is_named_and_the_one_before_is_compared(tmp_path):
    older = save_result(replace(sample_result(), generated_at="2026-10-01T09:00:00Z"), tmp_path)
    damaged = save_result(replace(sample_result(), generated_at="2026-11-01T09:00:00Z"), tmp_path)
    text = damaged.read_text()
    damaged.write_text(text.replace('"status": "fail"', '"status": "maybe"', 1))
    ctx = record(later_result(), tmp_path)
    assert ctx.previous is not None and ctx.previous.path == older
    assert ctx.changes is not None and ctx.changes.old_generated_at == "2026-10-01T09:00:00Z"
    assert any(str(damaged) in s and "status" in s for s in ctx.skipped)
    assert [p.generated_at for p in ctx.trend] == ["2026-10-01T09:00:00Z", later_result().generated_at]
