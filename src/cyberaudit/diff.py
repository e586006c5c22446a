"""What changed between two results: new failures, fixes, waivers running out, the score's move."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from cyberaudit.reach import unreachable_ids
from cyberaudit.result import Finding, Result, parse_timestamp
from cyberaudit.scoring import SEVERITY_ORDER, display_score, exact_score, score_findings, severity_at_least
from cyberaudit.textsafe import md_code, md_escape

EXPIRY_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Change:
    """One rule on one target whose outcome is compared across two results."""

    rule_id: str
    target: str
    title: str
    severity: str
    category: str
    old_status: str | None  # None: the finding did not exist in the older result
    new_status: str | None  # None: it is gone from the newer result
    message: str


@dataclass(frozen=True)
class ExpiringWaiver:
    rule_id: str
    target: str
    title: str
    severity: str
    reason: str
    expires: str
    days_left: int


@dataclass(frozen=True)
class ScoreChange:
    old_score: float | None
    new_score: float | None
    delta: float | None
    old_grade: str | None
    new_grade: str | None


@dataclass(frozen=True)
class TargetChange:
    """A target that is in one result and not the other (taken out of or added to the profile)."""

    target: str
    kind: str
    change: str  # "removed" or "added"
    counts: dict[str, int]  # its findings per status, in the result that has it
    failed: tuple[tuple[str, str], ...]  # (severity, rule id) of its failures, most severe first
    score: float | None  # its own score there
    grade: str | None

    def summary(self) -> str:
        """'31 findings: 12 failed (2 critical, 3 high), 15 passed, 4 could not be checked; it scored 41.2 (F)'."""
        c = self.counts
        total = sum(c.values())
        by_sev = {sev: sum(1 for s, _ in self.failed if s == sev) for sev in SEVERITY_ORDER}
        worst = ", ".join(f"{n} {sev}" for sev, n in by_sev.items() if n and sev in ("critical", "high"))
        parts = [f"{c.get('fail', 0)} failed" + (f" ({worst})" if worst else ""), f"{c.get('pass', 0)} passed"]
        if c.get("error"):
            parts.append(f"{c['error']} could not be checked")
        if c.get("waived"):
            parts.append(f"{c['waived']} waived")
        scored = "not scored" if self.score is None else f"{display_score(self.score)} ({self.grade})"
        return f"{total} finding{'s' if total != 1 else ''}: {', '.join(parts)}; on its own it scored {scored}"


@dataclass(frozen=True)
class ScoreExplanation:
    """How much of the score's move comes from targets removed or added, and how much from the rest."""

    same_targets_old: float | None  # both scans scored on the targets they share
    same_targets_new: float | None
    from_same_targets: float | None  # points
    from_target_changes: float | None  # points: the rest of the move

    def sentence(self, targets: tuple[TargetChange, ...]) -> str:
        groups = [(verb, [t.target for t in targets if t.change == change])
                  for verb, change in (("removing", "removed"), ("adding", "added"))]
        names = " and ".join(f"{verb} {' and '.join(ids)}" for verb, ids in groups if ids)
        if self.from_target_changes is None:
            return f"The score cannot be split: {names} leaves nothing scored to compare."
        same = ("the targets in both scans are unchanged" if self.from_same_targets == 0 else
                f"the targets in both scans account for {self.from_same_targets:+.1f} "
                f"({_one(self.same_targets_old)} -> {_one(self.same_targets_new)})")
        return f"{names[0].upper()}{names[1:]} accounts for {self.from_target_changes:+.1f} points; {same}."


def _one(score: float | None) -> str:
    return display_score(score)


@dataclass(frozen=True)
class ResultDiff:
    """The changes from `old` to `new`; every list is ordered by severity, then rule and target."""

    old_generated_at: str
    new_generated_at: str
    score: ScoreChange
    by_category: dict[str, ScoreChange]
    new_failures: tuple[Change, ...]
    fixed: tuple[Change, ...]
    still_failing: tuple[Change, ...]
    other_changes: tuple[Change, ...]  # e.g. pass → error, fail → waived
    expiring_waivers: tuple[ExpiringWaiver, ...]
    targets: tuple[TargetChange, ...] = ()  # removed or added: said first, their findings summarised
    explanation: ScoreExplanation | None = None  # set when targets were removed or added

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def has_new_failure_at_least(self, severity: str) -> bool:
        """A new failure, including those of a target just added to the profile."""
        added = [sev for t in self.targets if t.change == "added" for sev, _ in t.failed]
        return any(severity_at_least(sev, severity) for sev in [c.severity for c in self.new_failures] + added
                   if sev in SEVERITY_ORDER)


def _key(f: Finding) -> tuple[str, str]:
    return (f.rule_id, f.target)


def _change(f: Finding, old_status: str | None, new_status: str | None) -> Change:
    return Change(f.rule_id, f.target, f.title, f.severity, f.category, old_status, new_status, f.message)


def _rank(c: Change | ExpiringWaiver) -> tuple[int, str, str]:
    sev = SEVERITY_ORDER.index(c.severity) if c.severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
    return (sev, c.rule_id, c.target)


def _score_change(old: Any, new: Any) -> ScoreChange:
    old_score = old.score if old else None
    new_score = new.score if new else None
    delta = round(new_score - old_score, 1) if old_score is not None and new_score is not None else None
    return ScoreChange(old_score, new_score, delta, old.grade if old else None, new.grade if new else None)


def _today(result: Result) -> dt.date:
    return (parse_timestamp(result.generated_at) or dt.datetime.now(dt.timezone.utc)).date()


def expiring_waivers(result: Result, days: int = EXPIRY_WINDOW_DAYS) -> tuple[ExpiringWaiver, ...]:
    """Waivers still in force that run out within `days` of the result's date."""
    today = _today(result)
    out = []
    for f in result.findings:
        if f.status != "waived" or f.waiver is None or f.waiver.expired:
            continue
        try:
            left = (dt.date.fromisoformat(f.waiver.expires) - today).days
        except ValueError:
            continue
        if left <= days:
            out.append(ExpiringWaiver(f.rule_id, f.target, f.title, f.severity, f.waiver.reason,
                                      f.waiver.expires, left))
    return tuple(sorted(out, key=_rank))


def _target_changes(result: Result, ids: list[str], change: str) -> tuple[TargetChange, ...]:
    """A TargetChange for each of `ids`, from one pass over the result's findings."""
    if not ids:
        return ()
    wanted = set(ids)
    kinds: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {t: {} for t in ids}
    failed: dict[str, list[tuple[str, str]]] = {t: [] for t in ids}
    for f in result.findings:
        if f.target not in wanted:
            continue
        kinds.setdefault(f.target, f.target_kind)
        counts[f.target][f.status] = counts[f.target].get(f.status, 0) + 1
        if f.status == "fail":
            failed[f.target].append((f.severity, f.rule_id))
    out = []
    for target in ids:
        card = result.scores.by_target.get(target)
        ranked = sorted(failed[target],
                        key=lambda p: (SEVERITY_ORDER.index(p[0]) if p[0] in SEVERITY_ORDER else 9, p[1]))
        out.append(TargetChange(target, kinds.get(target, ""), change, counts[target], tuple(ranked),
                                card.score if card else None, card.grade if card else None))
    return tuple(out)


def _score_on(result: Result, targets: set[str]) -> float | None:
    card = score_findings([f for f in result.findings if f.target in targets],
                          unscored_targets=unreachable_ids(result))
    exact = exact_score(card)
    return None if exact is None else round(exact, 1)


def _explain(old: Result, new: Result, shared: set[str], delta: float | None) -> ScoreExplanation:
    same_old, same_new = _score_on(old, shared), _score_on(new, shared)
    from_same = round(same_new - same_old, 1) if same_old is not None and same_new is not None else None
    rest = round(delta - from_same, 1) if delta is not None and from_same is not None else None
    return ScoreExplanation(same_old, same_new, from_same, rest)


def diff_results(old: Result, new: Result) -> ResultDiff:
    """Compare two results finding by finding (a finding is a rule on a target)."""
    old_targets = list(dict.fromkeys(f.target for f in old.findings))
    new_targets = list(dict.fromkeys(f.target for f in new.findings))
    old_set, new_set = set(old_targets), set(new_targets)
    removed = [t for t in old_targets if t not in new_set]
    added = [t for t in new_targets if t not in old_set]
    changed_targets = set(removed) | set(added)
    # one pass over each side, keeping the older statuses only: two results of thousands of targets
    # held as whole findings (or a Change for each) were several times either result
    before = {_key(f): f.status for f in old.findings if f.target not in changed_targets}
    new_failures, fixed, still, other = [], [], [], []
    for f in new.findings:
        if f.target in changed_targets:
            continue
        was = before.pop(_key(f), None)
        is_fail, was_fail = f.status == "fail", was == "fail"
        if is_fail and not was_fail:
            new_failures.append(_change(f, was, f.status))
        elif is_fail:
            still.append(_change(f, was, f.status))
        elif was_fail and f.status == "pass":
            fixed.append(_change(f, was, f.status))
        elif was != f.status:
            other.append(_change(f, was, f.status))
    # what the newer result no longer has at all (statuses are never None)
    other += [_change(f, f.status, None) for f in old.findings
              if f.target not in changed_targets and before.pop(_key(f), None) is not None]
    cats = list(dict.fromkeys([*new.scores.by_category, *old.scores.by_category]))
    score = _score_change(old.scores.overall, new.scores.overall)
    targets = _target_changes(old, removed, "removed") + _target_changes(new, added, "added")
    shared = old_set & new_set
    return ResultDiff(
        old_generated_at=old.generated_at,
        new_generated_at=new.generated_at,
        score=score,
        by_category={c: _score_change(old.scores.by_category.get(c), new.scores.by_category.get(c))
                     for c in cats},
        new_failures=tuple(sorted(new_failures, key=_rank)),
        fixed=tuple(sorted(fixed, key=_rank)),
        still_failing=tuple(sorted(still, key=_rank)),
        other_changes=tuple(sorted(other, key=_rank)),
        expiring_waivers=expiring_waivers(new),
        targets=targets,
        explanation=_explain(old, new, shared, score.delta) if targets else None,
    )


def _fmt_score(s: ScoreChange) -> str:
    def one(score: float | None, grade: str | None) -> str:
        return "not scored" if score is None else f"{display_score(score)} ({grade})"

    line = f"{one(s.old_score, s.old_grade)} -> {one(s.new_score, s.new_grade)}"
    if s.delta is not None:
        line += f"  [{s.delta:+.1f}]"
    return line


def _status(s: str | None) -> str:
    return "absent" if s is None else s.replace("_", " ")


_SECTIONS = (
    ("new_failures", "New failures"),
    ("fixed", "Fixed"),
    ("still_failing", "Still failing"),
    ("other_changes", "Other changes"),
)


def diff_to_text(diff: ResultDiff) -> str:
    """Plain text for a terminal or a CI log."""
    lines = [f"Compared {diff.old_generated_at} with {diff.new_generated_at}"]
    for t in diff.targets:  # first: a target taken out or added explains most of what follows
        lines.append(f"Target {t.change}: {t.target} ({t.kind.replace('_', ' ')}), {t.summary()}")
    lines.append(f"Score: {_fmt_score(diff.score)}")
    if diff.explanation is not None:
        lines.append(f"  {diff.explanation.sentence(diff.targets)}")
    lines.append("")
    for attr, heading in _SECTIONS:
        items: tuple[Change, ...] = getattr(diff, attr)
        lines.append(f"{heading} ({len(items)})")
        for c in items:
            move = f"  [{_status(c.old_status)} -> {_status(c.new_status)}]" if attr == "other_changes" else ""
            lines.append(f"  {c.severity.upper():8} {c.rule_id} on {c.target}: {c.title}{move}")
        lines.append("")
    lines.append(f"Waivers expiring within {EXPIRY_WINDOW_DAYS} days ({len(diff.expiring_waivers)})")
    for w in diff.expiring_waivers:
        lines.append(f"  {w.rule_id} on {w.target}: expires {w.expires} ({w.days_left} days) - {w.reason}")
    return "\n".join(lines).rstrip() + "\n"


def diff_to_markdown(diff: ResultDiff) -> str:
    """Markdown for a ticket or a pull-request comment."""
    out = ["# Changes since the previous scan", "",
           f"Compared {md_escape(diff.old_generated_at)} with {md_escape(diff.new_generated_at)}.", ""]
    for t in diff.targets:
        out.append(f"- **Target {t.change}:** {md_escape(t.target)} ({md_escape(t.kind.replace('_', ' '))}), "
                   f"{md_escape(t.summary())}")
    if diff.targets:
        out.append("")
    out += [f"**Score:** {md_escape(_fmt_score(diff.score))}", ""]
    if diff.explanation is not None:
        out += [md_escape(diff.explanation.sentence(diff.targets)), ""]
    for attr, heading in _SECTIONS:
        items: tuple[Change, ...] = getattr(diff, attr)
        out += [f"## {heading} ({len(items)})", ""]
        if not items:
            out += ["None.", ""]
            continue
        out += ["| Severity | Rule | Target | Title | Before | Now |", "|---|---|---|---|---|---|"]
        for c in items:
            out.append(f"| {md_escape(c.severity)} | {md_code(c.rule_id)} | {md_escape(c.target)} | "
                       f"{md_escape(c.title)} | {md_escape(_status(c.old_status))} | {md_escape(_status(c.new_status))} |")
        out.append("")
    out += [f"## Waivers expiring within {EXPIRY_WINDOW_DAYS} days ({len(diff.expiring_waivers)})", ""]
    if not diff.expiring_waivers:
        out.append("None.")
    for w in diff.expiring_waivers:
        out.append(f"- {md_code(w.rule_id)} on {md_escape(w.target)}: expires {md_escape(w.expires)} "
                   f"({w.days_left} days). Reason: {md_escape(w.reason)}")
    return "\n".join(out).rstrip() + "\n"
