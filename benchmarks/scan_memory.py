"""Where the bytes of one many-site scan are: the Result's parts by size, and the largest allocations.

    PYTHONPATH=src python benchmarks/scan_memory.py --sites 1000 [--top 25] [--no-trace]

Serves N loopback HTTPS sites (as many_sites.py does), runs `run_scan` in this process with
tracemalloc on, and prints at the end of the scan: the deep size of the Result's parts (facts per
probe, findings by field, rules), the allocations still alive grouped by source line, and the peak
traced memory and RSS. Each part is measured with its own record of objects seen, so a string shared
by many findings counts once within a part; the "all" line counts everything once.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import tracemalloc
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from many_sites import site_fixture, write_profile  # noqa: E402

from cyberaudit.compact import FrozenJson  # noqa: E402
from cyberaudit.demo.http_server import HttpServer  # noqa: E402
from cyberaudit.network import NetworkSettings  # noqa: E402
from cyberaudit.packed import PackedFindings  # noqa: E402
from cyberaudit.result import Finding, Result  # noqa: E402
from cyberaudit.scan import ScanRequest, run_scan  # noqa: E402


def deep_size(roots: Iterable[Any], seen: set[int] | None = None) -> int:
    """Bytes held by the objects reachable from `roots` through containers and dataclasses."""
    seen = set() if seen is None else seen
    total = 0
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, (bool, type)):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif isinstance(obj, FrozenJson):
            total += sys.getsizeof(obj._data)
        elif hasattr(type(obj), "__dataclass_fields__"):
            if hasattr(obj, "__dict__"):
                total += sys.getsizeof(obj.__dict__)
            stack.extend(getattr(obj, name) for name in type(obj).__dataclass_fields__)
    return total


def current_rss() -> float:
    """This process's resident memory now, in MB (Linux)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return float("nan")
    return pages * resource.getpagesize() / 1e6


def result_parts(result: Result) -> dict[str, int]:
    """Deep size of each part of a Result, in bytes."""
    parts: dict[str, int] = {}
    parts["targets: facts"] = deep_size(t.facts for t in result.targets)
    parts["targets: fact errors, probe runs"] = deep_size(
        x for t in result.targets for x in (t.fact_errors, t.probes))
    parts["targets: all"] = deep_size(result.targets)
    held = result.findings
    if isinstance(held, PackedFindings):  # as the scan keeps them; the fields below are as read back
        parts["findings: as held (packed blocks, shared texts)"] = deep_size([held._blocks, held._common])
    findings = list(held)
    names = list(Finding.__dataclass_fields__)
    parts["findings, as objects: the objects alone"] = sum(sys.getsizeof(f) for f in findings)
    for name in names:
        parts[f"findings, as objects: {name}"] = deep_size(getattr(f, name) for f in findings)
    parts["findings, as objects: all"] = deep_size(findings)
    parts["rules"] = deep_size(result.rules.values())
    parts["scores"] = deep_size([result.scores])
    parts["all, as held"] = deep_size([result.targets, result.rules, result.scores]) + (
        deep_size([held._blocks, held._common]) if isinstance(held, PackedFindings) else deep_size(findings))
    return parts


def serve_and_scan(sites: int, concurrency: int) -> tuple[Result, int]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ca_path, tls, routes, plain_routes = site_fixture(tmp)
        with HttpServer(routes, tls=tls) as https, HttpServer(plain_routes) as plain:
            profile = tmp / "profile.yaml"
            write_profile(profile, sites, https.port, plain.port)
            request = ScanRequest(profile_path=profile, network=NetworkSettings(ca_bundle=ca_path),
                                  concurrency=concurrency)
            result = run_scan(request)
            return result, len(profile.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--top", type=int, default=25, help="allocation sites to list")
    parser.add_argument("--no-trace", action="store_true", help="sizes only, without tracemalloc (faster)")
    args = parser.parse_args()

    if not args.no_trace:
        tracemalloc.start(1)
    base = current_rss()
    result, _ = serve_and_scan(args.sites, args.concurrency)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    before_gc = current_rss()
    freed = gc.collect()
    print(f"{args.sites} sites: {len(result.targets)} targets, {len(result.findings)} findings; RSS of this "
          f"process (servers included): {base:.0f} MB before the scan, {before_gc:.0f} MB after it, "
          f"{rss:.0f} MB at the peak; a full collection then finds {freed} unreachable objects "
          f"(RSS {current_rss():.0f} MB); collections per generation: "
          f"{[s['collections'] for s in gc.get_stats()]}")
    if not args.no_trace:
        current, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        print(f"traced: {current / 1e6:.1f} MB alive at the end, {peak / 1e6:.1f} MB at the peak")
    json_bytes = sum(len(c.encode("utf-8")) for c in result.json_chunks())
    print(f"result.json: {json_bytes / 1e6:.1f} MB ({json_bytes / args.sites / 1000:.1f} kB per site)")
    print("\nin memory, deep size (kB per site, MB in all):")
    for name, size in result_parts(result).items():
        print(f"  {name:<40} {size / args.sites / 1000:8.2f} kB  {size / 1e6:8.1f} MB")
    types = Counter(type(o).__name__ for o in gc.get_objects())
    print("\nobjects tracked by the collector, most common types:",
          ", ".join(f"{n} {c}" for n, c in types.most_common(8)))
    if not args.no_trace:
        print(f"\nlargest allocation sites alive at the end (top {args.top}):")
        for stat in snapshot.statistics("lineno")[:args.top]:
            frame = stat.traceback[0]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            print(f"  {stat.size / 1e6:7.1f} MB  {stat.count:8d} blocks  {where}")


if __name__ == "__main__":
    main()
