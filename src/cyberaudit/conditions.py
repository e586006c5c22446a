"""The declarative check language of rule packs, and its evaluation against a target's facts.

A check is data, never code:

    {all: [CHECK, ...]}   {any: [CHECK, ...]}   {not: CHECK}
    {fact: PATH, OP: VALUE}                  comparisons (several ops in one node must all hold)
    {fact: PATH, exists: true|false}         whether the fact has a non-null value
    {fact: PATH, empty: true|false}          whether a list/string/object is empty
    {fact: LIST, every|some|none: CHECK}     quantifiers; inside, `fact` is relative to the element
                                             and `fact: "."` is the element itself
    VALUE may be {param: NAME}: the rule's parameter (its default, or the profile's override).

Three-valued: a check is pass, fail or error. A fact that was not reported, is null, or lies under
a probe's error makes its comparison `error`; `all` fails if any part fails, else errors if any
part errors; `any` passes if any part passes, else errors if any part errors. So a check never
passes on something that could not be determined.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error"]

COMPARISONS = ("equals", "not_equals", "in", "not_in", "contains", "not_contains",
               "gt", "gte", "lt", "lte", "matches")
QUANTIFIERS = ("every", "some", "none")
PRESENCE = ("exists", "empty")
OPERATORS = COMPARISONS + QUANTIFIERS + PRESENCE
_MAX_PATTERN = 300
_MAX_MATCH_INPUT = 20_000


class CheckSyntaxError(ValueError):
    """A malformed check; `loc` is the path of the offending value below the check."""

    def __init__(self, message: str, loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class Check:
    """Base class of compiled checks."""


@dataclass(frozen=True)
class All(Check):
    parts: tuple[Check, ...]


@dataclass(frozen=True)
class Any_(Check):
    parts: tuple[Check, ...]


@dataclass(frozen=True)
class Not(Check):
    part: Check


@dataclass(frozen=True)
class Compare(Check):
    fact: str
    op: str
    value: Any  # a literal or a Param


@dataclass(frozen=True)
class Quantify(Check):
    fact: str
    op: str  # every, some, none
    part: Check


def compile_check(raw: Any, loc: tuple[str | int, ...] = ()) -> Check:
    """Turn the YAML form of a check into Check objects, or raise CheckSyntaxError."""
    if not isinstance(raw, Mapping):
        raise CheckSyntaxError("a check must be a mapping such as {fact: ..., equals: ...}", loc)
    keys = set(raw)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                raise CheckSyntaxError(f"'{combinator}' cannot be combined with other keys "
                                       f"({', '.join(sorted(map(str, keys - {combinator})))})", loc)
            items = raw[combinator]
            if not isinstance(items, list) or not items:
                raise CheckSyntaxError(f"'{combinator}' takes a non-empty list of checks", (*loc, combinator))
            parts = tuple(compile_check(item, (*loc, combinator, i)) for i, item in enumerate(items))
            return All(parts) if combinator == "all" else Any_(parts)
    if "not" in keys:
        if keys != {"not"}:
            raise CheckSyntaxError("'not' cannot be combined with other keys", loc)
        return Not(compile_check(raw["not"], (*loc, "not")))
    if "fact" not in keys:
        unknown = sorted(map(str, keys))
        raise CheckSyntaxError(f"unknown check {unknown}: expected all, any, not or fact with an operator "
                               f"({', '.join(OPERATORS)})", loc)
    fact = raw["fact"]
    if not isinstance(fact, str) or not fact:
        raise CheckSyntaxError("'fact' must be a dotted fact path", (*loc, "fact"))
    ops = [k for k in raw if k != "fact"]
    if not ops:
        raise CheckSyntaxError(f"fact '{fact}' has no operator (one of {', '.join(OPERATORS)})", loc)
    compiled: list[Check] = []
    for op in ops:
        value = raw[op]
        where = (*loc, op)
        if op not in OPERATORS:
            near = difflib.get_close_matches(str(op), list(OPERATORS), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise CheckSyntaxError(f"unknown operator '{op}'{hint}; expected one of {', '.join(OPERATORS)}", where)
        if op in QUANTIFIERS:
            if len(ops) != 1:
                raise CheckSyntaxError(f"quantifier '{op}' must be the only operator of its node", where)
            return Quantify(fact, op, compile_check(value, where))
        compiled.append(Compare(fact, op, _compile_value(op, value, where)))
    return compiled[0] if len(compiled) == 1 else All(tuple(compiled))


def _compile_value(op: str, value: Any, loc: tuple[str | int, ...]) -> Any:
    if isinstance(value, Mapping):
        if set(value) == {"param"} and isinstance(value["param"], str):
            return Param(value["param"])
        raise CheckSyntaxError("a value must be a literal or {param: NAME}", loc)
    if op in PRESENCE and not isinstance(value, bool):
        raise CheckSyntaxError(f"'{op}' takes true or false", loc)
    if op in ("in", "not_in") and not isinstance(value, list):
        raise CheckSyntaxError(f"'{op}' takes a list", loc)
    if op in ("contains", "not_contains") and isinstance(value, list):
        raise CheckSyntaxError(f"'{op}' takes one value (text, number or true/false), not a list", loc)
    if op in ("gt", "gte", "lt", "lte") and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise CheckSyntaxError(f"'{op}' takes a number", loc)
    if op == "matches":
        if not isinstance(value, str):
            raise CheckSyntaxError("'matches' takes a regular expression string", loc)
        if len(value) > _MAX_PATTERN:
            raise CheckSyntaxError(f"pattern longer than {_MAX_PATTERN} characters", loc)
        try:
            re.compile(value)
        except re.error as exc:
            raise CheckSyntaxError(f"invalid regular expression: {exc}", loc) from None
        problem = _slow_pattern(value)
        if problem:
            raise CheckSyntaxError(f"regular expression refused: {problem}", loc)
    return value


def _slow_pattern(pattern: str) -> str | None:
    """Why a pattern could take exponential time (nested repeats, backreferences), or None.

    Facts can carry server-controlled text, and Python's re cannot be interrupted: a pack must not
    be able to stall a scan with catastrophic backtracking.
    """
    try:
        import re._parser as sre_parse  # type: ignore[import-not-found]
    except ImportError:  # Python 3.10
        import sre_parse  # type: ignore[no-redef]

    def walk(items: Any, inside_repeat: bool) -> str | None:
        for op, arg in items:
            name = str(op)
            if name == "GROUPREF" or name == "GROUPREF_EXISTS":
                return "backreferences are not allowed"
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _lo, hi, sub = arg
                if inside_repeat and hi > 1:
                    return "a repeat inside a repeat (such as (a+)+) can take exponential time"
                found = walk(sub, inside_repeat or hi > 1)
            elif name == "SUBPATTERN":
                found = walk(arg[-1], inside_repeat)
            elif name == "BRANCH":
                found = next((w for w in (walk(b, inside_repeat) for b in arg[1]) if w), None)
            elif name in ("ASSERT", "ASSERT_NOT"):
                found = walk(arg[1], inside_repeat)
            else:
                found = None
            if found:
                return found
        return None

    return walk(sre_parse.parse(pattern), False)


def iter_facts(check: Check, prefix: str = "") -> list[tuple[str, str]]:
    """Every (fact path, operator) a check reads; element facts are written LIST[].FIELD."""
    out: list[tuple[str, str]] = []
    if isinstance(check, (All, Any_)):
        for part in check.parts:
            out += iter_facts(part, prefix)
    elif isinstance(check, Not):
        out += iter_facts(check.part, prefix)
    elif isinstance(check, Compare):
        out.append((_join(prefix, check.fact), check.op))
    elif isinstance(check, Quantify):
        path = _join(prefix, check.fact)
        out.append((path, check.op))
        out += iter_facts(check.part, path + "[]")
    return out


def iter_params(check: Check) -> list[str]:
    """Names of the parameters a check refers to."""
    if isinstance(check, (All, Any_)):
        return [p for part in check.parts for p in iter_params(part)]
    if isinstance(check, Not):
        return iter_params(check.part)
    if isinstance(check, Quantify):
        return iter_params(check.part)
    if isinstance(check, Compare) and isinstance(check.value, Param):
        return [check.value.name]
    return []


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if path == ".":
        return prefix
    return f"{prefix}.{path}"


@dataclass
class Outcome:
    """The result of evaluating a check: status, plain reasons, and evidence values."""

    status: Status
    reasons: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    # list fact → the elements that decided a quantifier (failed `every`, matched `none`, passed `some`)
    items: dict[str, list[Any]] = field(default_factory=dict)


MISSING = object()


class FactView:
    """Read access to one target's facts plus the probes' partial errors."""

    def __init__(self, facts: Mapping[str, Any], errors: Mapping[str, str] | None = None) -> None:
        self.facts = facts
        self.errors = dict(errors or {})

    def error_for(self, path: str) -> str | None:
        best: str | None = None
        for prefix in self.errors:
            covers = path == prefix or path.startswith(prefix + ".")
            if covers and (best is None or len(prefix) > len(best)):
                best = prefix
        return self.errors[best] if best is not None else None

    def get(self, path: str) -> Any:
        return lookup(self.facts, path)


def lookup(tree: Any, path: str) -> Any:
    """The value at a dotted path, or MISSING. Keys may contain '-' (header names)."""
    if path == ".":
        return tree
    node = tree
    for part in path.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return MISSING
    return node


def evaluate(check: Check, view: FactView, params: Mapping[str, Any]) -> Outcome:
    """Evaluate a compiled check against a target's facts."""
    return _Evaluator(view, params).run(check, view.facts, "")


def _label(element: Any, index: int) -> str:
    if isinstance(element, Mapping):
        for key in ("name", "id", "url", "page", "domain", "email", "host", "path"):
            value = element.get(key)
            if isinstance(value, (str, int)) and value != "":
                return str(value)
    elif isinstance(element, (str, int, float)):
        return str(element)
    return f"#{index + 1}"


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 120 else text[:117] + "..."


_OP_WORDS = {"equals": "=", "not_equals": "≠", "in": "in", "not_in": "not in", "contains": "contains",
             "not_contains": "does not contain", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤",
             "matches": "matches"}


class _Evaluator:
    def __init__(self, view: FactView, params: Mapping[str, Any]) -> None:
        self.view = view
        self.params = params

    def run(self, check: Check, scope: Any, prefix: str) -> Outcome:
        if isinstance(check, All):
            return self._combine([self.run(p, scope, prefix) for p in check.parts], "all")
        if isinstance(check, Any_):
            return self._combine([self.run(p, scope, prefix) for p in check.parts], "any")
        if isinstance(check, Not):
            inner = self.run(check.part, scope, prefix)
            if inner.status == "error":
                return inner
            flipped: Status = "fail" if inner.status == "pass" else "pass"
            reasons = [f"not ({'; '.join(inner.reasons)})"] if flipped == "fail" else []
            return Outcome(flipped, reasons, inner.evidence, inner.items)
        if isinstance(check, Compare):
            return self._compare(check, scope, prefix)
        if isinstance(check, Quantify):
            return self._quantify(check, scope, prefix)
        raise TypeError(f"unknown check {check!r}")

    @staticmethod
    def _combine(outcomes: list[Outcome], kind: str) -> Outcome:
        decisive: Status = "fail" if kind == "all" else "pass"
        for wanted in (decisive, "error"):
            hits = [o for o in outcomes if o.status == wanted]
            if hits:
                out = Outcome(wanted)
                for o in hits:
                    out.reasons += o.reasons
                    out.evidence.update(o.evidence)
                    out.items.update(o.items)
                return out
        out = Outcome("pass" if kind == "all" else "fail")
        for o in outcomes:
            out.reasons += o.reasons
            out.evidence.update(o.evidence)
            out.items.update(o.items)
        return out

    def _value(self, value: Any) -> Any:
        if isinstance(value, Param):
            if value.name not in self.params:
                raise KeyError(value.name)
            return self.params[value.name]
        return value

    def _read(self, path: str, scope: Any, prefix: str) -> tuple[Any, str | None]:
        full = _join(prefix, path)
        reason = self.view.error_for(full) if not prefix else None
        if reason is not None:
            return MISSING, reason
        value = lookup(scope, path)
        return value, None

    def _compare(self, check: Compare, scope: Any, prefix: str) -> Outcome:
        full = _join(prefix, check.fact)
        value, error = self._read(check.fact, scope, prefix)
        if error is not None:
            return Outcome("error", [f"{full}: {error}"])
        expected = self._value(check.value)
        if check.op == "exists":
            present = value is not MISSING and value is not None
            ok = present == expected
            return Outcome("pass" if ok else "fail",
                           [] if ok else [f"{full} is {'missing' if not present else 'present'}"],
                           {full: None if value is MISSING else value})
        if value is MISSING or value is None:
            # A list element may say why its facts are unknown (a folder that does not exist):
            # that reason, not "unknown", is what the reader needs.
            why = scope.get("error") if prefix and isinstance(scope, Mapping) else None
            if isinstance(why, str) and why:
                return Outcome("error", [why])
            return Outcome("error", [f"{full} {'was not reported' if value is MISSING else 'is unknown'}"])
        evidence = {full: value}
        try:
            ok = _apply(check.op, value, expected)
        except _Incomparable as exc:
            return Outcome("error", [f"{full}: {exc}"], evidence)
        if ok:
            return Outcome("pass", [], evidence)
        if check.op == "empty":
            reason = f"{full} is {'not ' if expected else ''}empty"
        else:
            reason = f"{full} is {_show(value)} (expected {_OP_WORDS[check.op]} {_show(expected)})"
        return Outcome("fail", [reason], evidence)

    def _quantify(self, check: Quantify, scope: Any, prefix: str) -> Outcome:
        full = _join(prefix, check.fact)
        items, error = self._read(check.fact, scope, prefix)
        if error is not None:
            return Outcome("error", [f"{full}: {error}"])
        if items is MISSING:
            return Outcome("error", [f"{full} was not reported"])
        if items is None:
            return Outcome("error", [f"{full} is unknown"])
        if not isinstance(items, list):
            return Outcome("error", [f"{full} is not a list"])
        results = [(i, item, self.run(check.part, item, full + "[]")) for i, item in enumerate(items)]
        passed = [(i, it, o) for i, it, o in results if o.status == "pass"]
        failed = [(i, it, o) for i, it, o in results if o.status == "fail"]
        errored = [(i, it, o) for i, it, o in results if o.status == "error"]

        def describe(group: list[tuple[int, Any, Outcome]], verb: str) -> list[str]:
            lines = []
            for i, it, o in group[:20]:
                detail = "; ".join(dict.fromkeys(r.replace(full + "[].", "") for r in o.reasons))
                label = _label(it, i)
                if detail.startswith(label + ":"):  # the element's own error already names it
                    lines.append(detail)
                else:
                    lines.append(f"{label}: {detail}" if detail else f"{label} {verb}")
            if len(group) > 20:
                lines.append(f"... and {len(group) - 20} more")
            return lines

        deciding = failed if check.op == "every" else passed
        labels = {full: [_label(it, i) for i, it, _ in deciding]}
        decided = {full: [it for _, it, _ in deciding]}
        if check.op == "every":
            if failed:
                return Outcome("fail", [f"{len(failed)} of {len(items)} in {full} do not qualify"]
                               + describe(failed, "does not qualify"), labels, decided)
            if errored:
                return Outcome("error", describe(errored, "could not be checked"))
            return Outcome("pass")
        if check.op == "some":
            if passed:
                return Outcome("pass", [], labels, decided)
            if errored:
                return Outcome("error", describe(errored, "could not be checked"))
            return Outcome("fail", [f"none of the {len(items)} in {full} qualifies"])
        # none
        if passed:
            return Outcome("fail", [f"{len(passed)} of {len(items)} in {full} should not match"]
                           + describe(passed, "matches"), labels, decided)
        if errored:
            return Outcome("error", describe(errored, "could not be checked"))
        return Outcome("pass")


class _Incomparable(Exception):
    pass


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Incomparable(f"{_show(value)} is not a number")
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _same_kind(value: Any, expected: Any) -> None:
    # A check comparing text with a number is a mistake in the pack; it must not quietly pass.
    if _kind(value) != _kind(expected):
        raise _Incomparable(f"{_show(value)} ({_kind(value)}) cannot be compared with {_show(expected)} "
                            f"({_kind(expected)})")


def _apply(op: str, value: Any, expected: Any) -> bool:
    if op in ("equals", "not_equals"):
        _same_kind(value, expected)
        return (value == expected) == (op == "equals")
    if op in ("in", "not_in"):
        if expected and not any(_kind(e) == _kind(value) for e in expected):
            raise _Incomparable(f"{_show(value)} ({_kind(value)}) cannot be compared with the list "
                                f"{_show(expected)}")
        found = any(_kind(e) == _kind(value) and e == value for e in expected)
        return found == (op == "in")
    if op in ("contains", "not_contains"):
        if isinstance(value, str):
            _same_kind(value, expected)
            found = expected in value
        elif isinstance(value, list):
            if value and not any(_kind(v) == _kind(expected) for v in value):
                raise _Incomparable(f"{_show(value)} holds no {_kind(expected)} to compare with "
                                    f"{_show(expected)}")
            found = any(_kind(v) == _kind(expected) and v == expected for v in value)
        elif isinstance(value, Mapping):
            if not isinstance(expected, str):
                raise _Incomparable(f"an object's keys are text, not {_show(expected)}")
            found = expected in value
        else:
            raise _Incomparable(f"{_show(value)} is neither text nor a list")
        return found == (op == "contains")
    if op in ("gt", "gte", "lt", "lte"):
        a, b = _number(value), _number(expected)
        return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]
    if op == "matches":
        if not isinstance(value, str):
            raise _Incomparable(f"{_show(value)} is not text")
        return re.search(expected, value[:_MAX_MATCH_INPUT]) is not None
    if op == "empty":
        if not isinstance(value, (list, str, Mapping)):
            raise _Incomparable(f"{_show(value)} is not a list, text or object")
        return (len(value) == 0) == expected
    raise _Incomparable(f"unknown operator {op}")
