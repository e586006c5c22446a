"""Form fields whose name, label, options or question suggest health, identity or contact data.

The terms are data (`cyberaudit/data/formterms.yaml`), so the list can be kept up to date without
touching the code; this module only reads a field's texts the way that file describes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from cyberaudit.lazy import once
from cyberaudit.resources import data_dir
from cyberaudit.yamlsrc import load_yaml

Sensitivity = Literal["health", "identity", "contact"]
_KINDS: tuple[Sensitivity, ...] = ("health", "identity", "contact")

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_LETTERS = re.compile(r"[^a-z0-9']+")
# a question, a radio's or a select's options say what is asked of these kinds of input only
_CHOICE_TYPES = {"select", "radio", "checkbox"}
_FREE_TEXT = {"textarea", "text", ""}


@dataclass(frozen=True)
class SensitiveField:
    name: str
    label: str | None
    kind: Sensitivity


@dataclass(frozen=True)
class _Terms:
    patterns: dict[str, re.Pattern[str]]


def _compile(section: Any, where: str) -> re.Pattern[str]:
    if not isinstance(section, dict):
        raise ValueError(f"formterms.yaml: {where} must have stems and words")
    stems = [str(t).strip().lower() for t in section.get("stems", []) if str(t).strip()]
    words = [str(t).strip().lower() for t in section.get("words", []) if str(t).strip()]
    parts = [rf"\b{re.escape(t)}" for t in sorted(stems, key=len, reverse=True)]
    parts += [rf"\b{re.escape(t)}\b" for t in sorted(words, key=len, reverse=True)]
    return re.compile("|".join(parts) or r"(?!)")


@once
def _terms() -> _Terms:
    data = load_yaml(data_dir() / "formterms.yaml").data
    return _Terms({key: _compile(data.get(key), key) for key in (*_KINDS, "not_health")})


def _normal(*texts: str | None) -> str:
    joined = " ".join(_CAMEL.sub(" ", t) for t in texts if t)
    joined = joined.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    return " " + _NOT_LETTERS.sub(" ", joined.lower()).strip() + " "


def field_kind(name: str, label: str | None, input_type: str, options: tuple[str, ...] = (),
               context: str | None = None) -> Sensitivity | None:
    """The most sensitive kind a field's texts suggest, or None.

    `options` (a select's option texts) and `context` (the question written before the field) can
    only make a choice or free-text field a health question; they never name identity or contact data.
    """
    terms = _terms().patterns
    own = _normal(name, label, input_type)
    kind_type = input_type.lower()
    if kind_type in ("email", "tel"):
        own += " email "
    if not terms["not_health"].search(own):
        health_text = own
        if kind_type in _CHOICE_TYPES:
            health_text += _normal(*options[:60]) + _normal(context)
        elif kind_type in _FREE_TEXT and (kind_type == "textarea" or not label):
            health_text += _normal(context)
        if terms["health"].search(health_text):
            return "health"
    for kind in ("identity", "contact"):
        if terms[kind].search(own):
            return kind  # type: ignore[return-value]
    return None
