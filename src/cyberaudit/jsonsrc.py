"""Bounded JSON reading for files the user names (Results, tracker lists), with line numbers for errors.

The standard parser recurses once per nesting level and converts integers of any length, so a
hostile file ends in RecursionError or a slow conversion; here both are one InputError at the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cyberaudit.errors import InputError

MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 40
LOCATE_LIMIT = 16 * 1024 * 1024  # find lines for error messages only in files up to this size


class _HugeNumber(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def bounded_int(text: str) -> int:
    """json's parse_int, refusing numbers longer than MAX_INT_DIGITS (their conversion is slow)."""
    if len(text) > MAX_INT_DIGITS:
        raise _HugeNumber(text)
    return int(text)


def _line_col(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def too_deep(data: Any, limit: int) -> bool:
    """The parsed value nests containers more than `limit` levels deep."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def load_json(text: str, path: str | Path, what: str) -> Any:
    """Parse JSON text with bounded depth and number size; every problem is an InputError naming `what`."""
    try:
        data = json.loads(text, parse_int=bounded_int)
    except _HugeNumber as exc:
        at = text.find(exc.text)
        line, col = _line_col(text, at) if at >= 0 else (None, None)
        raise InputError(f"{what}: a number of {len(exc.text):,} digits; no value needs more than "
                         f"{MAX_INT_DIGITS}", path, line, col) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: not valid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    except RecursionError:
        raise InputError(f"{what}: values nest more than {MAX_JSON_DEPTH} levels deep", path) from None
    except ValueError as exc:  # e.g. a float the parser cannot represent
        raise InputError(f"{what}: not valid JSON: {exc}", path) from None
    if too_deep(data, MAX_JSON_DEPTH):
        raise InputError(f"{what}: values nest more than {MAX_JSON_DEPTH} levels deep", path)
    return data


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


def json_position(text: str, loc: Sequence[str | int]) -> tuple[int, int] | None:
    """Line and column of the value at `loc` (keys and list indexes), or of its deepest existing parent."""
    return json_positions(text, [tuple(loc)]).get(tuple(loc))


def json_positions(text: str, locs: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[int, int]]:
    """json_position for several places in one pass over the text (errors list up to 20)."""
    if len(text) > LOCATE_LIMIT:
        return {}
    best: dict[tuple[Any, ...], tuple[int, tuple[int, int]]] = {}
    todo = set(locs)
    path: list[Any] = []
    kinds: list[str] = []
    state = "value"
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if state == "value" or (state == "value_or_end" and tok != "]"):
            here = tuple(path)
            for target in list(todo):
                if here == target[:len(here)] and len(here) > best.get(target, (-1, (0, 0)))[0]:
                    best[target] = (len(here), _line_col(text, m.start()))
                    if here == target:
                        todo.discard(target)
            if not todo:
                break
            if tok == "{":
                kinds.append("o")
                path.append(None)
                state = "key_or_end"
            elif tok == "[":
                kinds.append("a")
                path.append(0)
                state = "value_or_end"
            else:
                state = "comma_or_end"
            continue
        if state == "key_or_end" and tok.startswith('"'):
            try:
                path[-1] = json.loads(tok)
            except ValueError:
                break
            state = "colon"
        elif state == "colon" and tok == ":":
            state = "value"
        elif state == "comma_or_end" and tok == ",":
            if kinds and kinds[-1] == "a":
                path[-1] += 1
                state = "value"
            else:
                state = "key_or_end"
        elif tok in ("}", "]") and kinds:
            kinds.pop()
            path.pop()
            state = "comma_or_end"
        else:
            break  # not JSON after all: what was found so far
    return {target: pos for target, (_, pos) in best.items()}
