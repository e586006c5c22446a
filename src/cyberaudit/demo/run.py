"""`cyberaudit demo`: scan a loopback practice with typical mistakes and write its reports.

Everything runs on 127.0.0.1 and needs no network. The servers, and the temporary folder of
recordings, are stopped and removed when the demo ends, on Ctrl-C and on errors alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cyberaudit.demo.practice import LoopbackPractice, demo_practice
from cyberaudit.engine import Observer
from cyberaudit.outfiles import write_private
from cyberaudit.result import Result
from cyberaudit.scan import ScanRequest, run_scan

DEFAULT_OUTPUT_DIR = Path("cyberaudit-demo")
RESULT_NAME = "result.json"
# Loopback answers in milliseconds; short limits keep a broken demo from hanging a new user's terminal.
DEMO_TIMEOUTS = {"connect_timeout": 3.0, "read_timeout": 5.0, "dns_timeout": 2.0, "dns_retries": 0}


@dataclass(frozen=True)
class DemoOutcome:
    """What the demo wrote and the grade it found."""

    output_dir: Path
    profile_path: Path
    result_path: Path
    reports: tuple[tuple[str, Path], ...]  # (format name, file), the JSON result included
    result: Result

    @property
    def grade(self) -> str | None:
        return self.result.scores.overall.grade

    @property
    def score(self) -> float | None:
        return self.result.scores.overall.score

    def report(self, fmt: str) -> Path | None:
        return next((p for name, p in self.reports if name == fmt), None)


def demo_request(practice: LoopbackPractice) -> ScanRequest:
    """The scan the demo runs: the practice's profile and every mapping it needs, nothing else."""
    return ScanRequest(profile_path=practice.profile_path,
                       network=practice.network_settings(**DEMO_TIMEOUTS),
                       concurrency=4, timeout=20.0, max_time=90.0)


def run_demo(output_dir: Path | str = DEFAULT_OUTPUT_DIR, *,
             write_reports: Callable[[Result, Path], Sequence[tuple[str, Path]]] | None = None,
             observer: Observer | None = None,
             while_running: Callable[[DemoOutcome, LoopbackPractice], None] | None = None) -> DemoOutcome:
    """Start the demo practice, scan it, write the result and reports, and stop everything.

    `write_reports(result, output_dir)` renders the reports (the CLI passes one that uses the
    report formats) and returns (format name, file) pairs. `while_running` is called after that and
    before the servers stop (the CLI's --keep-running waits there until Ctrl-C).
    """
    out = Path(output_dir)
    with demo_practice(out) as practice:
        result = run_scan(demo_request(practice), observer=observer)
        result_path = out / RESULT_NAME
        write_private(result_path, result.to_json())
        written = [("json", result_path)]
        if write_reports is not None:
            written += list(write_reports(result, out))
        outcome = DemoOutcome(out, practice.profile_path, result_path, tuple(written), result)
        if while_running is not None:
            while_running(outcome, practice)
    return outcome
