"""Rules × targets → findings: parameters, applicability, waivers and plain messages."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cyberaudit.conditions import MISSING, FactView, Outcome, evaluate
from cyberaudit.errors import InputError, raise_all
from cyberaudit.evidence import choose_message, evidence_sentences
from cyberaudit.messages import did_you_mean
from cyberaudit.packs import Rule, RuleSet
from cyberaudit.profile import LoadedProfile, Waiver
from cyberaudit.result import Finding, Status, WaiverInfo
from cyberaudit.targets import Target


@dataclass(frozen=True)
class RuleSettings:
    """The profile's rule settings, checked against the loaded rules."""

    enabled: tuple[Rule, ...]
    params: dict[str, dict[str, Any]]  # rule id → effective parameters
    waivers: tuple[tuple[str, Waiver], ...]  # (canonical rule id, waiver)


def resolve_settings(loaded: LoadedProfile, rules: RuleSet) -> RuleSettings:
    """Apply `rules.disable`, `rules.params` and `waivers`; unknown ids or params are InputErrors."""
    prof, doc = loaded.profile, loaded.doc
    problems: list[InputError] = []
    known_ids = [*rules.rules, *rules.aliases]
    disabled: set[str] = set()
    for i, rid in enumerate(prof.rules.disable):
        canonical = rules.resolve_id(rid)
        if canonical is None:
            problems.append(doc.error(("rules", "disable", i), f"unknown rule id {rid!r} in rules.disable"
                                                               f"{did_you_mean(rid, known_ids)}"))
            continue
        disabled.add(canonical)
    params = {rid: rule.default_params() for rid, rule in rules.rules.items()}
    for rid, overrides in prof.rules.params.items():
        canonical = rules.resolve_id(rid)
        if canonical is None:
            problems.append(doc.error(("rules", "params", rid), f"unknown rule id {rid!r} in rules.params"
                                                                f"{did_you_mean(rid, known_ids)}", key=True))
            continue
        rule = rules.rules[canonical]
        for name, value in overrides.items():
            spec = rule.model.params.get(name)
            loc = ("rules", "params", rid, name)
            if spec is None:
                known = ", ".join(rule.model.params) or "none"
                problems.append(doc.error(loc, f"rule {canonical} has no parameter {name!r}"
                                               f"{did_you_mean(name, rule.model.params)} (parameters: {known})",
                                          key=True))
                continue
            try:
                _check_param(doc, loc, canonical, name, spec.default, value, spec.minimum, spec.maximum)
            except InputError as exc:
                problems.append(exc)
                continue
            params[canonical][name] = value
    waivers = []
    for i, w in enumerate(prof.waivers):
        canonical = rules.resolve_id(w.rule)
        if canonical is None:
            problems.append(doc.error(("waivers", i, "rule"), f"waiver names unknown rule id {w.rule!r}"
                                                              f"{did_you_mean(w.rule, known_ids)}"))
            continue
        waivers.append((canonical, w))
    raise_all(problems)
    enabled = tuple(r for rid, r in rules.rules.items() if rid not in disabled)
    return RuleSettings(enabled, params, tuple(waivers))


def _check_param(doc: Any, loc: tuple[Any, ...], rid: str, name: str, default: Any, value: Any,
                 minimum: float | None, maximum: float | None) -> None:
    numeric = isinstance(default, (int, float)) and not isinstance(default, bool)
    if numeric:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise doc.error(loc, f"{rid}.{name} must be a number, got {value!r}")
        if minimum is not None and value < minimum:
            raise doc.error(loc, f"{rid}.{name} must be at least {minimum:g}, got {value}")
        if maximum is not None and value > maximum:
            raise doc.error(loc, f"{rid}.{name} must be at most {maximum:g}, got {value}")
    elif default is not None and type(value) is not type(default):
        raise doc.error(loc, f"{rid}.{name} must be of type {type(default).__name__}, got {value!r}")


@dataclass(frozen=True)
class TargetFacts:
    """What the probes said about one target, ready for evaluation."""

    facts: Mapping[str, Any]
    errors: Mapping[str, str]
    probe_errors: Mapping[str, str]  # probe name → why it produced nothing
    unavailable: frozenset[str]  # probes not part of this installation


def evaluate_rule(rule: Rule, target: Target, tf: TargetFacts, params: Mapping[str, Any],
                  waivers: tuple[tuple[str, Waiver], ...], today: dt.date) -> Finding:
    """One finding for one rule on one target."""
    status: Status
    message: str | None = None  # the failing branch's message, when the rule declares one
    sentences: tuple[str, ...] = ()
    if rule.probe in tf.unavailable:
        outcome = Outcome("error", [f"probe not available: the {rule.probe} probe is not part of this "
                                    f"installation of cyberaudit"])
    elif rule.probe in tf.probe_errors:
        outcome = Outcome("error", [tf.probe_errors[rule.probe]])
    elif rule.probe not in tf.facts:
        outcome = Outcome("error", [f"the {rule.probe} probe did not run on this {target.kind.replace('_', ' ')}"])
    else:
        view = FactView(tf.facts, tf.errors)
        outcome = Outcome("pass")
        if rule.applies_if is not None:
            applies = evaluate(rule.applies_if, view, params)
            if applies.status == "fail":  # the evidence still says why it does not apply
                _add_evidence(rule, view, applies)
                return _finding(rule, target, "not_applicable", applies, None)
            if applies.status == "error":
                outcome = applies
        if outcome.status == "pass":
            outcome = evaluate(rule.check, view, params)
        _add_evidence(rule, view, outcome)
        if outcome.status == "fail":
            message = choose_message(rule.messages, view, params)
            sentences = evidence_sentences(rule.templates, view, params, outcome)
    status = outcome.status
    waiver_info = None
    waiver = _matching_waiver(rule.id, target.id, waivers)
    if waiver is not None and status in ("fail", "error"):
        expired = waiver.expires < today
        waiver_info = WaiverInfo(waiver.reason, waiver.expires.isoformat(), expired, waiver.target, status)
        if not expired:
            status = "waived"
    return _finding(rule, target, status, outcome, waiver_info, message, sentences)


def _add_evidence(rule: Rule, view: FactView, outcome: Outcome) -> None:
    for path in rule.evidence_facts:
        value = view.get(path)
        if value is not MISSING:
            outcome.evidence.setdefault(path, value)


def _matching_waiver(rule_id: str, target_id: str,
                     waivers: tuple[tuple[str, Waiver], ...]) -> Waiver | None:
    for rid, w in waivers:
        if rid == rule_id and (w.target == target_id or fnmatch.fnmatchcase(target_id, w.target)):
            return w
    return None


def _finding(rule: Rule, target: Target, status: Status, outcome: Outcome, waiver: WaiverInfo | None,
             fail_message: str | None = None, sentences: tuple[str, ...] = ()) -> Finding:
    m = rule.model
    if status == "pass":
        message = m.pass_message or m.title
    elif status == "fail":
        message = fail_message or m.fail_message or f"Not met: {m.title}"
    elif status == "error":
        reason = outcome.reasons[0] if outcome.reasons else "the probe gave no answer"
        message = f"Could not be checked: {plain_reason(reason)}"
    elif status == "not_applicable":
        message = m.not_applicable_message or "Does not apply to this target."
    else:
        assert waiver is not None
        message = f"Waived until {waiver.expires}: {waiver.reason}"
    if waiver is not None and waiver.expired:
        message += f" (the waiver for this expired on {waiver.expires})"
    return Finding(
        rule_id=m.id, target=target.id, target_kind=target.kind, status=status, severity=m.severity,
        category=m.category, title=m.title, message=_intern(message), details=_interned(outcome.reasons),
        evidence=_jsonable(outcome.evidence), evidence_text=_interned(sentences), remediation=m.remediation,
        references=_shared(tuple(m.references)), effort=m.effort, pack=rule.pack, waiver=waiver,
    )


# One tuple per distinct reference list, shared by every finding of the rule: a scan of thousands of
# targets would otherwise hold a copy per finding. Bounded by the rules loaded.
_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared(items: tuple[str, ...]) -> tuple[str, ...]:
    return _TUPLES.setdefault(items, items)


def _interned(texts: Iterable[str]) -> tuple[str, ...]:
    # the same reason or sentence recurs on many targets (a missing header reads the same everywhere)
    return tuple(_intern(t) for t in texts)


def _intern(text: str) -> str:
    return sys.intern(text) if type(text) is str else text  # sys.intern takes exact strings only


_FACT_PREFIX = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_*\[\]-]+)+(: | )")


def plain_reason(reason: str) -> str:
    """An error reason without the fact path it starts with (the technical detail keeps it)."""
    m = _FACT_PREFIX.match(reason)
    if m is None:
        return reason
    rest = reason[m.end():]
    if m.group(2) == ": ":
        return rest
    return {"was not reported": "the check did not report this", "is unknown": "this could not be determined",
            "is not a list": "the check reported something unexpected"}.get(rest, rest)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def check_unused_target_patterns(loaded: LoadedProfile, targets: list[Target]) -> None:
    """A waiver whose target pattern matches nothing is almost always a typo."""
    ids = [t.id for t in targets]
    for i, w in enumerate(loaded.profile.waivers):
        if w.target != "*" and not any(w.target == t or fnmatch.fnmatchcase(t, w.target) for t in ids):
            raise InputError(f"waiver target {w.target!r} matches no target of this profile "
                             f"(targets: {', '.join(ids)})", loaded.path,
                             *loaded.doc.where(("waivers", i, "target")))
