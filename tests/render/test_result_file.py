"""A saved Result of many targets read back a finding and a target at a time, equal to what was saved."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cyberaudit.errors import InputError
from cyberaudit.packed import PackedFindings
from cyberaudit.result import load_result, load_result_head
from tests.render.sample import base_findings, make_result, targets


def _many(n: int):
    """The sample's targets and findings, n times over under other names: well over the 1 MB a read takes."""
    fs, ts = [], []
    for i in range(n):
        rename = {t.id: f"{t.id}#{i}" for t in targets()}
        ts += [replace(t, id=rename[t.id]) for t in targets()]
        fs += [replace(f, target=rename.get(f.target, f.target)) for f in base_findings()]
    return make_result(fs, target_results=tuple(ts))


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    result = _many(400)
    path = tmp_path_factory.mktemp("big") / "result.json"
    path.write_text(result.to_json(), encoding="utf-8")
    assert path.stat().st_size > 3 * 1024 * 1024
    return result, path


def test_a_large_saved_result_reads_back_equal_and_writes_the_same_bytes(big):
    result, path = big
    loaded = load_result(path)
    assert loaded == result
    assert loaded.to_json() == path.read_text(encoding="utf-8")
    assert isinstance(loaded.findings, PackedFindings)  # held packed, as a scan holds its own
    head = load_result_head(path)
    assert (head.generated_at, head.profile_path, head.overall) == (
        result.generated_at, result.profile.path, result.scores.overall)


def test_a_bad_finding_deep_in_a_large_file_is_an_error_at_its_line(big, tmp_path):
    _, path = big
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = max(i for i, line in enumerate(lines) if '"status": "fail"' in line)
    lines[at] = lines[at].replace('"status": "fail"', '"status": "maybe"', 1)
    bad = tmp_path / "bad.json"
    bad.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_result(bad)
    assert caught.value.line == at + 1 and "status" in str(caught.value)
    # the head alone is intact: a list of saved results still shows this one on its trend
    assert load_result_head(bad).overall == big[0].scores.overall


def test_a_file_cut_short_is_an_error_not_a_shorter_result(big, tmp_path):
    _, path = big
    cut = tmp_path / "cut.json"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    for read in (load_result, load_result_head):
        with pytest.raises(InputError, match="not valid JSON"):
            read(cut)


def test_another_profiles_result_is_known_from_its_head_without_reading_on(big, tmp_path):
    result, path = big
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / "other.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")  # nothing after the profile is read
    assert load_result_head(cut, "/elsewhere/other.yaml") is None
    assert load_result_head(path, result.profile.path).overall == result.scores.overall
