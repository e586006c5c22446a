"""The `tag=value; tag=value` syntax shared by DMARC, DKIM, MTA-STS and TLS-RPT records."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class TagList:
    """Tags in order of appearance; `problems` holds syntax mistakes in plain words."""

    tags: tuple[tuple[str, str], ...]
    problems: tuple[str, ...]

    def get(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.tags if k == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.tags)


def parse_tags(text: str) -> TagList:
    """Split a record into lower-cased tag names and stripped values (RFC 6376 §3.2)."""
    tags: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue  # a trailing ';' is allowed
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not _TAG_NAME.match(name):
            problems.append(f"malformed tag {part[:60]!r}")
            continue
        key = name.lower()
        if key in seen:
            problems.append(f"tag {key!r} appears more than once")
            continue
        seen.add(key)
        tags.append((key, value.strip()))
    return TagList(tuple(tags), tuple(problems))
