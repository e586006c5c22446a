"""The shipped packs' rule listing, kept between runs so `rules list` needs neither YAML nor pydantic.

The listing is rebuilt by loading and validating the packs whenever a pack file's SHA-256 digest,
the set of pack files or cyberaudit's version differs from the one it was built from.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cyberaudit import __version__

FORMAT = 1
FIELDS = ("id", "title", "category", "severity", "scope", "probe", "pack")


@dataclass(frozen=True)
class RuleSummary:
    """What `rules list` shows of one rule."""

    id: str
    title: str
    category: str
    severity: str
    scope: str
    probe: str
    pack: str


def cache_dir() -> Path:
    """CYBERAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/cyberaudit, else ~/.cache/cyberaudit."""
    if os.environ.get("CYBERAUDIT_CACHE_DIR"):
        return Path(os.environ["CYBERAUDIT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cyberaudit"


def rule_index(rules_dir: Path | None = None, cache: Path | None = None) -> list[RuleSummary]:
    """Every rule of the packs in `rules_dir` (default: the shipped ones), in the order they load."""
    from cyberaudit.resources import builtin_rules_dir

    shipped = rules_dir is None
    folder = builtin_rules_dir() if rules_dir is None else rules_dir
    key = _key(folder)
    where = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]  # one file per installation
    cache_file = (cache or cache_dir()) / f"rule-index-{where}.json"
    cached = _read(cache_file, key)
    if cached is not None:
        return cached
    rules = _load(folder, shipped)
    _write(cache_file, {"key": key, "rules": [asdict(r) for r in rules]})
    return rules


def pack_paths(folder: Path) -> list[Path]:
    """The pack files of a folder, as `packs.pack_files` finds them (without importing the loader)."""
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def _key(folder: Path) -> dict[str, object]:
    files = {p.name: "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest() for p in pack_paths(folder)}
    return {"format": FORMAT, "version": __version__, "files": files}


def _load(folder: Path, shipped: bool) -> list[RuleSummary]:
    from cyberaudit.packs import load_rule_set

    rs = load_rule_set() if shipped else load_rule_set([folder], builtin=False)
    return [RuleSummary(r.id, r.model.title, r.model.category, r.model.severity, r.model.scope, r.model.probe,
                        r.pack) for r in rs.rules.values()]


def _read(path: Path, key: dict[str, object]) -> list[RuleSummary] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["key"] != key:
            return None
        rules = [RuleSummary(**{f: r[f] for f in FIELDS}) for r in data["rules"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, unreadable or damaged: built again from the packs
    if not all(isinstance(getattr(r, f), str) for r in rules for f in FIELDS):
        return None
    return rules


def _write(path: Path, data: dict[str, object]) -> None:
    # a cache that cannot be written (read-only home, full disk) only costs the next run its speed
    import tempfile

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rule-index-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, path)  # whole or not at all, when two runs write at once
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
