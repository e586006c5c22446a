"""The CI gate: --fail-under, --fail-on and --allow-errors decide exit code 1."""

from __future__ import annotations

from dataclasses import dataclass

from cyberaudit.reach import unreachable_targets
from cyberaudit.result import Result
from cyberaudit.scoring import display_score, exact_score, score_findings, severity_at_least


@dataclass(frozen=True)
class GateOutcome:
    passed: bool
    reasons: tuple[str, ...]


def check_gate(result: Result, *, fail_under: float | None = None, fail_on: str | None = None,
               allow_errors: bool = False) -> GateOutcome:
    """Whether the result passes the gate; errors count as failures unless allow_errors."""
    reasons: list[str] = []
    unreached = unreachable_targets(result)
    gated = fail_under is not None or fail_on is not None
    if gated and unreached and not allow_errors:  # not scored is not passed
        reasons += [u.sentence for u in unreached]
    if fail_under is not None:
        card = score_findings(result.findings, ignore_errors=allow_errors,
                              unscored_targets=frozenset(t for u in unreached for t in u.targets))
        exact = exact_score(card)
        if exact is None:
            reasons.append(f"no scored rule could be checked, so the score cannot reach {fail_under:g}")
        elif exact < fail_under:
            # The report shows the score rounded; the gate compares the exact ratio and says so,
            # so 84.96 shown as 85.0 is never a surprise.
            reasons.append(f"score {display_score(exact)} is below {fail_under:g} (the gate compares the exact "
                           f"score, {exact:.4f})")
    if fail_on is not None:
        statuses = ("fail",) if allow_errors else ("fail", "error")
        # counted as read, the first five kept: a large scan's failures are never listed whole
        hits, first = 0, []
        for f in result.findings:
            if f.status in statuses and severity_at_least(f.severity, fail_on):
                hits += 1
                if len(first) < 5:
                    first.append(f"{f.rule_id} ({f.status}) on {f.target}")
        if hits:
            more = f" and {hits - 5} more" if hits > 5 else ""
            reasons.append(f"{hits} finding(s) at {fail_on} or above: {', '.join(first)}{more}")
    return GateOutcome(not reasons, tuple(reasons))
