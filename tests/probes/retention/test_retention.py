"""Retention on disk: real folder trees with file times set in the past."""

from __future__ import annotations

import os
import time

import pytest

from cyberaudit.probes.retention.folder_walk import walk_folder
from cyberaudit.probes.retention.probe import PROBE, RetentionProbe
from tests.probes.controls_helpers import context, finding, practice, profile, status

DAY = 86400.0


def touch(path, age_days, size=10):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    t = time.time() - age_days * DAY
    os.utime(path, (t, t))
    return path


def run(tmp_path, retention, redact=False):
    prof = profile({"controls": {"retention": retention}})
    return PROBE.run(practice(prof), context(prof, tmp_path, redact=redact)), practice(prof)


def test_counts_ages_and_sizes_per_folder_and_kind(tmp_path):
    touch(tmp_path / "exports/2025/q1.csv", 400, size=100)
    touch(tmp_path / "exports/2026/q3.csv", 20, size=50)
    touch(tmp_path / "exports/deep/a/b/c/old.pdf", 800, size=7)
    touch(tmp_path / "exports/readme.txt", 900)  # not matched by the patterns
    out, t = run(tmp_path, {"paths": [{"path": "exports", "kind": "exports", "max_age_days": 365,
                                       "patterns": ["*.csv", "*.PDF"]}]})
    folder = out.facts["folders"][0]
    assert (folder["files"], folder["bytes"], folder["over_max_age"]) == (3, 157, 2)
    assert [o["path"] for o in folder["oldest"]] == ["deep/a/b/c/old.pdf", "2025/q1.csv", "2026/q3.csv"]
    assert 799 < folder["oldest_age_days"] < 801
    assert out.facts["kinds"]["exports"] == {"files": 3, "bytes": 157, "over_max_age": 2}
    f = finding("RET-STALE-FILES", out, t)
    assert f.status == "fail" and "exports" in " ".join(f.details)


def test_clean_folder_passes_and_no_folders_is_not_applicable(tmp_path):
    touch(tmp_path / "notes/recent.docx", 10)
    out, t = run(tmp_path, {"clinical_records_years": 7, "paths": [{"path": "notes", "kind": "notes"}]})
    assert out.facts["folders"][0]["max_age_days"] == pytest.approx(7 * 365.25, abs=0.1)
    assert status("RET-STALE-FILES", out, t) == "pass"
    out, t = run(tmp_path, {})
    assert status("RET-STALE-FILES", out, t) == "not_applicable"


def test_keeps_only_the_twenty_oldest_and_redacts_them(tmp_path):
    for i in range(30):
        touch(tmp_path / f"x/client-{i:02d}.txt", 100 + i)
    out, _ = run(tmp_path, {"paths": [{"path": "x", "max_age_days": 1}]}, redact=True)
    oldest = out.facts["folders"][0]["oldest"]
    assert len(oldest) == 20
    assert all(o["path"].startswith("file-") for o in oldest)
    assert "client" not in repr(out.facts)
    ages = [o["age_days"] for o in oldest]
    assert ages == sorted(ages, reverse=True) and ages[0] == pytest.approx(129, abs=0.1)


def test_symlink_loop_and_outside_links_are_not_followed(tmp_path):
    outside = touch(tmp_path / "elsewhere/secret-old.txt", 5000)
    root = tmp_path / "tree"
    touch(root / "a/file.txt", 5)
    (root / "a/loop").symlink_to(root, target_is_directory=True)
    (root / "to-outside").symlink_to(outside.parent, target_is_directory=True)
    (root / "outside-file.txt").symlink_to(outside)
    started = time.monotonic()
    out, t = run(tmp_path, {"paths": [{"path": "tree", "max_age_days": 30}]})
    assert time.monotonic() - started < 5
    folder = out.facts["folders"][0]
    assert folder["files"] == 1 and folder["symlinks_skipped"] == 3
    assert status("RET-STALE-FILES", out, t) == "pass"


def test_missing_folder_is_an_error_not_a_pass(tmp_path):
    out, t = run(tmp_path, {"paths": [{"path": "~/definitely-not-here-cyberaudit", "max_age_days": 30}]})
    f = finding("RET-STALE-FILES", out, t)
    assert f.status == "error"
    assert out.facts["folders"][0]["error"].endswith(")") and "does not exist" in out.facts["folders"][0]["error"]
    # the reader is told what the facts say, not that a fact is unknown
    assert f.message.startswith("Could not be checked: ~/definitely-not-here-cyberaudit: the folder does not exist")
    assert "over_max_age" not in f.message and "unknown" not in f.message
    out, _ = run(tmp_path, {"paths": [{"path": "gone", "max_age_days": 30}]}, redact=True)
    assert str(tmp_path) not in out.facts["folders"][0]["error"]
    # a stale file in another folder is still a failure
    touch(tmp_path / "old/x.txt", 90)
    out, t = run(tmp_path, {"paths": [{"path": "missing", "max_age_days": 30},
                                      {"path": "old", "max_age_days": 30}]})
    f = finding("RET-STALE-FILES", out, t)
    assert f.status == "fail"
    assert f.evidence_text == ("Files in old older than 30 days: 1 (the oldest is 90 days old).",)


def test_folder_without_a_maximum_is_an_error(tmp_path):
    touch(tmp_path / "dl/a.pdf", 3)
    out, t = run(tmp_path, {"paths": [{"path": "dl", "kind": "exports"}]})
    f = finding("RET-STALE-FILES", out, t)
    assert f.status == "error" and out.facts["folders"][0]["files"] == 1
    assert "max_age_days" in out.facts["folders"][0]["error"]


def raising_scandir(blocked):
    """os.scandir, except that `blocked` raises PermissionError as an unreadable folder does."""
    def scandir(path):
        if os.path.basename(path) == blocked:
            raise PermissionError(13, "Permission denied", path)
        return os.scandir(path)
    return scandir


def test_permission_errors_are_counted_and_never_read_as_clean(tmp_path):
    touch(tmp_path / "n/ok.txt", 1)
    touch(tmp_path / "n/private/hidden.txt", 1)
    walked = walk_folder(tmp_path / "n", [], 30, scandir=raising_scandir("private"))
    assert walked.files == 1 and walked.permission_errors == 1 and walked.error_paths == ["private"]
    item = {}
    RetentionProbe._fill(item, walked, profile({"controls": {"retention": {"paths": [{"path": "n"}]}}})
                         .controls.retention.paths[0], 30, False, 0)
    assert item["over_max_age"] is None and "could not be read" in item["error"]


def test_unreadable_folder_on_disk(tmp_path):
    touch(tmp_path / "n/ok.txt", 1)
    locked = tmp_path / "n/locked"
    touch(locked / "inside.txt", 1)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: file modes do not stop root (covered by the scandir test above)")
        out, t = run(tmp_path, {"paths": [{"path": "n", "max_age_days": 30}]})
        assert out.facts["folders"][0]["permission_errors"] == 1
        assert status("RET-STALE-FILES", out, t) == "error"
    finally:
        locked.chmod(0o755)


def test_recordings_against_the_declared_period(tmp_path):
    touch(tmp_path / "rec/session-2026-11-01.mp4", 25)
    paths = [{"path": "rec", "kind": "recordings"}]
    out, t = run(tmp_path, {"recordings_days": 30, "paths": paths})
    assert out.facts["recordings"]["checked_on_disk"] is True
    assert status("RET-RECORDINGS", out, t) == "pass"
    out, t = run(tmp_path, {"recordings_days": 7, "paths": paths})
    assert out.facts["recordings"]["over_declared"] == 1
    assert status("RET-RECORDINGS", out, t) == "fail"
    assert status("RET-STALE-FILES", out, t) == "fail"
    # "never kept" and a recording on disk
    out, t = run(tmp_path, {"recordings_days": 0, "paths": paths})
    assert status("RET-RECORDINGS", out, t) == "fail"
    # a folder maximum looser than the declared period does not excuse old recordings
    out, t = run(tmp_path, {"recordings_days": 7, "paths": [{**paths[0], "max_age_days": 60}]})
    assert status("RET-STALE-FILES", out, t) == "pass"
    assert status("RET-RECORDINGS", out, t) == "fail"


def test_recordings_declared_only_is_not_applicable_never_a_pass(tmp_path):
    # a declared period with no recordings folder: nothing on this computer was checked
    for declared in (0, 30, 36500):
        out, t = run(tmp_path, {"recordings_days": declared})
        assert out.facts["recordings"]["checked_on_disk"] is False
        f = finding("RET-RECORDINGS", out, t)
        assert f.status == "not_applicable" and "nothing on this computer to check" in f.message
    # a folder of another kind does not make it apply
    (tmp_path / "notes").mkdir()
    out, t = run(tmp_path, {"recordings_days": 30, "paths": [{"path": "notes", "kind": "notes",
                                                              "max_age_days": 30}]})
    assert status("RET-RECORDINGS", out, t) == "not_applicable"


def test_recordings_folder_missing_or_period_unknown(tmp_path):
    (tmp_path / "rec").mkdir()
    out, t = run(tmp_path, {"paths": [{"path": "rec", "kind": "recordings", "max_age_days": 30}]})
    f = finding("RET-RECORDINGS", out, t)
    assert f.status == "error" and "recordings_days" in f.message
    out, t = run(tmp_path, {"recordings_days": 0, "paths": [{"path": "rec", "kind": "recordings"}]})
    assert out.facts["recordings"]["checked_on_disk"] is True
    assert status("RET-RECORDINGS", out, t) == "pass"
    out, t = run(tmp_path, {"recordings_days": 0, "paths": [{"path": "gone", "kind": "recordings"}]})
    f = finding("RET-RECORDINGS", out, t)
    assert f.status == "error" and "does not exist" in f.message


def test_walk_stops_at_the_deadline_and_is_not_clean(tmp_path):
    for i in range(1100):
        (tmp_path / f"f{i}").write_bytes(b"")
    walked = walk_folder(tmp_path, [], 30, deadline=time.monotonic() - 1)
    assert walked.complete is False
    item = {}
    conf = profile({"controls": {"retention": {"paths": [{"path": "x"}]}}}).controls.retention.paths[0]
    RetentionProbe._fill(item, walked, conf, 30, False, 0)
    assert item["over_max_age"] is None and "deadline" in item["error"]
