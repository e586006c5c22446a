"""Core modules never import typer, rich, the CLI or the renderers."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "cyberaudit"
FORBIDDEN = ("typer", "rich", "cyberaudit.cli.main", "cyberaudit.render", "cyberaudit.cli.progress")
# what may import them: the CLI (with its progress display) and the renderers
OUTSIDE_CORE = {"__main__.py"}


def core_modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in ("render", "cli") or str(rel) in OUTSIDE_CORE:
            continue
        yield path


@pytest.mark.parametrize("path", list(core_modules()), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), \
                f"{path.relative_to(SRC)} imports {name}"


def test_import_linter_contract():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed")
    # the checkout's own sources, whatever copy of the package is installed
    env = {**os.environ, "PYTHONPATH": str(SRC.parent)}
    proc = subprocess.run([exe], capture_output=True, text=True, cwd=SRC.parent.parent, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
