"""A JSON object read member by member, from text that arrives in pieces cut anywhere."""

from __future__ import annotations

import json

import pytest

from cyberaudit.jsonstream import StreamError, read_object

DOC = {"schema_version": "1.0", "n": 12345, "flag": True, "none": None, "big": -1.5e300,
       "items": [{"a": "x\\\"y}]", "b": [1, 2, {"c": "é\n"}]}, 7, "s", [], {}],
       "empty": [], "text": "a , ] } [ {", "last": 98765}


def _read(text: str, size: int) -> dict:
    pieces = [text[i:i + size] for i in range(0, len(text), size)]
    out = {}
    for key, value in read_object(pieces, frozenset({"items", "empty"})):
        out[key] = list(value) if key in ("items", "empty") else value
    return out


@pytest.mark.parametrize("indent", [None, 2])
def test_every_cut_of_the_text_reads_as_json_loads_reads_it(indent):
    text = json.dumps(DOC, indent=indent, ensure_ascii=False)
    for size in range(1, len(text) + 1):
        assert _read(text, size) == DOC, size  # a number or a name cut in two is never read short


def test_listed_arrays_come_item_by_item_and_the_others_whole():
    seen = []
    for key, value in read_object([json.dumps({"items": [1, {"x": 2}], "other": [3]})], frozenset({"items"})):
        if key == "items":
            assert next(value) == 1  # the first item is read before the rest of the array
            seen.append((key, [1, *value]))
        else:
            seen.append((key, value))
    assert seen == [("items", [1, {"x": 2}]), ("other", [3])]


@pytest.mark.parametrize("text", [
    '{"a": 1 "b": 2}', '{"a": [1 2]}', '{"a": 1} trailing', '{"a": "unterminated', '[1, 2]', '{"a": }',
    '{a: 1}', '', '{"a": [1, 2,', '{"a": 1,}',
])
def test_what_is_not_one_json_object_is_a_stream_error(text):
    for size in (1, 3, len(text) or 1):
        with pytest.raises(StreamError):
            _read(text, size)
