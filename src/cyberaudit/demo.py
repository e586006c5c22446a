"""`cyberaudit demo`: scan a loopback practice with typical mistakes and write its reports.

Everything runs on 127.0.0.1 and needs no network. The servers, and the temporary folder of
recordings, are stopped and removed when the demo ends, on Ctrl-C and on errors alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cyberaudit.demo_practice import LoopbackPractice, demo_practice
from cyberaudit.engine import Observer
from cyberaudit.render import Format, RenderOptions, available_formats, format_for, write_report
from cyberaudit.result import Result
from cyberaudit.scan import ScanRequest, run_scan

DEFAULT_OUTPUT_DIR = Path("cyberaudit-demo")
RESULT_NAME = "result.json"
REPORT_STEM = "report"
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


def _outputs(output_dir: Path, formats: Sequence[str], extra: Sequence[Path]) -> list[tuple[Path, Format]]:
    known = available_formats()
    wanted = ["html", *formats]
    out: list[tuple[Path, Format]] = []
    for name in dict.fromkeys(wanted):
        if name == "json":
            continue  # the result itself is always written
        if name not in known:
            if name == "html":
                continue  # an installation without the HTML renderer still gets the JSON result
            format_for("x", name)  # raises the InputError listing the known formats
            continue
        fmt = known[name]
        out.append((output_dir / f"{REPORT_STEM}{fmt.extensions[0]}", fmt))
    out += [(p, format_for(p)) for p in extra]
    return out


def run_demo(output_dir: Path | str = DEFAULT_OUTPUT_DIR, *, formats: Sequence[str] = (),
             extra_outputs: Sequence[Path] = (), observer: Observer | None = None,
             while_running: Callable[[DemoOutcome, LoopbackPractice], None] | None = None) -> DemoOutcome:
    """Start the demo practice, scan it, write the reports, and stop everything.

    `while_running` is called after the reports are written and before the servers stop (the CLI's
    --keep-running waits there until Ctrl-C).
    """
    out = Path(output_dir)
    outputs = _outputs(out, formats, extra_outputs)  # bad --format or -o fails before anything starts
    with demo_practice(out) as practice:
        result = run_scan(demo_request(practice), observer=observer)
        result_path = out / RESULT_NAME
        result_path.write_text(result.to_json(), encoding="utf-8")
        written = [("json", result_path)]
        options = RenderOptions(title=f"Demo audit — {result.profile.practice}")
        for path, fmt in outputs:
            written.append((fmt.name, write_report(result, path, fmt, options)))
        outcome = DemoOutcome(out, practice.profile_path, result_path, tuple(written), result)
        if while_running is not None:
            while_running(outcome, practice)
    return outcome
