"""Shared fixtures: a way to run the real CLI entry point and small profile/pack files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from cyberaudit.cli.main import main

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `cyberaudit ARGS...` through the console entry point in this process."""

    def run(*args: str) -> CliRun:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


def run_cli_subprocess(*args: str, cwd: Path | None = None, env: dict | None = None,
                       timeout: float = 120) -> CliRun:
    """Run `python -m cyberaudit ARGS...` as a separate process (the real console behaviour)."""
    full_env = {**os.environ, **(env or {})}
    src = str(REPO / "src")
    full_env["PYTHONPATH"] = src + os.pathsep + full_env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-m", "cyberaudit", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=timeout)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """`rules list` keeps its index under CYBERAUDIT_CACHE_DIR: the suite's, not the user's ~/.cache."""
    if not os.environ.get("CYBERAUDIT_CACHE_DIR"):
        os.environ["CYBERAUDIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield


@pytest.fixture
def write(tmp_path):
    """Write a dedented text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write
