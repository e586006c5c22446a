"""Hypothesis strategies for hostile input files, shared by the fuzz tests and benchmarks/fuzz_inputs.py.

Each strategy mixes three kinds of input: a valid file with values swapped for random ones (wrong
types, odd text, deep nesting), a valid file's text cut, spliced and sprinkled with control
characters, and plain random text.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import strategies as st

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10 ** 6), max_value=10 ** 6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["yes please", "31/01/2027", "2027-02-30", "severe", "https://x.example/", "-1", "",
                     "*", "../../etc/passwd", "\u202e", "0" * 60]),
)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
NASTY_TEXT = st.sampled_from([
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9b", "\ufeff", "\ud800", "&a ", "*a", "<<: ", "!!python/name:os.system ",
    "!!timestamp ", "!!binary ", "!!set ", "!mine ", "? ", "[" * 80, "{" * 80, "- " * 60, "'", '"', "\t", "#",
    "9" * 5000, "%YAML 1.1\n", "---\n", "...\n", ": ", "|\n", ">\n",
])


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


@st.composite
def mutated(draw: st.DrawFn, base: Any, keys: list[str]) -> Any:
    """`base` (a deep copy) with 1-3 values replaced, keys renamed or added."""
    data = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "rename", "add", "nest"]))
        node = data
        for part in path:
            node = node[part]
        if action == "replace":
            data = _set(data, path, draw(JSON_VALUES))
        elif action == "rename" and path and isinstance(path[-1], str):
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            new_key = draw(st.one_of(st.sampled_from(keys), st.text(min_size=1, max_size=10)))
            parent[new_key] = parent.pop(path[-1])
        elif action == "add" and isinstance(node, dict):
            node[draw(st.one_of(st.sampled_from(keys), st.text(min_size=1, max_size=10)))] = draw(JSON_VALUES)
        elif action == "nest":
            depth = draw(st.sampled_from([5, 40, 70, 200]))
            value: Any = draw(SCALARS)
            for _ in range(depth):
                value = {"not": value} if draw(st.booleans()) else [value]
            data = _set(data, path, value)
    return data


@st.composite
def text_mutations(draw: st.DrawFn, text: str) -> str:
    """`text` cut, spliced or sprinkled with nasty fragments."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "duplicate", "truncate"]))
        if action == "insert":
            text = text[:at] + draw(st.one_of(NASTY_TEXT, st.text(max_size=6))) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif action == "duplicate":
            text = text[:at] + text[at:at + 60] * draw(st.integers(2, 30)) + text[at:]
        else:
            text = text[:at]
    return text


def yaml_inputs(base: dict[str, Any], keys: list[str]) -> st.SearchStrategy[str]:
    """YAML text for a loader whose valid example is `base`."""
    base_text = yaml.safe_dump(base, sort_keys=False, allow_unicode=True)
    structured = mutated(base, keys).map(lambda d: yaml.safe_dump(d, sort_keys=False, allow_unicode=True))
    return st.one_of(structured, structured.flatmap(text_mutations), text_mutations(base_text),
                     st.text(max_size=200))


def json_inputs(base: dict[str, Any], keys: list[str]) -> st.SearchStrategy[str]:
    """JSON text for a reader whose valid example is `base`."""
    base_text = json.dumps(base, indent=1)
    structured = mutated(base, keys).map(lambda d: json.dumps(d, indent=1))
    return st.one_of(structured, structured, text_mutations(base_text), st.text(max_size=200),
                     st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
                     st.integers(1, 6000).map(lambda n: '{"schema_version": "1.0", "x": ' + "9" * n + "}"))


FREE_FORM = ("evidence", "facts", "timings", "options", "params")  # dict[str, Any] fields of a Result


@st.composite
def same_type_mutated(draw: st.DrawFn, base: Any) -> Any:
    """`base` with 1-6 values replaced by random values of the same JSON type, and random data in its
    free-form mappings: documents that pass the schema, to reach the renderers."""
    data = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(_paths(data)))
        node = data
        for part in path:
            node = node[part]
        if isinstance(node, bool):
            value: Any = draw(st.booleans())
        elif isinstance(node, int):
            value = draw(st.integers(-(10 ** 9), 10 ** 9))
        elif isinstance(node, float):
            value = draw(st.floats(allow_nan=True, allow_infinity=True))
        elif isinstance(node, str):
            value = draw(st.one_of(st.text(max_size=40), NASTY_TEXT.filter(lambda t: len(t) < 200),
                                   st.sampled_from(["<script>alert(1)</script>", "`x` *y* [z](javascript:1)",
                                                    "=cmd|' /C calc'!A0", "]]>", "a" * 3000])))
        elif isinstance(node, list):
            value = draw(st.sampled_from([[], node[:1], node * 3, node[::-1]]))
        elif isinstance(node, dict) and path and path[-1] in FREE_FORM:
            value = {**node, draw(st.text(max_size=12)): draw(JSON_VALUES)}
        else:
            continue
        data = _set(data, path, value)
    return data
