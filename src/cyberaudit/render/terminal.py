"""The terminal summary: grade, score, areas, then the problems grouped by target, and what to do next.

By default only what needs attention is listed (failures and checks that could not be made); `verbose`
adds every check, the full remediation and the references. The last lines are always the reports
written and the next step, so they are on screen when the command ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from cyberaudit.reach import unreachable_targets
from cyberaudit.render.areas import area_name
from cyberaudit.render.verdicts import UNREACHABLE_NOTE, cap_text, unreachable_lines
from cyberaudit.render.view import KIND_LABEL, finding_order
from cyberaudit.result import Finding, Result, ScoreCard
from cyberaudit.scoring import SEVERITY_ORDER

_STATUS_STYLE = {"pass": "green", "fail": "bold red", "error": "yellow", "waived": "cyan",
                 "not_applicable": "dim"}
_STATUS_WORD = {"pass": "passed", "fail": "FAILED", "error": "NOT CHECKED", "waived": "waived",
                "not_applicable": "n/a"}
_GRADE_STYLE = {"A": "bold green", "B": "green", "C": "yellow", "D": "bold yellow", "F": "bold red"}
_SEV_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _score_text(card: ScoreCard) -> Text:
    if card.score is None:
        return Text("not scored" + (" (unreachable)" if card.unreached else ""), style="dim")
    text = Text(f"{card.grade}  {card.score:.1f}", style=_GRADE_STYLE.get(card.grade or "", ""))
    return text.append(cap_text(card), style="yellow") if card.cap else text


def _first_sentence(text: str) -> str:
    words = " ".join(text.split())
    for i, ch in enumerate(words):
        if ch in ".!?" and i + 2 < len(words) and words[i + 1] == " " and words[i + 2].isupper():
            return words[:i + 1]
    return words


def print_summary(result: Result, console: Console, *, verbose: bool = False,
                  reports: Sequence[tuple[str, Path]] | None = None) -> None:
    """Print the scan summary; with `reports` (format, path), end with them and the next step."""
    overall = result.scores.overall
    console.print()
    console.rule(Text(f"cyberaudit — {result.profile.practice}", style="bold"))
    unreachable = unreachable_targets(result)
    for line in unreachable_lines(unreachable):  # said once, before the grade
        console.print(Text(line, style="bold red"))
    if unreachable:
        console.print(Text(UNREACHABLE_NOTE, style="red"))
    grade = _score_text(overall)
    line = Text("Grade ").append(grade)
    if overall.unreached and overall.score is not None:
        line.append(" without the targets that could not be reached", style="red")
    if overall.coverage is not None:
        line.append(f"   coverage {overall.coverage:.0f}% ({overall.checked} of {overall.applicable} "
                    f"applicable checks could be verified"
                    + (f"; {overall.unreached} on targets that could not be reached" if overall.unreached else "")
                    + ")")
    console.print(line)
    c = overall.counts
    console.print(f"{c.get('pass', 0)} passed, {overall.problems} failed, {c.get('error', 0)} could not be "
                  f"checked, {c.get('waived', 0)} waived, {c.get('not_applicable', 0)} not applicable"
                  + (f", {overall.notes} note{'s' if overall.notes != 1 else ''}" if overall.notes else ""))
    _print_areas(result, console)
    _print_targets(result, console, verbose)
    if reports is not None:
        print_next_step(result, console, reports)


def _print_areas(result: Result, console: Console) -> None:
    table = Table(title="By area", title_justify="left", show_edge=False)
    table.add_column("Area")
    table.add_column("Score", justify="right")
    table.add_column("Passed", justify="right")
    table.add_column("Failed", justify="right")
    table.add_column("Not checked", justify="right")
    for category, card in result.scores.by_category.items():
        table.add_row(area_name(category), _score_text(card), str(card.counts.get("pass", 0)),
                      str(card.problems), str(card.counts.get("error", 0)))
    console.print()
    console.print(table)


def _by_target(result: Result) -> Iterator[tuple[str, str, list[Finding]]]:
    kinds = {t.id: t.kind for t in result.targets}
    position = {t.id: i for i, t in enumerate(result.targets)}
    if _one_run_per_target(result.findings, position):
        # a scan lists each target's findings together, in target order: one target is held at a time
        run: list[Finding] = []
        for f in result.findings:
            if run and f.target != run[0].target:
                yield run[0].target, kinds.get(run[0].target, run[0].target_kind), sorted(run, key=finding_order)
                run = []
            run.append(f)
        if run:
            yield run[0].target, kinds.get(run[0].target, run[0].target_kind), sorted(run, key=finding_order)
        return
    groups: dict[str, list[Finding]] = {t.id: [] for t in result.targets}
    for f in result.findings:
        groups.setdefault(f.target, []).append(f)
        kinds.setdefault(f.target, f.target_kind)
    yield from ((tid, kinds[tid], sorted(fs, key=finding_order)) for tid, fs in groups.items() if fs)


def _one_run_per_target(findings: Iterable[Finding], position: dict[str, int]) -> bool:
    last, seen = -1, set()
    current = None
    for f in findings:
        if f.target == current:
            continue
        at = position.get(f.target)
        if at is None or at < last or f.target in seen:
            return False
        current, last = f.target, at
        seen.add(f.target)
    return True


def _print_targets(result: Result, console: Console, verbose: bool) -> None:
    shown_any = False
    unreachable = {tid: u for u in unreachable_targets(result) for tid in u.targets}
    for tid, kind, findings in _by_target(result):
        attention = [f for f in findings if f.status in ("fail", "error")]
        listed = findings if verbose else attention
        if not listed or (tid in unreachable and unreachable[tid].target != tid):
            continue  # a website's TLS endpoint that could not be reached is said with the website
        if not shown_any:
            console.print()
            console.print(Text("All checks, by target" if verbose else
                               "What needs fixing, by target (most serious first; -v lists every check)",
                               style="bold"))
            shown_any = True
        card = result.scores.by_target.get(tid)
        head = Text.assemble("\n", (f"{KIND_LABEL.get(kind, kind)}: {tid}", "bold"))
        if card is not None:
            head.append("  ").append(_score_text(card))
        counts = {s: sum(1 for f in findings if f.status == s) for s in ("fail", "error", "pass")}
        head.append(f"  ({counts['fail']} failed, {counts['error']} not checked, {counts['pass']} passed)",
                    style="dim")
        console.print(head)
        if tid in unreachable:  # said at the top; one line here instead of one per check
            console.print(Padding(Text(f"could not reach it: {unreachable[tid].reason}", style="yellow"),
                                  (0, 0, 0, 2)))
            continue
        for f in listed:
            if f.status != "error":
                _print_finding(f, console, verbose)
        _print_errors_grouped([f for f in listed if f.status == "error"], console)
    if not shown_any:
        console.print()
        console.print(Text("Nothing failed and every check could be made.", style="green"))


def _print_finding(f: Finding, console: Console, verbose: bool) -> None:
    if f.status in ("fail", "error"):
        note = f.status == "fail" and f.severity == "info"  # worth knowing, not a problem to fix
        tag = "[NOTE]" if note else f"[{f.severity.upper()}]" if f.status == "fail" else "[NOT CHECKED]"
        style = "dim" if note else _SEV_STYLE.get(f.severity, "") if f.status == "fail" else "yellow"
        # wrapped lines stay indented under their finding, so each target's list reads as one block
        console.print(Padding(Text.assemble((tag, style), " ", (f.rule_id, "bold"), f"  {f.message}"), (0, 0, 0, 2)))
        shown = f.evidence_text if verbose else f.evidence_text[:3]
        for line in shown:  # plain sentences; facts and conditions are in the reports' appendix
            console.print(Padding(Text(f"· {line}", style="dim"), (0, 0, 0, 6)))
        if len(f.evidence_text) > len(shown):
            console.print(Padding(Text(f"· … and {len(f.evidence_text) - len(shown)} more (see the report)",
                                       style="dim"), (0, 0, 0, 6)))
        if f.status == "fail" and f.remediation and not note:
            fix = f.remediation.strip() if verbose else _first_sentence(f.remediation)
            console.print(Padding(Text(f"Fix: {fix}"), (0, 0, 0, 6)))
        if verbose and f.references:
            console.print(Padding(Text(f"See: {'; '.join(f.references)}", style="dim"), (0, 0, 0, 6)))
        return
    console.print(Text.assemble("  ", (f"{_STATUS_WORD[f.status]:<8}", _STATUS_STYLE[f.status]),
                                f" {f.rule_id}  {f.title}"))


def next_step(result: Result, reports: Sequence[tuple[str, Path]] = ()) -> str:
    """One sentence: which report to open and which problems to fix first."""
    # counted as read: a large scan's failures are never listed here
    failed_by_severity = {s: 0 for s in SEVERITY_ORDER}
    errors = 0
    for f in result.findings:
        if f.status == "fail" and f.severity != "info":
            failed_by_severity[f.severity] = failed_by_severity.get(f.severity, 0) + 1
        errors += f.status == "error"
    open_first = next((p for name, p in reports if name == "html"), None) or next(
        (p for name, p in reports if name in ("pdf", "markdown")), None)
    where = f"open {Path(open_first).resolve()}" if open_first else "write a report with -o report.html"
    worst = next((sev for sev, n in failed_by_severity.items() if n), None)
    if worst is None:
        if errors:
            return f"Next: {where}; {errors} check{'s' if errors != 1 else ''} could not be made: see why, then scan again."
        return f"Next: {where}; nothing failed, so scan again after any change."
    n = failed_by_severity[worst]
    kind = worst if worst == "critical" else f"{worst}-severity"
    return f"Next: {where}; fix the {n} {kind} item{'s' if n != 1 else ''} first."


def print_next_step(result: Result, console: Console, reports: Sequence[tuple[str, Path]] = ()) -> None:
    """The reports written (absolute paths) and the next step, as the last lines on screen."""
    console.print()
    if reports:
        console.print(Text("Reports written:", style="bold"))
        for name, path in reports:
            console.print(Text(f"  {name:<8} {Path(path).resolve()}"), soft_wrap=True)
    console.print(Text(next_step(result, reports), style="bold"), soft_wrap=True)


def _print_errors_grouped(errors: list[Finding], console: Console) -> None:
    """One line per cause, with the rules it affects, instead of one line per rule."""
    by_cause: dict[str, list[str]] = {}
    for f in errors:
        by_cause.setdefault(f.message, []).append(f.rule_id)
    for message, rules in by_cause.items():
        console.print(Padding(Text.assemble(("[NOT CHECKED]", "yellow"), f" {message}"), (0, 0, 0, 2)))
        console.print(Padding(Text(", ".join(sorted(rules)), style="dim"), (0, 0, 0, 6)))
