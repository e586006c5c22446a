"""The Result: one versioned JSON document, the single source for every renderer."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

from cyberaudit.errors import InputError
from cyberaudit.userfiles import read_user_bytes

SCHEMA_VERSION = "1.0"
Status = Literal["pass", "fail", "error", "not_applicable", "waived"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "error", "not_applicable", "waived")


@dataclass(frozen=True)
class WaiverInfo:
    reason: str
    expires: str  # ISO date
    expired: bool
    pattern: str  # the waiver's target pattern
    original_status: str  # what the finding would have been without the waiver


@dataclass(frozen=True)
class Finding:
    """One rule on one target."""

    rule_id: str
    target: str  # as written in the profile
    target_kind: str
    status: Status
    severity: str
    category: str
    title: str
    message: str  # plain words
    details: tuple[str, ...] = ()  # technical reasons (which fact, which value)
    evidence: dict[str, Any] = field(default_factory=dict)  # fact path → value: the technical appendix
    evidence_text: tuple[str, ...] = ()  # the same evidence as plain sentences, for people
    remediation: str = ""
    references: tuple[str, ...] = ()
    effort: str = "medium"
    pack: str = ""
    waiver: WaiverInfo | None = None


@dataclass(frozen=True)
class RuleInfo:
    """What a renderer needs to explain a rule (help text, SARIF driver rules)."""

    id: str
    title: str
    summary: str
    category: str
    severity: str
    scope: str
    probe: str
    rationale: str
    remediation: str
    references: tuple[str, ...]
    effort: str
    pack: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProbeRun:
    probe: str
    status: Literal["ok", "error", "unavailable", "timeout"]
    duration_ms: int
    error: str | None = None


@dataclass(frozen=True)
class TargetResult:
    id: str
    kind: str
    line: int | None
    facts: dict[str, Any]
    fact_errors: dict[str, str]
    probes: tuple[ProbeRun, ...]


@dataclass(frozen=True)
class ScoreCard:
    """Score of a set of findings: 100 × Σ weight(pass) / Σ weight(pass + fail + error)."""

    score: float | None  # None when nothing scorable was checked
    grade: str | None
    cap: str | None  # why the grade was capped, if it was
    weight_pass: int
    weight_total: int
    counts: dict[str, int]  # per status
    checked: int  # pass + fail
    applicable: int  # pass + fail + error
    coverage: float | None  # checked / applicable, percent
    uncapped_grade: str | None = None  # what the arithmetic alone gives, when a cap lowered it
    cap_rules: tuple[str, ...] = ()  # the failed rules behind the cap
    notes: int = 0  # failed info rules: shown as notes, never counted as problems
    unreached: int = 0  # checks on targets that could not be reached: applicable, not scored

    @property
    def problems(self) -> int:
        """Failed rules that need fixing (info rules are notes, not problems)."""
        return self.counts.get("fail", 0) - self.notes


@dataclass(frozen=True)
class Scores:
    overall: ScoreCard
    by_category: dict[str, ScoreCard]
    by_target: dict[str, ScoreCard]


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    digest: str
    path: str
    builtin: bool
    rules: int


@dataclass(frozen=True)
class ProfileInfo:
    path: str
    digest: str
    practice: str
    jurisdiction: str


@dataclass(frozen=True)
class Result:
    schema_version: str
    tool: dict[str, str]
    generated_at: str  # ISO 8601, UTC
    profile: ProfileInfo
    packs: tuple[PackInfo, ...]
    rules: dict[str, RuleInfo]
    targets: tuple[TargetResult, ...]
    findings: tuple[Finding, ...]
    scores: Scores
    timings: dict[str, Any]
    options: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"

    def findings_with(self, *statuses: str) -> list[Finding]:
        return [f for f in self.findings if f.status in statuses]


def parse_timestamp(text: str) -> dt.datetime | None:
    """An ISO 8601 stamp ("Z" allowed) as an aware UTC datetime; naive stamps are taken as UTC."""
    try:
        when = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(value: Any) -> Any:
    # One pass over the dataclasses, without dataclasses.asdict's deep copy of every fact: on a
    # scan of many targets that copy cost more than writing the JSON.
    if hasattr(type(value), "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _build(cls: type, data: Any) -> Any:
    """Rebuild a dataclass from JSON data, ignoring keys this version does not know."""
    if not isinstance(data, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    names = {f.name: f for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def result_from_dict(data: dict[str, Any]) -> Result:
    """Rebuild a Result from its JSON form (the inverse of Result.to_dict)."""
    major = str(data.get("schema_version", "")).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise ValueError(f"unsupported result schema_version {data.get('schema_version')!r} "
                         f"(this cyberaudit reads {SCHEMA_VERSION})")

    def card(d: dict[str, Any]) -> ScoreCard:
        d = dict(d)
        d["cap_rules"] = tuple(d.get("cap_rules", ()))
        return _build(ScoreCard, d)

    def finding(d: dict[str, Any]) -> Finding:
        d = dict(d)
        d["details"] = tuple(d.get("details", ()))
        d["evidence_text"] = tuple(d.get("evidence_text", ()))
        d["references"] = tuple(d.get("references", ()))
        if d.get("waiver"):
            d["waiver"] = _build(WaiverInfo, d["waiver"])
        return _build(Finding, d)

    def target(d: dict[str, Any]) -> TargetResult:
        d = dict(d)
        d["probes"] = tuple(_build(ProbeRun, p) for p in d.get("probes", ()))
        return _build(TargetResult, d)

    def rule(d: dict[str, Any]) -> RuleInfo:
        d = dict(d)
        d["references"] = tuple(d.get("references", ()))
        return _build(RuleInfo, d)

    scores = data["scores"]
    return Result(
        schema_version=data["schema_version"],
        tool=dict(data["tool"]),
        generated_at=data["generated_at"],
        profile=_build(ProfileInfo, data["profile"]),
        packs=tuple(_build(PackInfo, p) for p in data.get("packs", ())),
        rules={k: rule(v) for k, v in data.get("rules", {}).items()},
        targets=tuple(target(t) for t in data.get("targets", ())),
        findings=tuple(finding(f) for f in data.get("findings", ())),
        scores=Scores(overall=card(scores["overall"]),
                      by_category={k: card(v) for k, v in scores.get("by_category", {}).items()},
                      by_target={k: card(v) for k, v in scores.get("by_target", {}).items()}),
        timings=dict(data.get("timings", {})),
        options=dict(data.get("options", {})),
    )


def load_result(path: str | Path) -> Result:
    """Read a saved Result JSON; a broken file is an InputError naming it."""
    path = Path(path)
    raw = read_user_bytes(path, "result file")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("not a cyberaudit result: the file is not UTF-8 text", path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    if not isinstance(data, dict):
        raise InputError("not a cyberaudit result: the top level is not a JSON object", path, 1, 1)
    try:
        return result_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
        raise InputError(f"not a cyberaudit result: {detail}", path) from None
