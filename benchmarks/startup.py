"""How long the commands that do no scanning take to start: `--version`, `--help`, `rules list`.

Run from the repository root:  PYTHONPATH=src python benchmarks/startup.py [--runs 30] [--json]

Each command runs as a fresh child process, started as the `cyberaudit` console script starts it
(`cyberaudit.cli:main`), with its output to /dev/null (no terminal, so rich's 80 columns). The
commands take turns, so a busy moment on the machine falls on all of them alike. Reported per
command: the median wall time and the median CPU time of the child (user + system), each also as
the difference to `python -c pass` on the same interpreter. `rules list` runs with its index kept
(as from the second run on) and, as "first run", with an empty cache folder each time; the script's
cache folders are temporary, the user's ~/.cache is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ENTRY = "import sys; from cyberaudit.cli import main; sys.exit(main())"  # what the console script runs
COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("cyberaudit --version", [sys.executable, "-c", ENTRY, "--version"]),
    ("cyberaudit --help", [sys.executable, "-c", ENTRY, "--help"]),
    ("cyberaudit scan --help", [sys.executable, "-c", ENTRY, "scan", "--help"]),
    ("cyberaudit rules list", [sys.executable, "-c", ENTRY, "rules", "list"]),
    ("cyberaudit rules list --format json", [sys.executable, "-c", ENTRY, "rules", "list", "--format", "json"]),
    ("cyberaudit rules list, first run", [sys.executable, "-c", ENTRY, "rules", "list"]),
]
COLD = {"cyberaudit rules list, first run"}  # each run with a new, empty cache folder


def run_in(argv: list[str], cache: str, cold: bool) -> tuple[float, float]:
    if not cold:
        return run_once(argv, cache)
    with tempfile.TemporaryDirectory() as fresh:
        return run_once(argv, fresh)


def run_once(argv: list[str], cache: str) -> tuple[float, float]:
    """Wall seconds and the child's CPU seconds (user + system) of one run."""
    env = {**os.environ, "CYBERAUDIT_CACHE_DIR": cache}
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: the child never waits for us to read
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv[3:]) or argv}: exit {code}: {err.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(runs: int, warmup: int) -> dict[str, dict[str, float]]:
    walls: dict[str, list[float]] = {name: [] for name, _ in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name, _ in COMMANDS}
    with tempfile.TemporaryDirectory() as cache:
        for i in range(warmup + runs):
            for name, argv in COMMANDS:
                wall, cpu = run_in(argv, cache, name in COLD)
                if i < warmup:
                    continue  # the first runs fill the page cache, write the .pyc files and the index
                walls[name].append(wall)
                cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    out = {}
    for name, _ in COMMANDS:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        out[name] = {"wall_ms": 1e3 * wall, "cpu_ms": 1e3 * cpu,
                     "wall_over_python_ms": 1e3 * (wall - base_wall), "cpu_over_python_ms": 1e3 * (cpu - base_cpu)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="measured runs of each command")
    parser.add_argument("--warmup", type=int, default=3, help="runs of each command before measuring")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.runs, args.warmup)
    if args.json:
        print(json.dumps({"runs": args.runs, "python": sys.version.split()[0], "cpus": os.cpu_count(),
                          "commands": figures}, indent=2))
        return 0
    print(f"median of {args.runs} runs, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"{'command':38} {'wall ms':>8} {'over':>7} {'CPU ms':>8} {'over':>7}")
    for name, f in figures.items():
        print(f"{name:38} {f['wall_ms']:8.1f} {f['wall_over_python_ms']:+7.1f} {f['cpu_ms']:8.1f} "
              f"{f['cpu_over_python_ms']:+7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
