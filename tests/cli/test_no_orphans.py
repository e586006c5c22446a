"""A `--browser` scan leaves no process behind, however it ends: SIGTERM, SIGINT, SIGKILL, the deadline.

The real CLI runs in a subprocess against a loopback site whose page keeps Chromium busy. Every
process the scan starts (Chromium, its helpers, Playwright's driver) inherits a marker in its
environment; after the scan has ended, none may be left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.probes.privacy.browser import chromium_path

ROOT = Path(__file__).resolve().parents[2]
HOST = "www.practice.example"
BUSY = "<html><head><title>Busy</title></head><body>x<script>while (true) {}</script></body></html>"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(chromium_path() is None, reason="no Chromium installed")]


@dataclass
class Site:
    profile: Path
    ca_file: Path
    port: int


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("orphans")
    ca = certs.make_ca()
    leaf = certs.issue(ca, [HOST])
    ca_file = root / "ca.pem"
    ca_file.write_bytes(ca.cert_pem)
    profile = root / "cyberaudit.yaml"
    profile.write_text(f"practice:\n  name: Busy\ntargets:\n  websites:\n    - url: https://{HOST}/\n",
                       encoding="utf-8")
    with HttpServer({"/": Route(200, BUSY)}, tls=server_context(leaf.fullchain_pem, leaf.key_pem)) as server:
        yield Site(profile, ca_file, server.port)


def marked(marker: str) -> list[tuple[int, str]]:
    """(pid, command) of every live process whose environment carries the marker."""
    needle = f"CYBERAUDIT_ORPHAN_MARK={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            stat = (entry / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                continue  # a zombie waiting for its parent to read its status: it has ended
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append((int(entry.name), command[:120]))
    return found


def chromium_count(marker: str) -> int:
    return sum("chrom" in command for _pid, command in marked(marker))


def start_scan(site: Site, tmp_path: Path, marker: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYBERAUDIT_")}
    env.update(PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", CYBERAUDIT_ORPHAN_MARK=marker)
    command = [sys.executable, "-m", "cyberaudit", "scan", "-p", str(site.profile), "--browser", "-q",
               "--no-history", "--connect-to", f"{HOST}:443:127.0.0.1:{site.port}",
               "--connect-to", f"{HOST}:80:127.0.0.1:1", "--ca-bundle", str(site.ca_file),
               "-o", str(tmp_path / "r.json"), *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_chromium(proc: subprocess.Popen[bytes], marker: str, timeout: float = 60) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if chromium_count(marker) >= 2 and proc.poll() is None:  # the browser and a renderer
            time.sleep(1.5)  # the page is loading: the browser is busy with it
            return
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.2)
    raise AssertionError("Chromium did not start")


def left_after(marker: str, wait: float = 10) -> list[tuple[int, str]]:
    until = time.monotonic() + wait
    while marked(marker) and time.monotonic() < until:
        time.sleep(0.2)
    return marked(marker)


def _cleanup(marker: str) -> None:
    for pid, _ in marked(marker):  # never leave a stray browser on the machine, even when failing
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_ends_the_scan_and_every_browser_process(busy_site: Site, tmp_path: Path, signum: int) -> None:
    marker = uuid.uuid4().hex
    proc = start_scan(busy_site, tmp_path, marker, "--timeout", "120")
    try:
        wait_for_chromium(proc, marker)
        before = chromium_count(marker)
        sent = time.monotonic()
        proc.send_signal(signum)
        code = proc.wait(30)
        ended = time.monotonic() - sent
        after = left_after(marker)
        print(f"{signal.Signals(signum).name}: chromium processes {before} -> {len(after)}, "
              f"exit {code} after {ended:.2f}s")
        assert after == []
        assert code == 128 + signum
        err = proc.stderr.read().decode() if proc.stderr else ""
        assert "Traceback" not in err and "internal error" not in err, err
    finally:
        if proc.poll() is None:
            proc.kill()
        _cleanup(marker)


def test_a_killed_scan_takes_its_browser_with_it(busy_site: Site, tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the browser is told by the kernel that its parent died."""
    marker = uuid.uuid4().hex
    proc = start_scan(busy_site, tmp_path, marker, "--timeout", "120")
    try:
        wait_for_chromium(proc, marker)
        proc.kill()
        proc.wait(30)
        assert [c for c in left_after(marker) if "chrom" in c[1]] == []
    finally:
        _cleanup(marker)


def test_the_deadline_ends_every_browser_process(busy_site: Site, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    proc = start_scan(busy_site, tmp_path, marker, "--timeout", "8", "--max-time", "10")
    try:
        code = proc.wait(60)
        assert code in (0, 1), proc.stderr.read().decode() if proc.stderr else ""
        assert left_after(marker, wait=3) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        _cleanup(marker)


def test_a_scan_started_with_nohup_keeps_running_after_sighup(busy_site: Site, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYBERAUDIT_")}
    env.update(PYTHONPATH=str(ROOT / "src"), CYBERAUDIT_ORPHAN_MARK=marker)
    code = ("import signal, sys; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
            "from cyberaudit.cli.main import main; sys.argv[0] = 'cyberaudit'; main()")
    proc = subprocess.Popen([sys.executable, "-c", code, "scan", "-p", str(busy_site.profile), "--browser", "-q",
                             "--no-history", "--connect-to", f"{HOST}:443:127.0.0.1:{busy_site.port}",
                             "--connect-to", f"{HOST}:80:127.0.0.1:1", "--ca-bundle", str(busy_site.ca_file),
                             "--timeout", "120"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_chromium(proc, marker)
        proc.send_signal(signal.SIGHUP)
        time.sleep(2)
        assert proc.poll() is None and chromium_count(marker) >= 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 128 + signal.SIGTERM
        assert left_after(marker) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        _cleanup(marker)
