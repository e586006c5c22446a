"""Child processes end with the Python process that started them, even when it dies of an exception."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from cyberaudit.probes.privacy.browser import chromium_path
from tests.cli.test_no_orphans import left_after, marked

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="no Chromium installed")
@pytest.mark.parametrize("how", ["exception", "sys.exit"])
def test_a_crash_while_the_browser_runs_leaves_no_process(tmp_path: Path, how: str) -> None:
    marker = uuid.uuid4().hex
    end = "raise RuntimeError('boom')" if how == "exception" else "sys.exit(5)"
    script = textwrap.dedent(f"""
        import sys, tempfile, threading, time
        from pathlib import Path
        from cyberaudit.probes.privacy.browser import CHROMIUM_ARGS, chromium_path
        from cyberaudit.probes.privacy.chromium import ChromiumProcess

        def browse():
            # a probe thread using the browser when the main thread dies
            ChromiumProcess(chromium_path(), list(CHROMIUM_ARGS), Path(tempfile.mkdtemp())).start(60)
            time.sleep(600)

        threading.Thread(target=browse, daemon=True).start()
        time.sleep(0.5)
        from cyberaudit import children
        until = time.monotonic() + 60
        while not children.live_children() and time.monotonic() < until:
            time.sleep(0.1)
        time.sleep(2)
        print(len(children.live_children()), flush=True)
        {end}
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CYBERAUDIT_ORPHAN_MARK": marker}
    try:
        proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                              timeout=120)
        assert proc.stdout.strip() == "1", proc.stderr
        assert proc.returncode != 0
        assert left_after(marker) == []
    finally:
        for pid, _ in marked(marker):
            os.kill(pid, 9)
