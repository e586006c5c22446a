"""What each quick command imports: `--version` nothing but the version, `--help` nothing but typer,
`rules list` (its index kept) no YAML, pack loader or probe. A fresh interpreter runs each command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.cli.test_help import COMMANDS
from tests.conftest import REPO

# runs each argv list through the console entry point and prints the modules imported after it
CHILD = """
import contextlib, io, json, sys
from cyberaudit.cli import main
seen = []
for argv in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    seen.append({"argv": argv, "code": code, "modules": sorted(sys.modules)})
print(json.dumps(seen))
"""
HEAVY = ("rich", "pydantic", "pydantic_core", "yaml", "requests", "urllib3", "jinja2", "dns", "OpenSSL",
         "cryptography", "publicsuffixlist", "playwright", "cyberaudit.probes", "cyberaudit.render",
         "cyberaudit.packs", "cyberaudit.result", "cyberaudit.scan", "cyberaudit.engine", "cyberaudit.network")


def _imported(*commands: list[str]) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(list(commands))], capture_output=True,
                          text=True, env=env, timeout=60, check=True)
    return json.loads(proc.stdout)


def _heavy(modules: list[str], names: tuple[str, ...] = HEAVY) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_version_imports_neither_typer_nor_anything_else_of_cyberaudit():
    (run,) = _imported(["--version"])
    assert run["code"] == 0
    assert not _heavy(run["modules"], (*HEAVY, "typer", "click"))
    assert [m for m in run["modules"] if m.startswith("cyberaudit")] == ["cyberaudit", "cyberaudit.cli"]


def test_help_of_every_command_imports_only_typer_and_the_cli():
    runs = _imported(["--help"], *[[*c, "--help"] for c in COMMANDS], ["-h"])
    for run in runs:
        assert run["code"] == 0, run["argv"]
        assert not _heavy(run["modules"]), f"{' '.join(run['argv'])} imports {_heavy(run['modules'])}"


def test_rules_list_from_its_index_reads_no_yaml_and_loads_no_pack_or_probe():
    (first,) = _imported(["rules", "list"])  # builds the index, unless an earlier test did
    text, as_json = _imported(["rules", "list"], ["rules", "list", "--format", "json", "--category", "tls"])
    assert first["code"] == text["code"] == as_json["code"] == 0
    quick = ("yaml", "cyberaudit.packs", "cyberaudit.yamlsrc", "cyberaudit.conditions", "cyberaudit.probes",
             "requests", "jinja2", "dns", "OpenSSL", "cryptography", "cyberaudit.render", "cyberaudit.result")
    assert not _heavy(as_json["modules"], quick)
