"""Plain-words messages and evidence sentences from the templates that rules declare.

A template is text with `{fact.path}` placeholders (inside `each:`, `{field}` of the list element,
`{.}` for the element itself; `{param.NAME}` for a rule parameter), optionally with one filter: `{path|count}`, `{path|date}`,
`{path|list}`, `{path|yesno}`. Nothing but fact values can be reached: no attribute access, no indexing, no calls,
so a pack from a stranger can format facts and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cyberaudit.conditions import MISSING, Check, FactView, Outcome, evaluate, lookup

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}|]*)(?:\|([^{}]*))?\}|[{}]")
_PATH = re.compile(r"^(\.|[a-z0-9_][a-z0-9_-]*(\.[a-z0-9_][a-z0-9_-]*)*)$")
FILTERS = ("count", "date", "list", "yesno")
MAX_VALUE = 600  # a value longer than this is cut: the whole value is in the technical appendix
MAX_ITEMS = 200  # sentences kept per finding; reports show the first few


class TemplateSyntaxError(ValueError):
    """A template that cannot be used: unbalanced braces, a bad path or an unknown filter."""


@dataclass(frozen=True)
class Template:
    """A parsed template: literal text and (path, filter) placeholders, in order."""

    source: str
    parts: tuple[str | tuple[str, str | None], ...]

    def paths(self) -> list[str]:
        return [p[0] for p in self.parts if isinstance(p, tuple)]


def parse_template(text: str) -> Template:
    """Parse a template or raise TemplateSyntaxError with a plain reason."""
    parts: list[str | tuple[str, str | None]] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        pos = m.end()
        token = m.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
            continue
        if token in ("{", "}"):
            raise TemplateSyntaxError(f"unbalanced '{token}' at character {m.start() + 1} "
                                      "(write {{ or }} for a literal brace)")
        path, flt = m.group(1).strip(), m.group(2)
        if not _PATH.match(path):
            raise TemplateSyntaxError(f"'{{{m.group(1)}}}' is not a fact path such as "
                                      "{tls.cert.days_remaining}, {name} or {.}")
        if flt is not None:
            flt = flt.strip()
            if flt not in FILTERS:
                raise TemplateSyntaxError(f"unknown filter '{flt}' in '{token}' (filters: {', '.join(FILTERS)})")
        parts.append((path, flt))
    if pos < len(text):
        parts.append(text[pos:])
    return Template(text, tuple(parts))


class _Skip(Exception):
    """A placeholder has no value: the sentence is left out rather than saying 'unknown'."""


def _scalar(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (int, str)):
        text = " ".join(str(value).split())
        return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"
    raise _Skip  # objects and nested lists are never shown as Python or JSON text


def _date(value: Any) -> str:
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return _scalar(value)
    return f"{when.day} {when:%B %Y}"


def _show(value: Any, flt: str | None) -> str:
    if value is MISSING or value is None:
        raise _Skip
    if flt == "count":
        if isinstance(value, (list, tuple, Mapping, str)):
            return str(len(value))
        raise _Skip
    if flt == "date":
        return _date(value)
    if flt == "yesno" or isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        if not value:
            raise _Skip
        return ", ".join(_scalar(v) for v in value)
    return _scalar(value)


def render_template(template: Template, scope: Any, params: Mapping[str, Any] | None = None) -> str | None:
    """The sentence with every placeholder filled from `scope`, or None if one has no value."""
    out: list[str] = []
    try:
        for part in template.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0].startswith("param."):
                out.append(_show((params or {}).get(part[0][6:], MISSING), part[1]))
            else:
                out.append(_show(lookup(scope, part[0]), part[1]))
    except _Skip:
        return None
    return "".join(out).strip()


@dataclass(frozen=True)
class MessageBranch:
    """A failure message for one way the rule can fail: the first branch whose `when` holds wins."""

    when: Check | None
    message: Template
    see: str | None  # a rule whose subject is missing: this rule fails only because of it


@dataclass(frozen=True)
class EvidenceTemplate:
    """One evidence sentence, or with `each` one per element of a list fact."""

    text: Template
    when: Check | None
    each: str | None
    where: Check | None


def choose_message(branches: tuple[MessageBranch, ...], view: FactView, params: Mapping[str, Any]) -> str | None:
    """The message of the first branch that holds on these facts, or None."""
    for branch in branches:
        if branch.when is not None and evaluate(branch.when, view, params).status != "pass":
            continue
        text = render_template(branch.message, view.facts, params)
        if text is None:
            continue
        if branch.see:
            text = f"{text.rstrip('. ')} — see {branch.see}."
        return text
    return None


def evidence_sentences(templates: tuple[EvidenceTemplate, ...], view: FactView, params: Mapping[str, Any],
                       outcome: Outcome) -> tuple[str, ...]:
    """Plain sentences for a finding, in the order the rule declares them, duplicates dropped."""
    out: list[str] = []
    for tpl in templates:
        if tpl.when is not None and evaluate(tpl.when, view, params).status != "pass":
            continue
        if tpl.each is None:
            text = render_template(tpl.text, view.facts, params)
            if text:
                out.append(text)
            continue
        for element in _elements(tpl, view, params, outcome):
            text = render_template(tpl.text, element, params)
            if text:
                out.append(text)
    return tuple(dict.fromkeys(out))[:MAX_ITEMS]


def _elements(tpl: EvidenceTemplate, view: FactView, params: Mapping[str, Any], outcome: Outcome) -> list[Any]:
    assert tpl.each is not None
    if view.error_for(tpl.each) is not None:
        return []
    items = view.get(tpl.each)
    if not isinstance(items, list):
        return []
    if tpl.where is not None:
        return [it for it in items if evaluate(tpl.where, FactView(it), params).status == "pass"]
    # By default: the elements that decided the check (those that failed `every`, matched `none`).
    decided = outcome.items.get(tpl.each)
    return list(decided) if decided is not None else items
