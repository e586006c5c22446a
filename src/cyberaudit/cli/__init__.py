"""The command line: the only home of typer, rich and prompts."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Console entry point; `--version` answers before typer, rich and the probes are imported."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from cyberaudit import __version__

        print(f"cyberaudit {__version__}")
        return 0
    from cyberaudit.cli.main import main as run

    return run(argv)
