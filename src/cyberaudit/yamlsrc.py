"""Safe YAML loading that remembers where every value came from (for file:line:col errors)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cyberaudit.errors import InputError
from cyberaudit.messages import shown
from cyberaudit.userfiles import MAX_YAML_BYTES, read_user_bytes

Loc = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A loaded YAML document and the 1-based line/column of each value by its path."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    sha256: str = ""  # of the bytes read, so a digest never needs a second read of the file

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


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
MAX_DEPTH = 50  # the built-in packs nest 13 levels deep at most
MAX_KEYS = 1_000  # keys in one mapping: no section of a profile or pack comes near
MAX_NODES = 200_000  # values in one file: the platform catalogue has 2,500; a profile of 20,000 websites, 100,000
MAX_NUMBER_CHARS = 40
# What YAML 1.1 allows in a stream (PyYAML's own check, which would raise before any handling)
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "escape",
                  0x7F: "DEL"}


class _Loader(yaml.SafeLoader):
    """SafeLoader that bounds nesting and size while composing, before any value is built."""

    def __init__(self, stream: str, path: str) -> None:
        super().__init__(stream)
        self._path = path
        self._depth = 0
        self._nodes = 0

    def _fail(self, message: str, mark: Any) -> InputError:
        return InputError(message, self._path, mark.line + 1 if mark else None, mark.column + 1 if mark else None)

    def compose_node(self, parent: Any, index: Any) -> Any:
        # PyYAML composes recursively: without this bound, 1,000 nested [ or not: end in RecursionError
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH:
                raise self._fail(f"values nest more than {MAX_DEPTH} levels deep: profiles and packs are "
                                 f"shallow; is this the right file?", self.peek_event().start_mark)
            if self._nodes > MAX_NODES:
                raise self._fail(f"more than {MAX_NODES:,} values in one file: profiles and packs are "
                                 f"small; is this the right file?", self.peek_event().start_mark)
            if index is None and isinstance(parent, yaml.MappingNode) and len(parent.value) >= MAX_KEYS:
                # checked as each key is read, so a file of 100,000 keys stops at the limit
                raise self._fail(f"a mapping with more than {MAX_KEYS:,} keys: profiles and packs are small; "
                                 f"is this the right file?", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _check_printable(text: str, path: str) -> None:
    bad = _NOT_PRINTABLE.search(text)
    if bad is None:
        return
    code = ord(bad.group())
    line = text.count("\n", 0, bad.start()) + 1
    col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    if code < 0x20 or code == 0x7F:
        kind = f"control character U+{code:04X}" + (f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else "")
    elif 0x80 <= code <= 0x9F:
        kind = f"control character U+{code:04X}"
    else:
        kind = f"character U+{code:04X}"
    raise InputError(f"{kind} is not allowed in a YAML file: remove it (or write it as an escape such as "
                     f"\"\\x{code:02x}\" inside double quotes)", path, line, col)


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(doc: YamlDocument, node: yaml.Node, loader: _Loader) -> Any:
    """One scalar, built only from the plain YAML types; anything else is an InputError at its line."""
    line, col = _where(node)
    if not isinstance(node, yaml.ScalarNode):
        raise InputError("mapping keys must be plain scalars", doc.path, line, col)
    if node.tag not in _SCALAR_TAGS:
        raise InputError(f"unsupported YAML tag {shown(node.tag)}: profiles and packs are plain data",
                         doc.path, line, col)
    if node.tag.endswith((":int", ":float")) and len(node.value) > MAX_NUMBER_CHARS:
        raise InputError(f"a number of {len(node.value):,} characters ({shown(node.value, 24)}): "
                         f"no setting needs more than {MAX_NUMBER_CHARS}", doc.path, line, col)
    try:
        return loader.construct_object(node, deep=True)
    except Exception as exc:  # noqa: BLE001 - each constructor fails its own way (ValueError, KeyError, ...)
        # an impossible date such as 2027-02-30, or an explicit tag on a value it cannot read
        problem = getattr(exc, "problem", None) or (str(exc) if isinstance(exc, ValueError) else "")
        kind = node.tag.rsplit(":", 1)[-1]
        reason = problem or f"the !!{kind} tag does not fit this value"
        raise InputError(f"invalid value {shown(node.value)}: {reason}", doc.path, line, col) from None


class _ShippedLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser, for the files shipped with cyberaudit (rule packs, tracker database, platform
    catalogue): the same nodes and marks, about ten times faster than the pure-Python composer, which
    is kept for files a user names because it is the one that can bound their nesting."""

    def __init__(self, stream: str, path: str) -> None:
        super().__init__(stream)


def _shipped(path: str | Path) -> bool:
    from cyberaudit.resources import builtin_rules_dir, data_dir

    try:
        where = Path(path).resolve()
        return any(where.is_relative_to(d.resolve()) for d in (builtin_rules_dir(), data_dir()))
    except (OSError, ValueError, FileNotFoundError):
        return False


def _construct(doc: YamlDocument, node: yaml.Node, loc: Loc, loader: _Loader, seen: set[int]) -> Any:
    if id(node) in seen:
        # An alias (*name, or a << merge) reuses a node: refusing them keeps a hostile file from
        # expanding exponentially ("billion laughs") or referring to itself.
        raise InputError("YAML anchors and aliases (&name, *name, <<) are not supported: write the value out",
                         doc.path, *_where(node))
    seen.add(id(node))
    doc.positions[loc] = _where(node)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise InputError(f"unsupported YAML tag {shown(node.tag)}: profiles and packs are plain data", doc.path,
                         *_where(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError("YAML anchors and aliases (&name, *name, <<) are not supported: write the "
                                 "keys out", doc.path, *_where(key_node))
            key = _scalar(doc, key_node, loader)
            if key is None:
                raise InputError("mapping keys must be plain scalars", doc.path, *_where(key_node))
            if isinstance(key, (dt.date, bool, float)):
                key = str(key_node.value)
            if key in out:
                raise InputError(f"duplicate key {shown(key)}", doc.path, *_where(key_node))
            doc.key_positions[(*loc, key)] = _where(key_node)
            out[key] = _construct(doc, value_node, (*loc, key), loader, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(doc, item, (*loc, i), loader, seen) for i, item in enumerate(node.value)]
    return _scalar(doc, node, loader)


def load_yaml(path: str | Path, text: str | None = None) -> YamlDocument:
    """Parse one YAML file safely; syntax errors become InputError with file:line:col."""
    path_str = str(path)
    raw = b""
    if text is None:
        raw = read_user_bytes(path, "file", MAX_YAML_BYTES)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise InputError(f"not UTF-8 text ({exc.reason})", path_str, line) from None
    elif len(text) > MAX_YAML_BYTES:
        raise InputError(f"larger than the {MAX_YAML_BYTES // (1024 * 1024)} MB limit for a YAML file", path_str)
    _check_printable(text, path_str)
    doc = YamlDocument(path=path_str, data=None,
                       sha256=hashlib.sha256(raw or text.encode("utf-8", "surrogatepass")).hexdigest())
    loader = (_ShippedLoader if _shipped(path) else _Loader)(text, path_str)
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
        raise InputError(f"YAML error: {str(exc).splitlines()[0] if str(exc) else 'invalid YAML'}", path_str) from None
    finally:
        loader.dispose()
    return doc
