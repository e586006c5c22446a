"""How long `cyberaudit demo` takes and how much memory it needs.

Run from the repository root:  PYTHONPATH=src python benchmarks/demo_run.py [--runs 5] [--all-formats]

Prints, per run, the time to start the loopback practice (keys, certificates, servers), the scan
time, the time to write the reports and stop everything, and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cyberaudit.demo.practice import demo_practice
from cyberaudit.demo.run import demo_request
from cyberaudit.render import RenderOptions, available_formats, write_report
from cyberaudit.scan import run_scan


def one_run(out: Path, formats: tuple[str, ...]) -> dict[str, float]:
    t0 = time.perf_counter()
    with demo_practice(out) as practice:
        t1 = time.perf_counter()
        result = run_scan(demo_request(practice))
        t2 = time.perf_counter()
        (out / "result.json").write_text(result.to_json(), encoding="utf-8")
        known = available_formats()
        for fmt in (known[n] for n in formats if n in known):
            write_report(result, out / f"report{fmt.extensions[0]}", fmt, RenderOptions())
    t3 = time.perf_counter()
    return {"start_s": t1 - t0, "scan_s": t2 - t1, "reports_and_stop_s": t3 - t2, "total_s": t3 - t0,
            "findings": float(len(result.findings))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--all-formats", action="store_true",
                        help="write every installed format (PDF starts Chromium), not only HTML as the demo does")
    args = parser.parse_args()
    formats = tuple(available_formats()) if args.all_formats else ("html",)
    rows = []
    for i in range(args.runs):
        with tempfile.TemporaryDirectory() as d:
            row = one_run(Path(d), formats)
        rows.append(row)
        print(f"run {i + 1}: " + ", ".join(f"{k} {v:.3f}" if k != "findings" else f"{k} {v:.0f}"
                                           for k, v in row.items()))
    for key in ("start_s", "scan_s", "reports_and_stop_s", "total_s"):
        values = [r[key] for r in rows]
        print(f"{key}: median {statistics.median(values):.3f}, min {min(values):.3f}, max {max(values):.3f}")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(f"peak RSS: {peak_kb / 1024:.1f} MiB (python {sys.version.split()[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
