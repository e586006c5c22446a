"""Exceptions shared by the core; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from pathlib import Path


class CyberauditError(Exception):
    """Base of every error the CLI reports without a traceback."""


class InputError(CyberauditError):
    """Invalid user input (profile, pack, evidence, arguments): exit code 2."""

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None,
                 col: int | None = None) -> None:
        self.message = message
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


class ProbeError(CyberauditError):
    """A probe could not tell: its rules become `error` findings with this reason."""
