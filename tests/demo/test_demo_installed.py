"""`cyberaudit demo` from an installed wheel: the site's pages ship as package data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_from_an_installed_wheel(tmp_path: Path) -> None:
    dist, site, out = tmp_path / "dist", tmp_path / "site", tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
                           str(REPO)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (wheel,) = dist.glob("cyberaudit-*.whl")
    pages = {Path(n).name for n in zipfile.ZipFile(wheel).namelist() if n.startswith("cyberaudit/demo/pages/")}
    assert pages == {p.name for p in (REPO / "src/cyberaudit/demo/pages").iterdir()}
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("CYBERAUDIT_")}
    env["PYTHONPATH"] = str(site)  # only the installed copy, run away from the source tree
    proc = subprocess.run([sys.executable, "-m", "cyberaudit", "demo", "--output-dir", str(out), "--quiet"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert Path(result["profile"]["path"]) == (out / "cyberaudit.yaml").resolve()
    assert result["findings"]
    assert "intake" in (out / "cyberaudit.yaml").read_text(encoding="utf-8")
