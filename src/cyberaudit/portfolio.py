"""Portfolios: many client profiles scanned in one run, one summary line per client on an index."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from cyberaudit.errors import InputError
from cyberaudit.result import Result
from cyberaudit.shards import Shard
from cyberaudit.userfiles import read_user_bytes

ClientStatus = Literal["scanned", "invalid", "failed"]
_SKIP_DIRS = {".cyberaudit-history", ".git", "node_modules", "__pycache__"}


@dataclass(frozen=True)
class ClientSummary:
    """What the index keeps of one client: enough for its row, never the whole Result."""

    slug: str
    profile: str
    practice: str
    status: ClientStatus
    error: str | None = None
    grade: str | None = None
    score: float | None = None
    critical: int = 0  # failed critical checks
    high: int = 0
    problems: int = 0  # failed checks of any severity
    not_checked: int = 0
    change: float | None = None  # score change since the client's previous saved scan
    report: str | None = None  # relative to the index
    result: str | None = None
    gate_passed: bool | None = None


def find_profiles(roots: Iterable[Path]) -> list[Path]:
    """Every *.yaml/*.yml profile below each folder (a file is taken as it is), in a stable order."""
    out: list[Path] = []
    for root in roots:
        if root.is_file():
            out.append(root)
            continue
        if not root.is_dir():
            raise InputError("--profiles: no such folder", root)
        found = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file()
                       and not any(part in _SKIP_DIRS or part.startswith(".") for part in p.relative_to(root).parts))
        if not found:
            raise InputError("--profiles: no *.yaml profile in this folder", root)
        out += found
    return list(dict.fromkeys(p.resolve() for p in out))


def client_slugs(profiles: Sequence[Path]) -> list[str]:
    """A folder name per profile, from its file name: `clients/Lake Side.yaml` → `lake-side`."""
    taken: dict[str, int] = {}
    out = []
    for p in profiles:
        base = re.sub(r"[^a-z0-9]+", "-", p.stem.lower()).strip("-") or "client"
        n = taken.get(base, 0)
        taken[base] = n + 1
        out.append(base if n == 0 else f"{base}-{n + 1}")
    return out


def summarize(result: Result, slug: str, profile: Path, change: float | None,
              report: str | None, result_path: str | None, gate_passed: bool | None) -> ClientSummary:
    failed = [f for f in result.findings if f.status == "fail"]
    overall = result.scores.overall
    return ClientSummary(
        slug=slug, profile=str(profile), practice=result.profile.practice, status="scanned",
        grade=overall.grade, score=overall.score,
        critical=sum(f.severity == "critical" for f in failed), high=sum(f.severity == "high" for f in failed),
        problems=sum(f.severity != "info" for f in failed),
        not_checked=sum(f.status == "error" for f in result.findings),
        change=change, report=report, result=result_path, gate_passed=gate_passed)


def index_json(clients: Sequence[ClientSummary], shard: dict[str, Any] | None = None) -> str:
    doc: dict[str, Any] = {"clients": [asdict(c) for c in clients]}
    if shard is not None:
        doc["shard"] = shard
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def portfolio_shard(shard: Shard, slugs: Sequence[str]) -> dict[str, Any]:
    """What `merge` needs to check a portfolio's shards: which one this is and every client's slug."""
    run = hashlib.sha256("\n".join([str(shard.count), *slugs]).encode()).hexdigest()
    return {"index": shard.index, "count": shard.count, "run": f"sha256:{run}", "clients": list(slugs)}


def merge_portfolios(parts: Sequence[Path], out: Path) -> list[ClientSummary]:
    """Copy every shard's client folders into `out` and return the whole index, in client order."""
    records = []
    for part in parts:
        path = part / "index.json"
        try:
            doc = json.loads(read_user_bytes(path, "portfolio index").decode("utf-8"))
            shard, rows = doc["shard"], doc["clients"]
            clients = [ClientSummary(**row) for row in rows]
            index, count, run, order = int(shard["index"]), int(shard["count"]), str(shard["run"]), shard["clients"]
        except InputError:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise InputError("not the index of a sharded portfolio scan (scan --profiles with --shard)",
                             path) from None
        records.append((part, index, count, run, list(order), clients))
    first = records[0]
    seen: dict[int, Path] = {}
    for part, index, count, run, _, _ in records:
        if run != first[3] or count != first[2]:
            raise InputError(f"merge: {part} belongs to another portfolio run than {first[0]}")
        if index in seen:
            raise InputError(f"merge: shard {index}/{count} is given twice ({seen[index]} and {part})")
        seen[index] = part
    missing = [str(i) for i in range(1, first[2] + 1) if i not in seen]
    if missing:
        raise InputError(f"merge: shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} of {first[2]} missing")
    by_slug: dict[str, ClientSummary] = {}
    for part, *_, clients in records:
        for c in clients:
            if (part / c.slug).is_dir():
                shutil.copytree(part / c.slug, out / c.slug, dirs_exist_ok=True)
            by_slug[c.slug] = c
    return [by_slug[s] for s in first[4] if s in by_slug]


CSV_COLUMNS = ("slug", "practice", "status", "grade", "score", "critical", "high", "problems",
               "not_checked", "change", "report", "error", "profile")


def index_csv(clients: Sequence[ClientSummary]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in clients:
        row = asdict(c)
        # a leading = + - @ makes spreadsheets run the cell as a formula
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else ("" if v is None else v)
                         for v in (row[k] for k in CSV_COLUMNS)])
    return buf.getvalue()
