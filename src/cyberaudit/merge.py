"""Recombining the partial Results of a sharded scan into the Result one unsharded scan gives."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from cyberaudit.errors import InputError
from cyberaudit.packed import PackedFindings
from cyberaudit.reach import find_unreachable
from cyberaudit.result import Finding, Result, TargetResult
from cyberaudit.scoring import score_result


def shard_info(result: Result, name: str = "result") -> dict[str, Any] | None:
    """The `options.shard` record of a partial Result, or None for a whole scan."""
    info = result.options.get("shard")
    if info is None:
        return None
    ok = (isinstance(info, dict) and type(info.get("index")) is int and type(info.get("count")) is int
          and isinstance(info.get("run"), str) and isinstance(info.get("targets"), list)
          and all(isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t)
                  for t in info["targets"]))
    if not ok or not 1 <= info["index"] <= info["count"]:
        raise InputError(f"merge: {name}: options.shard is not a valid shard record")
    return info


def merge_results(parts: Sequence[Result], names: Sequence[str] | None = None) -> Result:
    """One Result from every shard of one run, each exactly once; anything else is an InputError.

    `names` (the files the parts came from) only make the error messages point somewhere.
    """
    names = list(names) if names is not None else [f"part {i + 1}" for i in range(len(parts))]
    if not parts:
        raise InputError("merge: no partial results given")
    infos = []
    for name, part in zip(names, parts, strict=True):
        info = shard_info(part, name)
        if info is None:
            raise InputError(f"merge: {name} is a whole scan, not one shard of a run (scan with --shard)")
        infos.append(info)
    first, first_name = infos[0], names[0]
    count = int(first["count"])
    by_index: dict[int, str] = {}
    for name, info in zip(names, infos, strict=True):
        if info["run"] != first["run"]:
            raise InputError(f"merge: {name} belongs to another run than {first_name} (a different "
                             f"profile, rule packs, targets or shard count)")
        index = int(info["index"])
        if index in by_index:
            raise InputError(f"merge: shard {index}/{count} is given twice ({by_index[index]} and {name})")
        by_index[index] = name
    missing = [str(i) for i in range(1, count + 1) if i not in by_index]
    if missing:
        raise InputError(f"merge: shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} of {count} "
                         f"missing (have {', '.join(f'{i}: {n}' for i, n in sorted(by_index.items()))})")

    order = [(str(kind), str(tid)) for kind, tid in first["targets"]]
    targets: dict[tuple[str, str], TargetResult] = {}
    rules: dict[str, Any] = {}
    for part in parts:
        for t in part.targets:
            targets[(t.kind, t.id)] = t
        rules.update(part.rules)
    merged_findings = _merged_findings(parts, order)
    merged_targets = tuple(targets[key] for key in order if key in targets)
    unreached = frozenset(tid for u in find_unreachable(merged_targets) for tid in u.targets)
    base = min(parts, key=lambda p: p.generated_at)
    options = {k: v for k, v in base.options.items() if k != "shard"}
    timings = {"total_ms": max(int(p.timings.get("total_ms", 0)) for p in parts),
               "probes_ms": max(int(p.timings.get("probes_ms", 0)) for p in parts),
               "probe_runs": sum(int(p.timings.get("probe_runs", 0)) for p in parts),
               "shards": count}
    return replace(base, rules={rid: rules[rid] for rid in sorted(rules)},
                   targets=merged_targets, findings=merged_findings,
                   scores=score_result(merged_findings, unreached),
                   timings=timings, options=options)


class _OutOfOrder(Exception):
    pass


def _merged_findings(parts: Sequence[Result], order: list[tuple[str, str]]) -> PackedFindings:
    """Every part's findings in the run's target order, packed as they are read."""
    position = {key: i for i, key in enumerate(order)}

    def in_order(part: Result) -> Iterator[tuple[int, Finding]]:
        last = -1
        for f in part.findings:
            at = position.get((f.target_kind, f.target))
            if at is None:
                continue
            if at < last:
                raise _OutOfOrder
            last = at
            yield at, f

    # a shard lists its targets in the run's order, so the parts interleave without being held whole
    try:
        return PackedFindings(f for _, f in heapq.merge(*map(in_order, parts), key=lambda item: item[0]))
    except _OutOfOrder:  # a part edited by hand: group it the slow way
        grouped: dict[tuple[str, str], list[Finding]] = {}
        for part in parts:
            for f in part.findings:
                grouped.setdefault((f.target_kind, f.target), []).append(f)
        return PackedFindings(f for key in order for f in grouped.get(key, ()))
