"""Which computer the device rules grade: this one only when someone runs the scan on it, and named."""

from __future__ import annotations

import json
import os
import pty
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cyberaudit.probes.device.probe import DeviceProbe, choose_machine, runs_interactively
from tests.conftest import REPO
from tests.probes.controls_helpers import context, finding, practice, profile

RULES = ("ENC-DISK", "ENC-SCREEN-LOCK", "ENC-AUTO-UPDATES")


def probe_run(devices, interactive: bool):
    prof = profile({"controls": {"devices": devices}})
    return DeviceProbe(interactive=lambda: interactive).run(practice(prof), context(prof)), practice(prof)


def test_unattended_with_nothing_declared_is_not_applicable_and_says_which_key(monkeypatch):
    monkeypatch.setenv("CI", "true")
    out, t = probe_run({}, interactive=False)
    assert out.facts["scan_this_machine"] is False and out.facts["unattended"] is True
    assert out.facts["computer"] is None and "CI" in out.facts["reason"]
    for rid, key in zip(RULES, ("disk_encrypted", "screen_lock", "auto_updates"), strict=True):
        f = finding(rid, out, t)
        assert f.status == "not_applicable", (rid, f.message)
        assert f"controls.devices.{key}" in f.message and "controls.devices.scan_this_machine" in f.message
        assert "CI" in f.evidence["device.reason"]


def test_unattended_uses_the_declared_answers():
    out, t = probe_run({"disk_encrypted": True, "screen_lock": False}, interactive=False)
    assert finding("ENC-DISK", out, t).status == "pass"
    assert finding("ENC-SCREEN-LOCK", out, t).status == "fail"
    assert finding("ENC-AUTO-UPDATES", out, t).status == "not_applicable"
    assert out.facts["disk"]["source"] == "declared"


def test_said_not_this_machine_and_nothing_declared_stays_an_error():
    # the profile said this is not a practice computer: the answer must then be declared
    out, t = probe_run({"scan_this_machine": False}, interactive=True)
    f = finding("ENC-DISK", out, t)
    assert f.status == "error" and "controls.devices.disk_encrypted" in f.message


def test_on_a_terminal_this_computer_is_read_and_named():
    out, t = probe_run({}, interactive=True)
    assert out.facts["scan_this_machine"] is True and out.facts["unattended"] is False
    assert out.facts["hostname"] == socket.gethostname()
    assert out.facts["computer"].startswith(socket.gethostname() + " (")
    f = finding("ENC-DISK", out, t)
    assert f.status in ("pass", "fail", "error")
    assert f.evidence["device.computer"] == out.facts["computer"]


def test_the_choice_rules():
    assert choose_machine(True, False, True).read is True
    assert choose_machine(False, True, False).read is False
    assert choose_machine(None, True, False).read is True
    unattended = choose_machine(None, False, False)
    assert unattended.read is False and unattended.unattended and "terminal" in unattended.reason
    assert runs_interactively({"CI": "1"}) is False


PROFILE = """\
practice: {name: Lakeside Counseling}
controls:
  devices: {}
"""


def scan_in(tmp_path: Path, *, terminal: bool, ci: bool) -> dict:
    """Run `cyberaudit scan` as a separate process, on a real pseudo-terminal or on pipes."""
    prof = tmp_path / "cyberaudit.yaml"
    prof.write_text(PROFILE)
    out = tmp_path / f"result-{terminal}-{ci}.json"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["TERM"] = "dumb"
    if ci:
        env["CI"] = "true"
    argv = [sys.executable, "-m", "cyberaudit", "scan", "-p", str(prof), "--no-history", "-o", str(out)]
    if terminal:
        parent, child = pty.openpty()
        proc = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, cwd=tmp_path)
        os.close(child)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([parent], [], [], 0.5)
            if ready:
                try:
                    os.read(parent, 65536)  # keep the terminal drained so the scan never blocks on output
                except OSError:
                    break
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        os.close(parent)
    else:
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
                              stdin=subprocess.DEVNULL)
    assert proc.returncode in (0, 1), proc
    return json.loads(out.read_text())


def device_findings(result: dict) -> dict[str, dict]:
    return {f["rule_id"]: f for f in result["findings"] if f["rule_id"] in RULES}


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_scan_reads_this_computer_only_on_a_terminal_outside_ci(tmp_path):
    on_terminal = scan_in(tmp_path, terminal=True, ci=False)
    practice_facts = next(t for t in on_terminal["targets"] if t["kind"] == "practice")["facts"]["device"]
    assert practice_facts["scan_this_machine"] is True
    assert practice_facts["computer"].startswith(socket.gethostname())
    disk = device_findings(on_terminal)["ENC-DISK"]
    assert disk["status"] != "not_applicable"
    assert disk["evidence"]["device.computer"] == practice_facts["computer"]

    for terminal, ci in ((False, False), (True, True)):
        unattended = device_findings(scan_in(tmp_path, terminal=terminal, ci=ci))
        assert {f["status"] for f in unattended.values()} == {"not_applicable"}, (terminal, ci)
        assert "controls.devices.disk_encrypted" in unattended["ENC-DISK"]["message"]
