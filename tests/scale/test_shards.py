"""Sharded scans, merged, and scans in worker processes give what one unsharded scan gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cyberaudit.errors import InputError
from cyberaudit.shards import Shard, parse_shard, shard_of
from tests.conftest import run_cli_subprocess
from tests.scale.conftest import write_profile


@pytest.fixture(scope="module")
def sites(servers, tmp_path_factory):
    https, plain, ca, _ = servers
    tmp = tmp_path_factory.mktemp("shards")
    return tmp, write_profile(tmp / "profile.yaml", https, plain, sites=7, endpoints=3), ca


def _scan(tmp: Path, profile: Path, ca: Path, out: str, *extra: str):
    run = run_cli_subprocess("scan", "-p", str(profile), "--ca-bundle", str(ca), "-o", str(tmp / out),
                             "--no-history", "-q", *extra)
    assert run.code in (0, 1), run.err
    return tmp / out


def _comparable(path: Path) -> dict:
    data = json.loads(path.read_text())
    for key in ("generated_at", "timings"):
        data.pop(key)
    data["options"].pop("shard", None)
    for t in data["targets"]:
        for p in t["probes"]:
            p.pop("duration_ms")
    return data


def test_merged_shards_equal_the_unsharded_scan(sites):
    tmp, profile, ca = sites
    whole = _scan(tmp, profile, ca, "whole.json", "--workers", "1")
    parts = [_scan(tmp, profile, ca, f"part{i}.json", "--shard", f"{i}/3") for i in (1, 2, 3)]
    sizes = [len(json.loads(p.read_text())["targets"]) for p in parts]
    assert sum(sizes) == len(json.loads(whole.read_text())["targets"])
    assert all(n < sum(sizes) for n in sizes)  # each shard scanned only its part
    run = run_cli_subprocess("merge", *map(str, reversed(parts)), "-o", str(tmp / "merged.json"), "-q")
    assert run.code == 0, run.err
    merged = _comparable(tmp / "merged.json")
    statuses = {f["status"] for f in merged["findings"]}
    assert {"pass", "fail"} <= statuses and len(merged["findings"]) > 100
    assert merged == _comparable(whole)


def test_workers_give_the_unsharded_result(sites):
    tmp, profile, ca = sites
    whole = _scan(tmp, profile, ca, "whole-w1.json", "--workers", "1")
    two = _scan(tmp, profile, ca, "whole-w2.json", "--workers", "2")
    assert json.loads(two.read_text())["timings"]["shards"] == 2
    assert _comparable(two) == _comparable(whole)


def test_merge_names_the_missing_and_doubled_shards(sites):
    tmp, profile, ca = sites
    parts = [_scan(tmp, profile, ca, f"m{i}.json", "--shard", f"{i}/3") for i in (1, 3)]
    run = run_cli_subprocess("merge", *map(str, parts), "-o", str(tmp / "m.json"))
    assert run.code == 2
    assert "shard 2 of 3 missing" in run.err and "Traceback" not in run.err
    run = run_cli_subprocess("merge", str(parts[0]), str(parts[0]), str(parts[1]), "-o", str(tmp / "m.json"))
    assert run.code == 2 and "given twice" in run.err
    whole = _scan(tmp, profile, ca, "w.json", "--workers", "1")
    run = run_cli_subprocess("merge", str(whole), "-o", str(tmp / "m.json"))
    assert run.code == 2 and "not one shard" in run.err


def test_shard_assignment_is_stable_and_covers_every_index():
    names = [f"https://site{i}.example/" for i in range(400)]
    seen = {shard_of("website", n, 4) for n in names}
    assert seen == {1, 2, 3, 4}
    assert shard_of("website", names[0], 4) == shard_of("website", names[0], 4)


def test_shard_auto_reads_kubernetes_indexed_jobs():
    assert parse_shard("auto", env={"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "3"}) == Shard(1, 3)
    assert parse_shard("auto", 5, env={"JOB_COMPLETION_INDEX": "4"}) == Shard(5, 5)
    for bad in ("0/3", "4/3", "x/3", "1-3"):
        with pytest.raises(InputError):
            parse_shard(bad, env={})
    with pytest.raises(InputError, match="JOB_COMPLETION_INDEX"):
        parse_shard("auto", env={})
