"""A finished target's facts and a finding's evidence held as compressed JSON until someone reads them.

A scan of thousands of websites keeps every target's facts and every finding's evidence until the
Result is written; as Python objects they cost several times their JSON text. `FrozenJson` is a
read-only mapping over that text (zlib-compressed when that makes it smaller) that decodes on each
read, so memory follows the size of the report, not of the objects behind it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields
from functools import cache
from typing import Any

# below this size zlib's header and dictionary cost more than they save
_COMPRESS_FROM = 200


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, in order."""
    return tuple(f.name for f in fields(cls))


def json_default(value: Any) -> Any:
    """The encoder's fallback: a FrozenJson or dataclass becomes a dict, a sequence a list, anything else its text."""
    # (the encoder walks the dict itself; str() is what json.dumps(default=str) gave before)
    if isinstance(value, FrozenJson):
        return value.to_dict()
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return list(value)
    if hasattr(type(value), "__dataclass_fields__"):
        return {name: getattr(value, name) for name in field_names(type(value))}
    return str(value)


# json's C encoder runs only without `indent`; the Result's writer and FrozenJson share it, so a
# value reads back as the text the Result would have held
ENCODER = json.JSONEncoder(ensure_ascii=False, default=json_default)


class FrozenJson(Mapping[str, Any]):
    """An immutable JSON object kept as (compressed) UTF-8 text; every read decodes a fresh copy."""

    __slots__ = ("_data",)

    def __init__(self, value: Mapping[str, Any]) -> None:
        data = ENCODER.encode(dict(value)).encode("utf-8", "surrogatepass")
        if len(data) >= _COMPRESS_FROM:
            packed = zlib.compress(data, 6)
            if len(packed) < len(data):
                data = packed
        self._data = data

    @classmethod
    def _from_bytes(cls, data: bytes) -> FrozenJson:
        obj = cls.__new__(cls)
        obj._data = data
        return obj

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        # pickled as the stored bytes (worker processes hand Results to the parent this way)
        return (FrozenJson._from_bytes, (self._data,))

    def to_dict(self) -> dict[str, Any]:
        """The mapping as plain dicts and lists, decoded anew."""
        data = self._data
        # a JSON object starts with "{"; anything else is a zlib stream
        text = (data if data[:1] == b"{" else zlib.decompress(data)).decode("utf-8", "surrogatepass")
        value: dict[str, Any] = json.loads(text)
        return value

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.to_dict().get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())

    def items(self) -> Any:
        return self.to_dict().items()

    def values(self) -> Any:
        return self.to_dict().values()

    def keys(self) -> Any:
        return self.to_dict().keys()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenJson):
            return self._data == other._data or self.to_dict() == other.to_dict()
        if isinstance(other, Mapping):
            return self.to_dict() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to dicts, which are unhashable

    def __repr__(self) -> str:
        return f"FrozenJson({self.to_dict()!r})"

    @property
    def stored_bytes(self) -> int:
        """How many bytes the mapping takes as stored."""
        return len(self._data)


def frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """`value` as a FrozenJson; an empty mapping stays an empty dict (smaller than its text)."""
    if isinstance(value, FrozenJson):
        return value
    return FrozenJson(value) if value else {}
