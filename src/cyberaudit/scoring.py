"""Scores and grades, exactly as the design says.

Weights: critical 10, high 6, medium 3, low 1, info 0 (shown, not scored).
Score = 100 × Σ weight(pass) / Σ weight(pass + fail + error). Grade A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60,
else F; one failed critical rule caps the grade at D, two or more different failed critical rules
at F, a failed high rule at B. Waived and not-applicable findings are not scored; failed info rules
are notes. Findings on a target that could not be reached at all count in coverage but not in the
score. Coverage = checked (pass + fail) / applicable (pass + fail + error).
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


def grade_cap(failed_critical: list[str], failed_high: list[str]) -> tuple[str, str, tuple[str, ...]] | None:
    """The grade ceiling the failed rules impose: (grade, why, rule ids), or None."""
    if len(failed_critical) >= 2:
        return "F", f"{len(failed_critical)} different critical rules failed (grade capped at F)", tuple(failed_critical)
    if failed_critical:
        return "D", "a critical rule failed (grade capped at D)", tuple(failed_critical)
    if failed_high:
        return "B", "a high-severity rule failed (grade capped at B)", tuple(failed_high)
    return None


class _Tally:
    """One score card's sums, fed one finding at a time (so no list of findings is ever held)."""

    def __init__(self, ignore_errors: bool, unscored_targets: frozenset[str]) -> None:
        self.ignore_errors, self.unscored = ignore_errors, unscored_targets
        self.counts = {s: 0 for s in STATUSES}
        self.weight_pass = self.weight_total = self.notes = self.unreached = 0
        self.failed_critical: dict[str, None] = {}
        self.failed_high: dict[str, None] = {}

    def add(self, f: Finding) -> None:
        self.counts[f.status] = self.counts.get(f.status, 0) + 1
        if f.status == "fail" and f.severity == "info":
            self.notes += 1
        if f.target in self.unscored:
            self.unreached += f.status in ("pass", "fail", "error")
            return
        w = WEIGHTS.get(f.severity, 0)
        if f.status == "pass":
            self.weight_pass += w
            self.weight_total += w
        elif f.status == "fail":
            self.weight_total += w
            if f.severity == "critical":
                self.failed_critical[f.rule_id] = None
            elif f.severity == "high":
                self.failed_high[f.rule_id] = None
        elif f.status == "error" and not self.ignore_errors:
            self.weight_total += w

    def card(self) -> ScoreCard:
        counts, weight_pass, weight_total = self.counts, self.weight_pass, self.weight_total
        checked = counts["pass"] + counts["fail"]
        applicable = checked + counts["error"]
        coverage = round(100 * checked / applicable, 1) if applicable else None
        extra = {"notes": self.notes, "unreached": self.unreached}
        if weight_total == 0:
            return ScoreCard(None, None, None, weight_pass, weight_total, counts, checked, applicable, coverage,
                             **extra)
        exact = 100 * weight_pass / weight_total
        score = round(exact, 1)  # for display; grades and gates use the exact ratio
        grade = uncapped = grade_for(exact)
        cap = None
        cap_rules: tuple[str, ...] = ()
        ceiling = grade_cap(sorted(self.failed_critical), sorted(self.failed_high))
        if ceiling is not None and _worse(grade, ceiling[0]) != grade:
            grade, cap, cap_rules = ceiling
        return ScoreCard(score, grade, cap, weight_pass, weight_total, counts, checked, applicable, coverage,
                         uncapped_grade=uncapped if cap else None, cap_rules=cap_rules, **extra)


def score_findings(findings: Iterable[Finding], *, ignore_errors: bool = False,
                   unscored_targets: frozenset[str] = frozenset()) -> ScoreCard:
    """The score card of a set of findings.

    `ignore_errors` leaves errors out (for --allow-errors); findings on `unscored_targets` (targets that
    could not be reached) count in coverage, not in the score.
    """
    tally = _Tally(ignore_errors, unscored_targets)
    for f in findings:
        tally.add(f)
    return tally.card()


def score_result(findings: Iterable[Finding], unscored_targets: frozenset[str] = frozenset()) -> Scores:
    """Overall, per-category and per-target score cards (categories and targets in first-seen order)."""
    # one pass: the findings of a large scan are read one at a time, never listed
    overall = _Tally(False, unscored_targets)
    by_category: dict[str, _Tally] = {}
    by_target: dict[str, _Tally] = {}
    for f in findings:
        overall.add(f)
        cat = by_category.get(f.category)
        if cat is None:
            cat = by_category[f.category] = _Tally(False, unscored_targets)
        cat.add(f)
        tgt = by_target.get(f.target)
        if tgt is None:
            tgt = by_target[f.target] = _Tally(False, unscored_targets)
        tgt.add(f)
    return Scores(overall=overall.card(), by_category={k: v.card() for k, v in by_category.items()},
                  by_target={k: v.card() for k, v in by_target.items()})


def display_score(score: float | None) -> str:
    """The one way a score is shown to people: one decimal (73.0, 100.0), or "not scored"."""
    return "not scored" if score is None else f"{round(score, 1):.1f}"


def exact_score(card: ScoreCard) -> float | None:
    """The unrounded score, so 89.95 is never graded or gated as 90."""
    return None if card.weight_total == 0 else 100 * card.weight_pass / card.weight_total


def severity_at_least(severity: str, threshold: str) -> bool:
    """Whether `severity` is `threshold` or more severe."""
    return SEVERITY_ORDER.index(severity) <= SEVERITY_ORDER.index(threshold)
