"""A JSON object read member by member, and chosen arrays item by item, from text arriving in pieces.

A saved Result of thousands of websites is hundreds of megabytes of text, and as parsed objects
several times that. Read this way, only the current item is ever whole in memory: each is parsed by
json's own decoder (`raw_decode`), and the text before it is let go.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_SPACE = " \t\n\r"
_AFTER_VALUE = re.compile(r"[ \t\n\r,\]}:]")  # what may follow a complete value


class StreamError(ValueError):
    """The text is not the JSON object expected; `line` is where reading stopped."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"{message} (line {line})")
        self.line = line


class _Text:
    """The text not yet read, topped up from the pieces as a value needs more."""

    def __init__(self, pieces: Iterable[str], decode: Callable[[str, int], tuple[Any, int]]) -> None:
        self._pieces = iter(pieces)
        self._decode = decode
        self.buf = ""
        self.pos = 0
        self.lines_before = 1  # the line number of buf[0]
        self._counted = 0  # buf[:_counted] holds _lines line ends
        self._lines = 0
        self.ended = False

    def _more(self) -> bool:
        """Drop the text already read and add at least as much again as is left (False at the end)."""
        if self.ended:
            return False
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self._counted, self._lines = 0, 0
        rest = self.buf[self.pos:]
        added: list[str] = []
        size = 0
        # doubling what is left: a value retried after each top-up costs linear time, not quadratic
        while size == 0 or size < len(rest):
            piece = next(self._pieces, None)
            if piece is None:
                self.ended = True
                break
            added.append(piece)
            size += len(piece)
        self.buf = rest + "".join(added)
        self.pos = 0
        return size > 0

    def line(self) -> int:
        # counted on from the last call: counting from the start of the piece each time is quadratic
        if self._counted > self.pos:
            self._counted, self._lines = 0, 0
        self._lines += self.buf.count("\n", self._counted, self.pos)
        self._counted = self.pos
        return self.lines_before + self._lines

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the text)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise StreamError(f"expected {char!r}", self.line())
        self.pos += 1

    def opened(self, start: str, end: str) -> bool:
        """Read `start`; False when `end` follows at once (an empty object or array)."""
        self.take(start)
        if self.peek() == end:
            self.pos += 1
            return False
        return True

    def next_or_end(self, end: str, what: str) -> bool:
        """After a member or item: True at a comma, False at `end`."""
        char = self.peek()
        self.pos += 1
        if char == end:
            return False
        if char != ",":
            raise StreamError(f"expected ',' or {end!r} after {what}", self.line())
        return True

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self._decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue  # most likely cut at the end of the piece: try again with more
                raise StreamError(exc.msg, self.line()) from None
            if not self.ended and not _AFTER_VALUE.match(self.buf, end) and self._more():
                # "-1.5e" reads as -1.5: a value not yet followed by what ends one may go on
                continue
            self.pos = end
            return value


def read_object(pieces: Iterable[str], arrays: frozenset[str],
                decode: Callable[[str, int], tuple[Any, int]] | None = None) -> Iterator[tuple[str, Any]]:
    """The members of the top-level object in file order, as (key, value).

    The value of a key in `arrays` that is a list comes as an iterator of its items; it must be used
    up before the next member is asked for. `decode` is a JSONDecoder's raw_decode.
    """
    text = _Text(pieces, decode or json.JSONDecoder().raw_decode)
    more = text.opened("{", "}")
    while more:
        if text.peek() != '"':
            raise StreamError("expected a member name", text.line())
        key = text.value()
        text.take(":")
        if key in arrays and text.peek() == "[":
            yield key, _items(text)
        else:
            yield key, text.value()
        more = text.next_or_end("}", "a member")
    if text.peek() != "":
        raise StreamError("text after the end of the object", text.line())


def _items(text: _Text) -> Iterator[Any]:
    more = text.opened("[", "]")
    while more:
        yield text.value()
        more = text.next_or_end("]", "an item")
