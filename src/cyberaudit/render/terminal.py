"""The terminal summary: grade, score, per-category table, each failure with its remediation."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cyberaudit.render.areas import area_name
from cyberaudit.result import Result, ScoreCard
from cyberaudit.scoring import SEVERITY_ORDER

_STATUS_STYLE = {"pass": "green", "fail": "bold red", "error": "yellow", "waived": "cyan",
                 "not_applicable": "dim"}
_GRADE_STYLE = {"A": "bold green", "B": "green", "C": "yellow", "D": "bold yellow", "F": "bold red"}


def _score_text(card: ScoreCard) -> Text:
    if card.score is None:
        return Text("not scored", style="dim")
    return Text(f"{card.grade}  {card.score:.1f}", style=_GRADE_STYLE.get(card.grade or "", ""))


def print_summary(result: Result, console: Console, *, verbose: bool = False) -> None:
    """Print the scan summary; `verbose` also lists passes and not-applicable findings."""
    overall = result.scores.overall
    console.print()
    console.rule(Text(f"cyberaudit — {result.profile.practice}", style="bold"))
    grade = _score_text(overall)
    line = Text("Grade ").append(grade)
    if overall.coverage is not None:
        line.append(f"   coverage {overall.coverage:.0f}% ({overall.checked} of {overall.applicable} "
                    f"applicable checks could be verified)")
    console.print(line)
    if overall.cap:
        console.print(Text(f"Grade capped: {overall.cap}.", style="yellow"))
    c = overall.counts
    console.print(f"{c.get('pass', 0)} passed, {c.get('fail', 0)} failed, {c.get('error', 0)} could not be "
                  f"checked, {c.get('waived', 0)} waived, {c.get('not_applicable', 0)} not applicable")

    table = Table(title="By area", title_justify="left", show_edge=False)
    table.add_column("Area")
    table.add_column("Score", justify="right")
    table.add_column("Passed", justify="right")
    table.add_column("Failed", justify="right")
    table.add_column("Not checked", justify="right")
    for category, card in result.scores.by_category.items():
        table.add_row(area_name(category), _score_text(card), str(card.counts.get("pass", 0)),
                      str(card.counts.get("fail", 0)), str(card.counts.get("error", 0)))
    console.print()
    console.print(table)

    def order(f):  # type: ignore[no-untyped-def]
        return (SEVERITY_ORDER.index(f.severity), {"low": 0, "medium": 1, "high": 2}.get(f.effort, 1),
                f.rule_id, f.target)

    failures = sorted(result.findings_with("fail"), key=order)
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
    errors = result.findings_with("error")
    if errors:
        console.print()
        console.print(Text("Could not be checked (these never count as passed)", style="bold yellow"))
        for f in sorted(errors, key=order):
            console.print(Text.assemble((f.rule_id, "bold"), f"  {f.target}: {f.message}"))
    if verbose:
        console.print()
        for f in sorted(result.findings, key=order):
            if f.status in ("pass", "not_applicable", "waived"):
                console.print(Text.assemble((f"{f.status:<15}", _STATUS_STYLE[f.status]),
                                            f"{f.rule_id}  {f.target}  {f.message}"))
    console.print()


def _sev_style(severity: str) -> str:
    return {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}[severity]
