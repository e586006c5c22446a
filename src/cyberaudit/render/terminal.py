"""The terminal summary: grade, score, per-category table, each failure with its remediation."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cyberaudit.reach import Unreachable, unreachable_targets
from cyberaudit.render.areas import area_name
from cyberaudit.render.verdicts import UNREACHABLE_NOTE, cap_text, unreachable_lines
from cyberaudit.result import Finding, Result, ScoreCard
from cyberaudit.scoring import SEVERITY_ORDER

_STATUS_STYLE = {"pass": "green", "fail": "bold red", "error": "yellow", "waived": "cyan",
                 "not_applicable": "dim"}
_GRADE_STYLE = {"A": "bold green", "B": "green", "C": "yellow", "D": "bold yellow", "F": "bold red"}


def _score_text(card: ScoreCard) -> Text:
    if card.score is None:
        return Text("not scored" + (" (unreachable)" if card.unreached else ""), style="dim")
    text = Text(f"{card.grade}  {card.score:.1f}", style=_GRADE_STYLE.get(card.grade or "", ""))
    return text.append(cap_text(card), style="yellow") if card.cap else text


def print_summary(result: Result, console: Console, *, verbose: bool = False) -> None:
    """Print the scan summary; `verbose` also lists passes and not-applicable findings."""
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

    def order(f):  # type: ignore[no-untyped-def]
        return (SEVERITY_ORDER.index(f.severity), {"low": 0, "medium": 1, "high": 2}.get(f.effort, 1),
                f.rule_id, f.target)

    failures = sorted((f for f in result.findings_with("fail") if f.severity != "info"), key=order)
    if failures:
        console.print()
        console.print(Text("What to fix first", style="bold"))
        for f in failures:
            console.print(Text.assemble((f"[{f.severity.upper()}] ", _sev_style(f.severity)),
                                        (f.rule_id, "bold"), f"  {f.target}"))
            console.print(Text(f"  {f.message}"))
            for line in f.evidence_text[:5]:  # plain sentences; facts and conditions are in the reports' appendix
                console.print(Text(f"    · {line}", style="dim"))
            if len(f.evidence_text) > 5:
                console.print(Text(f"    · … and {len(f.evidence_text) - 5} more (see the report)", style="dim"))
            console.print(Text(f"  Fix: {f.remediation.strip()}"))
            if f.references:
                console.print(Text(f"  See: {'; '.join(f.references)}", style="dim"))
    notes = sorted((f for f in result.findings_with("fail") if f.severity == "info"), key=order)
    if notes:
        console.print()
        console.print(Text("Notes (worth knowing, not problems to fix)", style="bold"))
        for f in notes:
            console.print(Text.assemble((f.rule_id, "bold"), f"  {f.target}: {f.message}"))
    errors = result.findings_with("error")
    if errors:
        console.print()
        console.print(Text("Could not be checked (these never count as passed)", style="bold yellow"))
        _print_errors_grouped(errors, unreachable, console)
    if verbose:
        console.print()
        for f in sorted(result.findings, key=order):
            if f.status in ("pass", "not_applicable", "waived"):
                console.print(Text.assemble((f"{f.status:<15}", _STATUS_STYLE[f.status]),
                                            f"{f.rule_id}  {f.target}  {f.message}"))
    console.print()


def _print_errors_grouped(errors: list[Finding], unreachable: list[Unreachable], console: Console) -> None:
    """One line per target and cause, with the rules it affects, instead of one line per rule."""
    owner = {tid: u for u in unreachable for tid in u.targets}
    by_target: dict[str, dict[str, list[str]]] = {}
    for f in errors:
        u = owner.get(f.target)
        if u is not None:  # one cause for the whole target, whichever probe said it
            by_target.setdefault(u.target, {}).setdefault(f"could not reach it: {u.reason}", []).append(f.rule_id)
        else:
            by_target.setdefault(f.target, {}).setdefault(f.message, []).append(f.rule_id)
    for target, causes in by_target.items():
        total = sum(len(rules) for rules in causes.values())
        console.print(Text.assemble((target, "bold"), f"  ({total} check{'s' if total != 1 else ''})"))
        for message, rules in causes.items():
            console.print(Text(f"  {message}"))
            if len(causes) > 1 or len(rules) <= 6:  # a whole unreachable site needs no list of 30 ids
                console.print(Text(f"    {', '.join(sorted(rules))}", style="dim"))


def _sev_style(severity: str) -> str:
    return {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}[severity]
