"""The `cyberaudit demo` command's terminal side: which reports to write and what to tell the user."""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from pathlib import Path

import typer

from cyberaudit.demo.practice import LoopbackPractice
from cyberaudit.demo.run import DemoOutcome
from cyberaudit.errors import InputError
from cyberaudit.render import RenderOptions, available_formats, format_for, write_report
from cyberaudit.render.terminal import next_step
from cyberaudit.render.view import fix_first
from cyberaudit.result import Result
from cyberaudit.scoring import display_score


def report_writer(formats: list[str], extra: list[Path]) -> Callable[[Result, Path], list[tuple[str, Path]]]:
    """Reports the demo writes: HTML (when installed), each --format as report.<ext>, each -o file."""
    known = available_formats()
    wanted = [f.lower() for f in formats]
    if "all" in wanted:
        wanted = [n for n in known if n != "all"]
    for name in wanted:
        if name not in known:
            format_for("report", name)  # the InputError that lists the known formats
            raise InputError(f"the {name} format is not installed")
    names = [n for n in dict.fromkeys(["html", *wanted]) if n in known and n != "json"]
    extra_outputs = [(p, format_for(p)) for p in extra]

    def write(result: Result, out_dir: Path) -> list[tuple[str, Path]]:
        options = RenderOptions()
        targets = [(out_dir / f"report{known[n].extensions[0]}", known[n]) for n in names] + extra_outputs
        return [(f.name, write_report(result, path, f, options)) for path, f in targets]

    return write


def _problems(n: int) -> str:
    # the report's own count: each failed rule once, notes (info rules) left out
    return "No problem needs fixing" if n == 0 else "1 problem needs fixing" if n == 1 else f"{n} problems need fixing"


def summary_lines(outcome: DemoOutcome) -> list[str]:
    """Where the demo wrote everything and the grade, in plain words."""
    card = outcome.result.scores.overall
    grade = (f"grade {card.grade} (score {display_score(card.score)} out of 100"
             f"{', capped because ' + card.cap.split(' (')[0] if card.cap else ''})"
             if card.score is not None else "no grade (nothing could be checked)")
    notes = f" and {card.notes} note{'s' if card.notes != 1 else ''}" if card.notes else ""
    n = len(fix_first(outcome.result.findings))  # the report's count: each failed rule once
    lines = [f"The demo practice, {outcome.result.profile.practice}, got {grade}.",
             f"{_problems(n)}{f' ({card.problems} failed checks)' if card.problems != n else ''}{notes}, "
             f"{card.counts.get('pass', 0)} checks passed; "
             f"{card.counts.get('error', 0)} could not be checked."]
    html = outcome.report("html")
    if html is not None:
        lines.append(f"Open the report in your browser: {html.resolve()}")
    lines.append(f"The full result (JSON): {outcome.result_path.resolve()}")
    lines += [f"The {name} report: {path.resolve()}" for name, path in outcome.reports if name not in ("html", "json")]
    lines.append(f"The demo practice's profile, to see how a practice is described: {outcome.profile_path.resolve()}")
    lines.append(next_step(outcome.result, outcome.reports))
    return lines


def print_summary(outcome: DemoOutcome) -> None:
    typer.echo("")
    for line in summary_lines(outcome):
        typer.echo(line)


def wait_for_ctrl_c(outcome: DemoOutcome, practice: LoopbackPractice) -> None:
    """--keep-running: say how to reach the running practice, then wait for Ctrl-C."""
    # Ctrl-C may come as soon as the last line is out, before the loop starts: it is the same request.
    try:
        print_summary(outcome)
        typer.echo("")
        typer.echo("The demo practice is still running on 127.0.0.1. Scan it again with:")
        typer.echo("  cyberaudit " + " ".join(shlex.quote(a) for a in practice.scan_arguments()))
        typer.echo(f"Its website: {practice.website_url} (trust {practice.ca_bundle} and resolve "
                   f"names with the DNS server at {practice.dns.address}).")
        typer.echo("Press Ctrl-C to stop it.")
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        typer.echo("")
