"""Safe YAML loading that remembers where every value came from (for file:line:col errors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cyberaudit.errors import InputError
from cyberaudit.userfiles import read_user_bytes

Loc = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A loaded YAML document and the 1-based line/column of each value by its path."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of the value at `loc`, or of its nearest known ancestor."""
        loc = tuple(loc)
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while True:
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (None, None)
            loc = loc[:-1]

    def error(self, loc: Loc, message: str, key: bool = False) -> InputError:
        line, col = self.where(loc, key=key)
        return InputError(message, self.path, line, col)


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"}


# libyaml's parser when PyYAML was built with it: the same nodes and marks, about ten times faster
# than the pure-Python scanner on the built-in packs and data files.
_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """SafeLoader: no Python tags, so loading a file never runs code."""


def _construct(doc: YamlDocument, node: yaml.Node, loc: Loc, loader: _Loader, seen: set[int]) -> Any:
    if id(node) in seen:
        # An alias (*name, or a << merge) reuses a node: refusing them keeps a hostile file from
        # expanding exponentially ("billion laughs") or referring to itself.
        raise InputError("YAML anchors and aliases (&name, *name, <<) are not supported: write the value out",
                         doc.path, node.start_mark.line + 1, node.start_mark.column + 1)
    seen.add(id(node))
    doc.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise InputError(f"unsupported YAML tag {node.tag!r}: profiles and packs are plain data", doc.path,
                         node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, bool, float, dt.date)) or key is None:
                raise InputError("mapping keys must be plain scalars", doc.path,
                                 key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if isinstance(key, (dt.date, bool, float)):
                key = str(key_node.value)
            if key in out:
                raise InputError(f"duplicate key '{key}'", doc.path,
                                 key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            doc.key_positions[(*loc, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _construct(doc, value_node, (*loc, key), loader, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(doc, item, (*loc, i), loader, seen) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError) as exc:
        # an impossible date such as 2027-02-30, or an unknown tag such as !!python/object
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"invalid value {node.value!r}: {problem}", doc.path,
                         node.start_mark.line + 1, node.start_mark.column + 1) from None


def load_yaml(path: str | Path, text: str | None = None) -> YamlDocument:
    """Parse one YAML file safely; syntax errors become InputError with file:line:col."""
    path_str = str(path)
    if text is None:
        raw = read_user_bytes(path, "file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc.reason})", path_str) from None
    doc = YamlDocument(path=path_str, data=None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            doc.data = _construct(doc, node, (), loader, set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"YAML syntax error: {problem}", path_str,
                         mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", path_str) from None
    finally:
        loader.dispose()
    return doc
