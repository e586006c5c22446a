"""Shared helpers for pydantic models loaded from YAML: strict keys and file:line:col errors."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from cyberaudit.errors import InputError
from cyberaudit.yamlsrc import YamlDocument

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """A model that rejects unknown keys, so a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def validate_document(model: type[M], doc: YamlDocument, base: tuple[Any, ...] = ()) -> M:
    """Validate YAML data against a model; the first problem becomes an InputError at its line."""
    data = doc.data if not base else _at(doc.data, base)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, doc, base) from None


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


def validation_error(exc: ValidationError, doc: YamlDocument, base: tuple[Any, ...] = ()) -> InputError:
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    # pydantic adds the union member or validator name to loc for some errors; keep real keys only
    loc = _real_loc(doc.data, (*base, *loc))
    kind = err["type"]
    if kind == "extra_forbidden":
        return doc.error(loc, f"unknown key '{loc[-1]}' in {dotted(loc[:-1]) or 'the top level'}", key=True)
    if kind == "missing":
        return doc.error(loc[:-1], f"{dotted(loc)}: required key is missing")
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return doc.error(loc, f"{dotted(loc) or 'document'}: {msg}")


def _real_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the parts pydantic adds to a location (union members, validator names)."""
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.isidentifier() and not _is_tag(part):
            out.append(part)  # a missing or unknown key: the last element
            break
    return tuple(out)


def _is_tag(part: str) -> bool:
    return part in {"str", "int", "float", "bool", "date", "list", "dict", "none", "literal"} or "[" in part
