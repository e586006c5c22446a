"""Property-based fuzzing of every reader of user-named files, at volume: counts and times per reader.

Run: python benchmarks/fuzz_inputs.py [CASES_PER_READER [READER]]   (default 5000 cases, every reader;
random, not derandomized; READER picks the readers whose label contains it, e.g. "MFA")
Every case must end in a valid load or an InputError printed as one line per problem (what the CLI
turns into exit code 2); anything else stops the run with the failing input, as the tests do.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.fuzz import strategies as S  # noqa: E402
from tests.fuzz import targets as T  # noqa: E402
from tests.fuzz.test_fuzz_files import BYTES, EXPORTS, LIST_TEXT, RESULT, RESULT_KEYS  # noqa: E402

ONLY = sys.argv[2] if len(sys.argv) > 2 else ""


def run(label: str, strategy: st.SearchStrategy, check: Callable[[object], str], cases: int) -> None:
    if ONLY.lower() not in label.lower():
        return
    counts: Counter[str] = Counter()
    slowest = 0.0

    @settings(max_examples=cases, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(value: object) -> None:
        nonlocal slowest
        started = time.perf_counter()
        counts[check(value)] += 1
        slowest = max(slowest, time.perf_counter() - started)

    started = time.perf_counter()
    one()
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    print(f"{label:<28} {total:>7} cases {elapsed:7.1f} s  {counts['loaded']:>6} loaded  "
          f"{counts['error']:>6} one-line errors  slowest {slowest * 1000:6.0f} ms", flush=True)


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run("profile", S.yaml_inputs(T.PROFILE, T.PROFILE_KEYS), lambda t: T.check_profile(folder, t), cases)
        run("pack", S.yaml_inputs(T.PACK, T.PACK_KEYS), lambda t: T.check_pack(folder, t), cases)
        run("result (report, diff)", S.json_inputs(RESULT, RESULT_KEYS), lambda t: T.check_result(folder, t), cases)
        run("result rendered", S.same_type_mutated(RESULT).map(json.dumps),
            lambda t: T.check_result(folder, t, render=True), max(1, cases // 10))
        for fmt, text in sorted(LIST_TEXT.items()):
            run(f"tracker list ({fmt})", st.one_of(S.text_mutations(text), st.text(max_size=300)),
                lambda t, fmt=fmt: T.check_tracker_list(folder, t, fmt), cases // 3)
        for fmt, text in sorted(EXPORTS.items()):
            run(f"MFA export ({fmt})", st.one_of(S.text_mutations(text).map(lambda t: t.encode("utf-8", "surrogatepass")),
                                                 BYTES),
                lambda d, fmt=fmt: T.check_mfa_export(folder, d, fmt), cases // 3)


if __name__ == "__main__":
    main()
