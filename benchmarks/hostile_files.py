"""Each class of hostile input file, run through the real CLI: exit code, first line, time, memory.

Run: python benchmarks/hostile_files.py [--filter TEXT]
Every case runs `python -m cyberaudit` in a child process limited to 2 GB of address space and 60 s,
so a case that used to eat all memory ends in MemoryError here instead of taking the machine down.
The expected outcome of every case is exit code 2 with one line naming the file.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from tests.render.sample import sample_result  # noqa: E402

PROFILE = "practice:\n  name: Test Practice\n"
PACK = """pack: custom
version: 1.0.0
title: Custom
rules:
  - id: CUSTOM-BAA
    title: A BAA is signed
    category: encryption
    severity: high
    scope: platform
    probe: declared
    check: {fact: declared.baa_signed, equals: true}
    rationale: Why.
    remediation: What.
    references: [HIPAA]
"""


def _result_with(mutate: Callable[[dict], None]) -> str:
    data = sample_result().to_dict()
    mutate(data)
    return json.dumps(data).replace('"HUGE"', "9" * 5000)


def _finding(key: str, value: object) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        data["findings"][0][key] = value
    return mutate


def _fifo(folder: Path) -> Path:
    path = folder / "fifo.yaml"
    os.mkfifo(path)
    return path


def _huge(folder: Path) -> Path:
    path = folder / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: 300 MB of NUL bytes without using the disk
    return path


# (class, case, command, file maker): the maker returns text to write or a path to use as is
CASES: list[tuple[str, str, str, Callable[[Path], str | Path]]] = [
    ("control characters", "NUL in a profile value", "profile", lambda d: PROFILE.replace("Test", "Te\x00st")),
    ("control characters", "C0 BEL in a profile", "profile", lambda d: PROFILE.replace("Test", "Te\x07st")),
    ("control characters", "C1 U+0090 in a pack", "pack", lambda d: PACK.replace("Why.", "Wh\x90y.")),
    ("control characters", "DEL in a pack", "pack", lambda d: PACK.replace("What.", "Wh\x7fat.")),
    ("deep nesting", "pack with 1,000 nested not:", "pack",
     lambda d: PACK.replace("check: {fact: declared.baa_signed, equals: true}",
                            "check: " + "{not: " * 1000 + "{fact: declared.baa_signed, equals: true}" + "}" * 1000)),
    ("deep nesting", "profile with 1,000 [", "profile", lambda d: PROFILE + "x: " + "[" * 1000 + "]" * 1000 + "\n"),
    ("deep nesting", "profile with 1,000 nested block mappings", "profile",
     lambda d: PROFILE + "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "v: 1\n"),
    ("deep nesting", "Result with 100,000 [", "report", lambda d: "[" * 100_000 + "]" * 100_000),
    ("deep nesting", "Result whose evidence nests 5,000 deep", "report",
     lambda d: _deep_evidence_text()),
    ("huge numbers", "profile port of 5,000 digits", "profile",
     lambda d: PROFILE + "targets:\n  endpoints:\n    - host: a.example\n      port: " + "9" * 5000 + "\n"),
    ("huge numbers", "Result with a 5,000-digit integer", "report",
     lambda d: _result_with(lambda r: r["scores"]["overall"].update(weight_pass="HUGE"))),
    ("huge numbers", "diff of a Result with a 5,000-digit integer", "diff",
     lambda d: _result_with(lambda r: r["scores"]["overall"].update(weight_pass="HUGE"))),
    ("YAML tags", "!!timestamp on a non-date", "profile", lambda d: PROFILE + "waivers: !!timestamp soon\n"),
    ("YAML tags", "!!python/object/apply:os.system", "profile",
     lambda d: PROFILE + "x: !!python/object/apply:os.system ['echo pwned']\n"),
    ("YAML tags", "!!python/name as a key", "profile", lambda d: PROFILE + "? !!python/name:os.system\n: 1\n"),
    ("YAML tags", "!!binary, !!set and a custom !tag", "profile",
     lambda d: PROFILE + "a: !!binary aGk=\nb: !!set {x}\nc: !mine 1\n"),
    ("YAML tags", "!!bool on 'maybe', !!int on 'ten'", "profile", lambda d: PROFILE + "a: !!bool maybe\n"),
    ("Result types", "a mapping as a finding's target", "report", lambda d: _result_with(_finding("target", {"a": 1}))),
    ("Result types", "a list as a finding's rule_id", "report", lambda d: _result_with(_finding("rule_id", ["X"]))),
    ("Result types", "text as a finding's evidence", "report", lambda d: _result_with(_finding("evidence", "oops"))),
    ("Result types", "a number as a finding's status", "diff", lambda d: _result_with(_finding("status", 7))),
    ("Result types", "findings as an object", "diff", lambda d: _result_with(lambda r: r.update(findings={"a": 1}))),
    ("special files", "/dev/zero as a profile", "profile", lambda d: Path("/dev/zero")),
    ("special files", "/dev/zero as a pack", "pack", lambda d: Path("/dev/zero")),
    ("special files", "/dev/zero as a Result", "report", lambda d: Path("/dev/zero")),
    ("special files", "a FIFO nobody writes to as a profile", "profile", _fifo),
    ("special files", "a 300 MB file as a profile", "profile", _huge),
    ("size", "a profile of 100,000 keys", "profile",
     lambda d: PROFILE + "".join(f"key{i}: {i}\n" for i in range(100_000))),
    ("size", "a pack of 100,000 rules keys", "pack", lambda d: PACK + "".join(f"k{i}: {i}\n" for i in range(100_000))),
]


def _deep_evidence_text() -> str:
    text = json.dumps(sample_result().to_dict())
    return text.replace('"evidence": {', '"evidence": {"deep": ' + "[" * 5000 + "]" * 5000 + ", ", 1)


def command(kind: str, path: Path, folder: Path) -> list[str]:
    if kind == "profile":
        return ["scan", "-p", str(path), "-q", "--no-history"]
    if kind == "pack":
        return ["rules", "validate", str(path)]
    if kind == "report":
        return ["report", str(path), "-o", str(folder / "out.md"), "--no-history"]
    if kind == "diff":
        good = folder / "good.json"
        good.write_text(sample_result().to_json(), encoding="utf-8")
        return ["diff", str(good), str(path)]
    raise ValueError(kind)


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))


def run_case(kind: str, make: Callable[[Path], str | Path]) -> tuple[int | str, str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = make(folder)
        if isinstance(made, str):
            path = folder / ("input.json" if kind in ("report", "diff") else "input.yaml")
            path.write_text(made, encoding="utf-8", errors="surrogatepass")
        else:
            path = made
        env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "CYBERAUDIT_CRASH_DIR": tmp}
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "cyberaudit", *command(kind, path, folder)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=tmp,
                                preexec_fn=_limit)
        try:
            _, err = proc.communicate(timeout=60)
            code: int | str = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            code = "timeout"
        elapsed = time.perf_counter() - started
        lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
        first = lines[0] if lines else ""
        if len(lines) > 1:
            first += f"  (+{len(lines) - 1} lines)"
        return code, first.replace(str(folder), "DIR"), elapsed


def main() -> None:
    wanted = sys.argv[sys.argv.index("--filter") + 1] if "--filter" in sys.argv else ""
    print(f"{'class':<20} {'case':<46} {'exit':>7} {'time':>7}  first line of stderr")
    for cls, case, kind, make in CASES:
        if wanted.lower() not in f"{cls} {case}".lower():
            continue
        code, first, elapsed = run_case(kind, make)
        print(f"{cls:<20} {case:<46} {code!s:>7} {elapsed:6.2f}s  {first[:150]}", flush=True)


if __name__ == "__main__":
    main()
