"""The rule index `rules list` reads: the same rules as loading the packs, rebuilt when a pack changes."""

from __future__ import annotations

import json
import shutil

from cyberaudit.packs import load_rule_set, pack_files
from cyberaudit.resources import builtin_rules_dir
from cyberaudit.ruleindex import RuleSummary, pack_paths, rule_index


def _loaded(folder=None) -> list[RuleSummary]:
    rs = load_rule_set() if folder is None else load_rule_set([folder], builtin=False)
    return [RuleSummary(r.id, r.model.title, r.model.category, r.model.severity, r.model.scope, r.model.probe,
                        r.pack) for r in rs.rules.values()]


def test_the_index_lists_what_loading_the_shipped_packs_gives_built_and_read_back(tmp_path):
    expected = _loaded()
    assert rule_index(cache=tmp_path) == expected  # built
    assert list(tmp_path.glob("rule-index-*.json"))
    assert rule_index(cache=tmp_path) == expected  # read back
    assert pack_paths(builtin_rules_dir()) == pack_files(builtin_rules_dir())


def test_a_changed_added_or_removed_pack_file_rebuilds_the_index(tmp_path):
    packs, cache = tmp_path / "packs", tmp_path / "cache"
    packs.mkdir()
    for name in ("tls.yaml", "email.yaml"):
        shutil.copy(builtin_rules_dir() / name, packs / name)
    assert rule_index(packs, cache) == _loaded(packs)
    tls = packs / "tls.yaml"
    first = next(r for r in rule_index(packs, cache) if r.pack == "tls")
    tls.write_text(tls.read_text(encoding="utf-8").replace(f"title: {first.title}", "title: A new title", 1),
                   encoding="utf-8")
    assert next(r for r in rule_index(packs, cache) if r.id == first.id).title == "A new title"
    shutil.copy(builtin_rules_dir() / "http.yaml", packs / "http.yaml")
    assert {r.pack for r in rule_index(packs, cache)} == {"tls", "email", "http"}
    (packs / "email.yaml").unlink()
    assert rule_index(packs, cache) == _loaded(packs)


def test_a_damaged_or_unwritable_cache_never_changes_the_listing(tmp_path):
    expected = _loaded()
    rule_index(cache=tmp_path)
    (cached,) = tmp_path.glob("rule-index-*.json")
    data = json.loads(cached.read_text(encoding="utf-8"))
    data["rules"][0]["title"] = 42  # a wrong type, with the right key
    for damage in ("{not json", json.dumps({"key": "x"}), json.dumps(data), ""):
        cached.write_text(damage, encoding="utf-8")
        assert rule_index(cache=tmp_path) == expected
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    assert rule_index(cache=blocked / "cache") == expected  # cannot be created: listed all the same
