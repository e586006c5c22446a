"""Time and peak memory of each report format for a large Result.

Run: PYTHONPATH=src:. python benchmarks/render_formats.py [TARGETS]
A consultant's biggest realistic scan is a few dozen targets; the default (200 websites and endpoints,
17 rules each, 3,400 findings) is well beyond that. PDF is left out unless --pdf is given (it
measures Chromium more than cyberaudit).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from dataclasses import replace

from tests.render.sample import base_findings, make_result

from cyberaudit.redact import redact_result
from cyberaudit.render import FORMATS, RenderOptions
from cyberaudit.result import TargetResult


def big_result(copies: int):
    findings, targets = [], []
    for i in range(copies):
        for f in base_findings():
            findings.append(replace(f, target=f"{f.target}#{i}"))
        targets.append(TargetResult(f"https://site{i}.example/", "website", 10 + i, {}, {}, ()))
    return make_result(findings, target_results=tuple(targets))


def measure(label: str, fn) -> None:
    started = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - started  # timed without tracemalloc, which slows Python down
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = len(out) if isinstance(out, (str, bytes)) else 0
    print(f"{label:10} {elapsed * 1000:9.1f} ms  peak {peak / 1e6:7.1f} MB  output {size / 1e6:6.2f} MB")


def main() -> None:
    copies = int(next((a for a in sys.argv[1:] if a.isdigit()), "200"))
    result = big_result(copies)
    print(f"{len(result.findings)} findings on {copies} copies of the sample practice")
    FORMATS["html"].renderer()(make_result(), RenderOptions())  # template compilation, once a process
    for name, fmt in FORMATS.items():
        if name == "pdf" and "--pdf" not in sys.argv:
            continue
        measure(name, lambda fmt=fmt: fmt.renderer()(result, RenderOptions()))
    measure("redact", lambda: redact_result(result, cookies=True).to_json())


if __name__ == "__main__":
    main()
