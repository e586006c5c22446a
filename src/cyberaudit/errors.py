"""Exceptions shared by the core; the CLI turns each into one line and an exit code."""

from __future__ import annotations

import re
from pathlib import Path

# a value quoted in a message is cut past this many characters: a hostile file can hold a
# 4 MB value, and the message about it must still be one readable line
_LONG_QUOTE = re.compile(r"'[^'\n]{200,}'|\"[^\"\n]{200,}\"")


def _short_quotes(message: str) -> str:
    return _LONG_QUOTE.sub(lambda m: m.group()[:100] + "…" + m.group()[-1], message)


class CyberauditError(Exception):
    """Base of every error the CLI reports without a traceback."""


class InputError(CyberauditError):
    """Invalid user input (profile, pack, evidence, arguments): exit code 2."""

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None,
                 col: int | None = None) -> None:
        self.message = _short_quotes(message) if len(message) > 200 else message
        self.file = str(file) if file is not None else None
        self.line = line
        self.col = col
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            where += ": "
        return f"{where}{self.message}"

    def lines(self) -> list[str]:
        """The lines the CLI prints, each after `error: `."""
        return [str(self)]


class ProbeError(CyberauditError):
    """A probe could not tell: its rules become `error` findings with this reason."""


MAX_LISTED = 20


class InputErrors(InputError):
    """Several problems found at once: one `file:line:col: problem` line each, sorted by line."""

    def __init__(self, problems: list[InputError]) -> None:
        unique = list({str(p): p for p in problems}.values())
        self.problems = sorted(unique, key=lambda p: (p.file or "", p.line or 0, p.col or 0))
        first = self.problems[0]
        super().__init__(first.message, first.file, first.line, first.col)

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems[:MAX_LISTED]]
        rest = len(self.problems) - MAX_LISTED
        if rest > 0:
            out.append(f"{self.file + ': ' if self.file else ''}and {rest} more problem{'s' if rest != 1 else ''}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines()) if hasattr(self, "problems") else super().__str__()


def raise_all(problems: list[InputError]) -> None:
    """Raise the problems found, if any: one as itself, several together."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputErrors(problems)
