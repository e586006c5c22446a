"""Validation problems in our words: pydantic's error records become plain sentences.

The field names a sentence may suggest ("did you mean pages?") come from the models themselves, so
a field added to a model is suggested without a list kept anywhere else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

if TYPE_CHECKING:
    from pydantic import BaseModel


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate closest to `word` (case-insensitive), for "did you mean …?"."""
    words = list(dict.fromkeys(str(c) for c in candidates))
    lowered = {w.lower(): w for w in words}
    found = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean X?)' when a candidate is close to `word`, else ''."""
    near = closest(word, candidates)
    return f" (did you mean {near}?)" if near is not None and near != word else ""


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def describe(value: Any) -> str:
    """What a wrong value is, in plain words: 'yes please' quoted, 'a list', 'true', '7'."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = str(value) if not isinstance(value, int) or value.bit_length() < 200 else "a very large number"
        return text
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return f"a {type(value).__name__}"


def _as_written(value: Any) -> str:
    # a date written 31/01/2027 reads better unquoted: it is what the user typed
    plain = isinstance(value, str) and len(value) <= 40 and value.strip() == value and value.isprintable()
    return value if plain else describe(value)


def dotted(loc: Sequence[Any]) -> str:
    """A place in a document as people write it: targets.websites[0].url (odd keys quoted)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            text = text if text.isprintable() and len(text) <= 60 else shown(text)
            out += ("." if out else "") + text
    return out


def _choices(ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    found = re.findall(r"'([^']*)'", expected)
    return ", ".join(found) if found else expected


_TYPES = {
    "bool": "true or false", "int": "a whole number", "float": "a number", "string": "text",
    "list": "a list", "tuple": "a list", "set": "a list", "dict": "a mapping (key: value)",
    "model": "a mapping (key: value)",
    "dataclass": "a mapping (key: value)", "url": "a URL",
}


_LONG_QUOTE = re.compile(r"'[^']{60,}'|\"[^\"]{60,}\"")


def _cut_quote(match: re.Match[str]) -> str:
    text = match.group()
    return text[:57] + "…" + text[-1]


def _wanted(kind: str) -> str | None:
    for suffix in ("_attributes_type", "_type", "_parsing", "_from_float"):
        if kind.endswith(suffix):
            return _TYPES.get(kind[: -len(suffix)])
    return None


def problem(err: dict[str, Any], where: str) -> str:
    """One pydantic error record as a sentence; `where` is the dotted place (targets.websites[0].url)."""
    kind = str(err.get("type", ""))
    value = err.get("input")
    ctx = err.get("ctx") or {}
    prefix = f"{where}: " if where else ""
    if kind == "missing":
        return f"{where}: required key is missing"
    if kind == "literal_error" or kind == "enum":
        return f"{where or 'the value'} must be one of {_choices(ctx)}, got {describe(value)}"
    if kind.startswith(("date", "datetime")):
        return f"{prefix}expected a date as YYYY-MM-DD, got {_as_written(value)}"
    wanted = _wanted(kind)
    if wanted is not None:
        return f"{prefix}expected {wanted}, got {describe(value)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        return f"{prefix}must be {words} {bound}, got {describe(value)}"
    if kind == "string_too_short":
        return f"{prefix}must not be empty" if ctx.get("min_length") == 1 else \
            f"{prefix}must be at least {ctx.get('min_length')} characters long"
    if kind == "string_too_long":
        return f"{prefix}must be at most {ctx.get('max_length')} characters long"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"{prefix}needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return f"{prefix}may hold at most {ctx.get('max_length')} items"
    if kind == "string_pattern_mismatch":
        return f"{prefix}{describe(value)} does not have the expected form ({ctx.get('pattern')})"
    msg = str(err.get("msg", "invalid value"))
    for lead in ("Value error, ", "Assertion failed, "):
        if msg.startswith(lead):
            # a validator quotes the value it refused: keep that quote short, whatever was written
            return f"{prefix}{_LONG_QUOTE.sub(_cut_quote, msg[len(lead):])}"
    if msg.startswith("Input should be "):
        # any other check pydantic makes, in the same shape as the ones above
        return f"{prefix}expected {msg[len('Input should be '):].rstrip('.')}, got {describe(value)}"
    return f"{prefix}{msg}"


def _unwrap(annotation: Any) -> Any:
    """The model, list or dict inside Optional[...] and Annotated[...]."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            inner = [a for a in get_args(annotation) if a is not type(None)]
            if len(inner) != 1:
                return annotation
            annotation = inner[0]
        else:
            return annotation


def model_at(model: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model that validates the mapping at `loc` inside `model`, if the path leads to one."""
    from pydantic import (
        BaseModel,  # here: messages are imported by every command, pydantic is not needed by all
    )

    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            current = field.annotation
        elif origin in (list, tuple, Sequence) and isinstance(part, int):
            current = get_args(current)[0] if get_args(current) else Any
        elif origin is dict:
            current = get_args(current)[1] if len(get_args(current)) == 2 else Any
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def field_names(model: type[BaseModel] | None) -> list[str]:
    """The keys a mapping validated by `model` may hold (aliases too)."""
    if model is None:
        return []
    out: list[str] = []
    for name, info in model.model_fields.items():
        out.append(info.alias or name)
    return out
