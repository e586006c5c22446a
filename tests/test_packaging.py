"""The wheel carries the built-in packs and templates, and finds them when installed elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
                           str(REPO)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    wheels = list(out.glob("cyberaudit-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_packs_and_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    packs = sorted(Path(n).name for n in names if n.startswith("cyberaudit/rules/") and n.endswith(".yaml"))
    source_packs = sorted(p.name for p in (REPO / "rules").glob("*.yaml"))
    assert packs == source_packs
    templates = [n for n in names if n.startswith("cyberaudit/reports/templates/")]
    source_templates = [p for p in (REPO / "reports" / "templates").rglob("*") if p.is_file()]
    assert len(templates) == len(source_templates) > 0
    assert "cyberaudit/data/profile-example.yaml" in names


def test_installed_wheel_finds_its_data_outside_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                           str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    script = (
        "import cyberaudit.resources as r, cyberaudit.packs as p\n"
        "print(r.builtin_rules_dir()); print(r.templates_dir())\n"
        "rs = p.load_rule_set(); print(len(rs.rules))\n"
    )
    # only the installed copy on the path (plus the dependencies of this environment), run elsewhere
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rules_dir, templates_dir, count = proc.stdout.split()
    assert Path(rules_dir).is_relative_to(target)
    assert Path(templates_dir).is_relative_to(target)
    expected = sum(1 for p in (REPO / "rules").glob("*.yaml") for line in p.read_text().splitlines()
                   if line.startswith("  - id: "))
    assert int(count) == expected


def test_wheel_ships_the_tracker_database(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "cyberaudit/data/trackers.yaml" in names
    target = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                           str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    script = ("from cyberaudit.probes.privacy.trackerdb import builtin_database as b\n"
              "print(len(b().domains), len(b().companies))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    domains, companies = map(int, proc.stdout.split())
    assert domains >= 150 and companies >= 60
