"""Shared helpers for pydantic models loaded from YAML: strict keys and file:line:col errors."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from cyberaudit.errors import InputError, raise_all
from cyberaudit.messages import closest, did_you_mean, dotted, field_names, model_at, problem, shown
from cyberaudit.yamlsrc import YamlDocument

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """A model that rejects unknown keys, so a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validate_document(model: type[M], doc: YamlDocument, base: tuple[Any, ...] = ()) -> M:
    """Validate YAML data against a model; every problem becomes an InputError at its line."""
    data = doc.data if not base else _at(doc.data, base)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise_all(validation_errors(exc, doc, model, base))
        raise InputError("invalid document", doc.path) from None


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


def validation_errors(exc: ValidationError, doc: YamlDocument, model: type[BaseModel] | None = None,
                      base: tuple[Any, ...] = ()) -> list[InputError]:
    """Every problem pydantic found, in our words, each at its line (a typo and its missing key once)."""
    records = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # pydantic adds the union member or validator name to loc for some errors; keep real keys only
        records.append((err, _real_loc(doc.data, (*base, *loc))))
    explained: set[tuple[Any, ...]] = set()
    out: list[InputError] = []
    for err, loc in records:
        if err["type"] != "extra_forbidden" or not loc:
            continue
        known = field_names(model_at(model, loc[:-1][len(base):])) if model is not None else []
        near = closest(str(loc[-1]), known)
        if near is not None:
            # `remedation:` is one mistake: the stray key, not also "remediation is missing"
            explained.add((*loc[:-1], near))
        out.append(doc.error(loc, f"unknown key {shown(loc[-1])} in {dotted(loc[:-1]) or 'the top level'}"
                                  f"{did_you_mean(str(loc[-1]), known)}", key=True))
    for err, loc in records:
        if err["type"] == "extra_forbidden" and loc:
            continue
        if err["type"] == "missing":
            if loc in explained:
                continue
            out.append(doc.error(loc[:-1], problem(err, dotted(loc))))
            continue
        out.append(doc.error(loc, problem(err, dotted(loc) or "document")))
    return out


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
