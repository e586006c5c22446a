"""Scores and grades, exactly as the design says.

Weights: critical 10, high 6, medium 3, low 1, info 0 (shown, not scored).
Score = 100 × Σ weight(pass) / Σ weight(pass + fail + error). Grade A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60,
else F; a failed critical rule caps the grade at D, a failed high rule at B. Waived and
not-applicable findings are not scored. Coverage = checked (pass + fail) / applicable (pass + fail + error).
"""

from __future__ import annotations

from collections.abc import Iterable

from cyberaudit.result import STATUSES, Finding, ScoreCard, Scores

WEIGHTS: dict[str, int] = {"critical": 10, "high": 6, "medium": 3, "low": 1, "info": 0}
SEVERITY_ORDER: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
GRADES: tuple[tuple[float, str], ...] = ((90, "A"), (80, "B"), (70, "C"), (60, "D"))
_GRADE_RANK = "ABCDF"


def grade_for(score: float) -> str:
    for floor, grade in GRADES:
        if score >= floor:
            return grade
    return "F"


def _worse(a: str, b: str) -> str:
    return a if _GRADE_RANK.index(a) >= _GRADE_RANK.index(b) else b


def score_findings(findings: Iterable[Finding], *, ignore_errors: bool = False) -> ScoreCard:
    """The score card of a set of findings; `ignore_errors` leaves errors out (for --allow-errors)."""
    items = list(findings)
    counts = {s: 0 for s in STATUSES}
    weight_pass = weight_total = 0
    failed_critical = failed_high = False
    for f in items:
        counts[f.status] = counts.get(f.status, 0) + 1
        w = WEIGHTS.get(f.severity, 0)
        if f.status == "pass":
            weight_pass += w
            weight_total += w
        elif f.status == "fail":
            weight_total += w
            failed_critical |= f.severity == "critical"
            failed_high |= f.severity == "high"
        elif f.status == "error" and not ignore_errors:
            weight_total += w
    checked = counts["pass"] + counts["fail"]
    applicable = checked + counts["error"]
    coverage = round(100 * checked / applicable, 1) if applicable else None
    if weight_total == 0:
        return ScoreCard(None, None, None, weight_pass, weight_total, counts, checked, applicable, coverage)
    exact = 100 * weight_pass / weight_total
    score = round(exact, 1)  # for display; grades and gates use the exact ratio
    grade = grade_for(exact)
    cap = None
    if failed_critical and _worse(grade, "D") != grade:
        grade, cap = "D", "a critical rule failed (grade capped at D)"
    elif failed_high and _worse(grade, "B") != grade:
        grade, cap = "B", "a high-severity rule failed (grade capped at B)"
    return ScoreCard(score, grade, cap, weight_pass, weight_total, counts, checked, applicable, coverage)


def score_result(findings: Iterable[Finding]) -> Scores:
    """Overall, per-category and per-target score cards (categories and targets in first-seen order)."""
    items = list(findings)
    by_category: dict[str, list[Finding]] = {}
    by_target: dict[str, list[Finding]] = {}
    for f in items:
        by_category.setdefault(f.category, []).append(f)
        by_target.setdefault(f.target, []).append(f)
    return Scores(
        overall=score_findings(items),
        by_category={k: score_findings(v) for k, v in by_category.items()},
        by_target={k: score_findings(v) for k, v in by_target.items()},
    )


def display_score(score: float | None) -> str:
    """The one way a score is shown to people: one decimal (73.0, 100.0), or "not scored"."""
    return "not scored" if score is None else f"{round(score, 1):.1f}"


def exact_score(card: ScoreCard) -> float | None:
    """The unrounded score, so 89.95 is never graded or gated as 90."""
    return None if card.weight_total == 0 else 100 * card.weight_pass / card.weight_total


def severity_at_least(severity: str, threshold: str) -> bool:
    """Whether `severity` is `threshold` or more severe."""
    return SEVERITY_ORDER.index(severity) <= SEVERITY_ORDER.index(threshold)
