"""The reader's view of a Result: what to fix first, findings grouped by target, chart geometry.

Shared by the HTML and Markdown renderers so both tell the same story in the same order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cyberaudit.diff import ExpiringWaiver, expiring_waivers
from cyberaudit.reach import Unreachable, unreachable_targets
from cyberaudit.render import RenderOptions
from cyberaudit.render.areas import area_name
from cyberaudit.result import Finding, Result, ScoreCard
from cyberaudit.scoring import SEVERITY_ORDER, WEIGHTS, display_score

STATUS_ORDER = ("fail", "error", "waived", "not_applicable", "pass")
STATUS_LABEL = {"pass": "Passed", "fail": "Failed", "error": "Could not be checked",
                "not_applicable": "Not applicable", "waived": "Waived"}
KIND_LABEL = {"website": "Website", "endpoint": "Secure connection (TLS endpoint)", "mail_domain": "Mail domain",
              "platform": "Platform", "practice": "The practice"}
EFFORT_ORDER = ("low", "medium", "high")
GRADE_COLOURS = {"A": "#1b7f3b", "B": "#4a7d12", "C": "#8a6d00", "D": "#b25000", "F": "#b3261e", None: "#5f6368"}


def _sev_rank(sev: str) -> int:
    return SEVERITY_ORDER.index(sev) if sev in SEVERITY_ORDER else len(SEVERITY_ORDER)


def _effort_rank(effort: str) -> int:
    return EFFORT_ORDER.index(effort) if effort in EFFORT_ORDER else 1


def finding_order(f: Finding) -> tuple[int, int, int, str]:
    status = STATUS_ORDER.index(f.status) if f.status in STATUS_ORDER else len(STATUS_ORDER)
    return (status, _sev_rank(f.severity), _effort_rank(f.effort), f.rule_id)


DETAIL_LINES = 3  # technical details shown beside a finding; the rest are in the technical appendix
EVIDENCE_LINES = 25  # a reader needs examples, not 500 file names; CSV and JSON keep them all


def evidence_items(evidence: dict[str, Any], limit: int | None = EVIDENCE_LINES) -> list[tuple[str, list[str]]]:
    """Evidence as (fact, lines of text): lists become one line per element, cut at `limit` lines."""
    out = []
    for key, value in evidence.items():
        if isinstance(value, (list, tuple)):
            lines = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
                     for v in value] or ["(none)"]
        elif isinstance(value, dict):
            lines = [f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                     for k, v in value.items()] or ["(none)"]
        elif value is None:
            lines = ["null (no value reported)"]
        elif isinstance(value, bool):
            lines = ["yes" if value else "no"]
        else:
            lines = [str(value)]
        if limit is not None and len(lines) > limit:
            lines = [*lines[:limit], f"… and {len(lines) - limit} more (all of them are in the JSON and CSV reports)"]
        out.append((str(key), lines))
    return out


EVIDENCE_SENTENCES = 8  # shown with a finding; the rest are in the technical appendix


@dataclass(frozen=True)
class PlainEvidence:
    """What a reader sees as a finding's evidence: a few plain sentences and how many more there are."""

    lines: tuple[str, ...]
    more: int


def plain_evidence(f: Finding, limit: int = EVIDENCE_SENTENCES) -> PlainEvidence:
    """The finding's evidence sentences, cut at `limit` (the appendix lists them all)."""
    lines = tuple(f.evidence_text)
    if len(lines) <= limit:
        return PlainEvidence(lines, 0)
    return PlainEvidence(lines[:limit], len(lines) - limit)


@dataclass(frozen=True)
class FixItem:
    """One failed rule, with every target it failed on."""

    rule_id: str
    title: str
    severity: str
    effort: str
    category: str
    targets: tuple[str, ...]
    remediation: str
    message: str  # what is wrong, in plain words


@dataclass(frozen=True)
class TargetView:
    id: str
    kind: str
    kind_label: str
    anchor: str
    card: ScoreCard | None
    failed: tuple[Finding, ...]
    errors: tuple[Finding, ...]
    passed: tuple[Finding, ...]
    probe_errors: tuple[tuple[str, str], ...]  # (probe, reason)


@dataclass(frozen=True)
class PlatformRow:
    """One platform of the profile, as the "Your platforms" table shows it."""

    target: str
    anchor: str
    service: str
    vendor: str | None
    plan: str  # the catalogue entry (one service on one plan), or why there is none
    in_catalog: bool
    holds_client_data: bool | None
    baa_available: str  # yes, no, unknown
    baa_plans: str | None
    baa_signed: str  # yes, no, not said
    e2ee: str
    mfa: str
    actions: tuple[str, ...]
    status: str  # fail, error or pass: the worst finding on the platform


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    grade: str | None
    y: int
    width: float
    colour: str


@dataclass(frozen=True)
class TrendChart:
    points: str  # SVG polyline points
    dots: tuple[tuple[float, float, str, str], ...]  # x, y, label, score text
    width: int
    height: int
    labels: tuple[str, ...] = ()  # every point's date, for the text alternative (the axis thins them)
    left: int = 40
    top: int = 10
    plot_h: int = 140


@dataclass(frozen=True)
class ReportView:
    result: Result
    title: str
    organization: str | None
    logo_uri: str | None
    overall: ScoreCard
    grade_colour: str
    headline: str
    fix_first: tuple[FixItem, ...]
    targets: tuple[TargetView, ...]
    waived: tuple[Finding, ...]
    not_applicable: tuple[Finding, ...]
    errors: tuple[Finding, ...]
    bars: tuple[Bar, ...]
    bars_height: int
    trend: TrendChart | None
    expiring: tuple[ExpiringWaiver, ...]
    weights: dict[str, int]
    options: RenderOptions
    counts: dict[str, int]  # per status; "fail" counts problems only, "note" the failed info rules
    unreachable: tuple[Unreachable, ...] = ()  # said once, first
    notes: tuple[Finding, ...] = ()  # failed info rules: worth knowing, not problems to fix
    platforms: tuple[PlatformRow, ...] = ()
    evidence: tuple[Finding, ...] = ()  # findings with facts and conditions, for the technical appendix

    @property
    def show_evidence(self) -> bool:
        """The technical appendix: always in HTML (collapsed), in a PDF only when asked for."""
        return bool(self.evidence) and (not self.options.printed or self.options.appendix)


def _anchor(i: int) -> str:
    return f"target-{i + 1}"


def headline(card: ScoreCard, fails: int, errors: int) -> str:
    """One or two plain sentences for the top of the report; `fails` is the number of problems listed."""
    if card.score is None:
        return "Nothing could be scored in this scan: every check was skipped, waived or could not be run."
    parts = [f"The practice scored {display_score(card.score)} out of 100 (grade {card.grade}"
             + (f", capped from {card.uncapped_grade}" if card.cap and card.uncapped_grade else "") + ")."]
    if fails == 0:
        parts.append("No checked rule failed.")
    elif fails == 1:
        parts.append("One problem needs fixing; it is listed below.")
    else:
        parts.append(f"{fails} problems need fixing; the most important are listed first.")
    if errors:
        parts.append(f"{errors} check{'s' if errors != 1 else ''} could not be run and "
                     f"{'do' if errors != 1 else 'does'} not count as passed.")
    if card.cap:
        parts.append(f"The grade is capped because {card.cap.split(' (')[0]}.")
    if card.unreached:
        parts.append(f"{card.unreached} of them are on targets that could not be reached (said above); "
                     "those are left out of the score until they can be checked." if errors else
                     "Targets that could not be reached are left out of the score.")
    return " ".join(parts)


def fix_first(findings: list[Finding]) -> tuple[FixItem, ...]:
    """The problems to fix: failed rules (each once, with every target), most severe first, then the
    quickest fixes, then by id. Info rules are notes, not problems. Every count of problems is this list's length.
    """
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        if f.status == "fail" and f.severity != "info":  # info rules are notes, not problems to fix
            by_rule.setdefault(f.rule_id, []).append(f)
    items = [FixItem(rid, fs[0].title, fs[0].severity, fs[0].effort, fs[0].category,
                     tuple(dict.fromkeys(f.target for f in fs)), fs[0].remediation, fs[0].message)
             for rid, fs in by_rule.items()]
    items.sort(key=lambda i: (_sev_rank(i.severity), _effort_rank(i.effort), i.rule_id))
    return tuple(items)


_YES_NO = {True: "yes", False: "no", None: "unknown"}
_E2EE = {"always": "yes, always", "optional": "optional: must be turned on", "none": "not offered",
         "unknown": "unknown"}
_MFA = {"required": "yes, always", "available": "available: must be required", "none": "not offered",
        "unknown": "unknown"}
# The short step each failed platform rule asks for; the finding itself has the full remediation.
PLATFORM_ACTIONS = {
    "PLAT-BAA-AVAILABLE": "Move client data to a plan that signs a BAA",
    "ENC-PLATFORM-BAA": "Sign the vendor's BAA (or data-processing agreement)",
    "MFA-PLATFORMS": "Require multi-factor sign-in for every account",
    "ENC-VIDEO-E2EE": "Turn on end-to-end encryption for sessions",
    "ENC-AT-REST": "Use a plan that encrypts stored data",
    "PLAT-DECLARED-CONTRADICTS": "Correct the profile: it says what the vendor does not offer",
}


def _platform_action(f: Finding, catalog: dict[str, Any]) -> str:
    if f.status == "error":
        return f"Answer in cyberaudit.yaml: {f.title[0].lower()}{f.title[1:]}?"
    action = PLATFORM_ACTIONS.get(f.rule_id, f.message)
    instead = [str(i) for i in catalog.get("instead") or []]
    if f.rule_id == "PLAT-BAA-AVAILABLE" and instead:
        action += f", such as {' or '.join(instead[:2])}"
    if f.rule_id == "ENC-VIDEO-E2EE" and catalog.get("e2ee") == "none":
        action = "Use a video service that encrypts sessions end to end"
    return action


def platform_rows(result: Result, anchors: dict[str, str] | None = None) -> tuple[PlatformRow, ...]:
    """The profile's platforms with the catalogue's and the profile's answers, and what to do about each."""
    by_target: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_target.setdefault(f.target, []).append(f)
    rows = []
    for t in result.targets:
        if t.kind != "platform":
            continue
        d = t.facts.get("declared") or {}
        cat = d.get("catalog") or {}
        findings = sorted(by_target.get(t.id, []), key=finding_order)
        failed = {f.rule_id for f in findings if f.status == "fail"}
        actions = [_platform_action(f, cat) for f in findings if f.status in ("fail", "error")
                   # no point signing a BAA the vendor will not sign: moving is the step
                   and not (f.rule_id == "ENC-PLATFORM-BAA" and "PLAT-BAA-AVAILABLE" in failed)]
        e2ee = d.get("e2ee")
        mfa = d.get("mfa_enforced")
        if cat.get("matched"):
            plan = str(cat.get("name") or t.id)
        elif cat.get("suggestion"):
            plan = f"not in the catalogue (did you mean {cat['suggestion']}?)"
        else:
            plan = "not in the catalogue"
        statuses = {f.status for f in findings}
        rows.append(PlatformRow(
            target=t.id, anchor=(anchors or {}).get(t.id, ""), service=str(d.get("name") or t.id),
            vendor=cat.get("vendor"), plan=plan, in_catalog=bool(cat.get("matched")),
            holds_client_data=d.get("holds_client_data"),
            baa_available=_YES_NO.get(d.get("baa_available"), "unknown"), baa_plans=cat.get("baa_plans"),
            baa_signed={True: "yes", False: "no"}.get(d.get("baa_signed"), "not said"),
            e2ee=(("yes" if e2ee else "no") if e2ee is not None
                  else _E2EE.get(str(cat.get("e2ee")), "unknown")),
            mfa=(("enforced" if mfa else "not enforced") if mfa is not None
                 else _MFA.get(str(cat.get("mfa")), "unknown")),
            actions=tuple(dict.fromkeys(actions)) or ("Nothing to do",),
            status="fail" if "fail" in statuses else "error" if "error" in statuses else "pass",
        ))
    return tuple(rows)


BAR_ROW = 46  # each area: its name on one line, the bar and its score below, so labels stay big on phones
BAR_WIDTH = 240


def _bars(result: Result) -> tuple[tuple[Bar, ...], int]:
    bars = []
    for i, (cat, card) in enumerate(result.scores.by_category.items()):
        width = 0.0 if card.score is None else round(card.score * BAR_WIDTH / 100, 1)
        bars.append(Bar(area_name(cat), card.score, card.grade, 6 + i * BAR_ROW, width,
                        GRADE_COLOURS.get(card.grade, "#5f6368")))
    return tuple(bars), 10 + BAR_ROW * len(bars)


def _trend(points: list[tuple[str, float | None]]) -> TrendChart | None:
    scored = [(label, s) for label, s in points if s is not None]
    if len(scored) < 2:
        return None
    # Narrow enough that 12-unit text is at least 12 px on a 390 px phone; dates thinned so they never overlap.
    width, height, left, top, plot_h = 360, 180, 34, 16, 134
    step = (width - left - 36) / (len(scored) - 1)
    every = max(1, -(-76 // max(int(step), 1)))  # a date label is about 70 units wide at this size
    dots = []
    for i, (label, score) in enumerate(scored):
        x = round(left + 18 + i * step, 1)
        y = round(top + plot_h * (1 - score / 100), 1)
        shown = i % every == 0 or i == len(scored) - 1 and (i % every) * step >= 76
        dots.append((x, y, label[:10] if shown else "", display_score(score)))
    return TrendChart(" ".join(f"{x},{y}" for x, y, _, _ in dots), tuple(dots), width, height,
                      tuple(label[:10] for label, _ in scored), left, top, plot_h)


def build_view(result: Result, options: RenderOptions, logo_uri: str | None = None) -> ReportView:
    findings = list(result.findings)
    by_target: dict[str, list[Finding]] = {}
    for f in findings:
        by_target.setdefault(f.target, []).append(f)
    probe_errors: dict[str, list[tuple[str, str]]] = {}
    kinds: dict[str, str] = {}
    for t in result.targets:
        kinds[t.id] = t.kind
        probe_errors[t.id] = [(p.probe, p.error or p.status) for p in t.probes if p.status != "ok"]
    order = list(dict.fromkeys([t.id for t in result.targets] + list(by_target)))
    targets = []
    for i, tid in enumerate(order):
        fs = sorted(by_target.get(tid, []), key=finding_order)
        kind = kinds.get(tid) or (fs[0].target_kind if fs else "practice")
        targets.append(TargetView(
            id=tid, kind=kind, kind_label=KIND_LABEL.get(kind, kind), anchor=_anchor(i),
            card=result.scores.by_target.get(tid),
            failed=tuple(f for f in fs if f.status == "fail"),
            errors=tuple(f for f in fs if f.status == "error"),
            passed=tuple(f for f in fs if f.status == "pass"),
            probe_errors=tuple(probe_errors.get(tid, [])),
        ))
    overall = result.scores.overall
    problems = fix_first(findings)
    counts = {s: sum(1 for f in findings if f.status == s) for s in STATUS_ORDER}
    notes = tuple(sorted((f for f in findings if f.status == "fail" and f.severity == "info"), key=finding_order))
    counts["fail"] -= len(notes)
    counts["note"] = len(notes)
    bars, bars_height = _bars(result)
    trend_points = [(p.generated_at, p.score) for p in options.trend]
    if options.trend and options.trend[-1].generated_at != result.generated_at:
        trend_points.append((result.generated_at, overall.score))
    return ReportView(
        result=result,
        title=options.title or f"Security and privacy audit: {result.profile.practice}",
        organization=options.organization,
        logo_uri=logo_uri,
        overall=overall,
        grade_colour=GRADE_COLOURS.get(overall.grade, "#5f6368"),
        headline=headline(overall, len(problems), counts["error"]),
        fix_first=problems,
        targets=tuple(targets),
        waived=tuple(sorted((f for f in findings if f.status == "waived"), key=finding_order)),
        not_applicable=tuple(sorted((f for f in findings if f.status == "not_applicable"), key=finding_order)),
        errors=tuple(sorted((f for f in findings if f.status == "error"), key=finding_order)),
        bars=bars,
        bars_height=bars_height,
        trend=_trend(trend_points),
        expiring=expiring_waivers(result),
        weights=dict(WEIGHTS),
        options=options,
        counts=counts,
        unreachable=tuple(unreachable_targets(result)),
        notes=notes,
        platforms=platform_rows(result, {t.id: t.anchor for t in targets}),
        evidence=tuple(sorted((f for f in findings if f.status in ("fail", "error", "waived")), key=finding_order)),
    )
