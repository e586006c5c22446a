"""Nothing leaves for the network but the configured targets and resolvers.

The demo and a lab-like scan (the CLI's `scan` of the demo practice, with its reports) run in a
subprocess whose every connection, datagram and name lookup passes an audit hook installed before
cyberaudit is imported (tests/support/netguard). Any other destination fails the test.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from cyberaudit.demo.practice import demo_practice

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "support" / "netguard"


def guarded(args: list[str], log: Path, allow: list[tuple[str, int]], cwd: Path,
            timeout: float = 180) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYBERAUDIT_")}
    env.update(PYTHONPATH=os.pathsep.join([str(GUARD), str(ROOT / "src")]), NO_COLOR="1",
               CYBERAUDIT_NETGUARD_LOG=str(log), CYBERAUDIT_NETGUARD_ALLOW=json.dumps(allow))
    proc = subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
    events = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return proc, events


def test_the_guard_refuses_and_reports_an_unconfigured_address(tmp_path: Path) -> None:
    with socket.socket() as listener:  # listening in the test process: not the guarded process's own
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code = ("import socket\n"
                f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                "except PermissionError as e:\n    print('refused', e)\n"
                "try:\n    socket.getaddrinfo('example.org', 443)\n"
                "except PermissionError as e:\n    print('refused', e)\n")
        proc, events = guarded(["-c", code], tmp_path / "log.jsonl", [], tmp_path)
    assert proc.stdout.count("refused") == 2, proc.stderr
    assert [(e["event"], e["allowed"]) for e in events if not e["allowed"]] == [
        ("socket.connect", False), ("socket.getaddrinfo", False)]


def test_the_demo_reaches_only_its_own_loopback_servers(tmp_path: Path) -> None:
    proc, events = guarded(["-m", "cyberaudit", "demo", "--output-dir", str(tmp_path / "demo"), "--quiet",
                            "--format", "all"], tmp_path / "log.jsonl", [], tmp_path)
    assert proc.returncode == 0, proc.stderr
    connects = [e for e in events if e["event"] in ("socket.connect", "socket.sendto")]
    assert len(connects) > 10, "the guard saw no connection: it was not installed"
    assert [e for e in events if not e["allowed"]] == []
    result = json.loads((tmp_path / "demo" / "result.json").read_text())
    assert not [p for t in result["targets"] for p in t["probes"] if "outbound guard" in (p.get("error") or "")]


def test_a_lab_scan_reaches_only_its_targets_and_resolver(tmp_path: Path) -> None:
    with demo_practice(tmp_path / "lab") as practice:
        allow = [("127.0.0.1", port) for port in practice.ports]
        out = tmp_path / "out"
        args = ["-m", "cyberaudit", *practice.scan_arguments(), "-q", "--history", str(out / "history"),
                *[a for name in ("r.json", "r.html", "r.md", "r.sarif", "r.csv", "r.junit.xml")
                  for a in ("-o", str(out / name))]]
        proc, events = guarded(args, tmp_path / "log.jsonl", allow, tmp_path)
        served = practice.hosts_served()
    assert proc.returncode in (0, 1), proc.stderr
    assert served, "the scan reached none of the lab's servers"
    connects = {tuple(e["address"][:2]) for e in events if e["event"] in ("socket.connect", "socket.sendto")}
    assert connects <= set(allow) and len(connects) >= 3
    assert [e for e in events if not e["allowed"]] == []
    result = json.loads((out / "r.json").read_text())
    assert not [p for t in result["targets"] for p in t["probes"] if "outbound guard" in (p.get("error") or "")]
