"""A headless Chromium process started by cyberaudit itself, so it can always be stopped.

A hostile page can block the browser's main thread (an endless script loop); a call waiting on it
would never return. Owning the process lets a watchdog kill it, with all its children, when the
probe's time is up; the waiting call then fails and the scan goes on. The process is registered
with cyberaudit.children, so it also ends when the scan is stopped (a signal, an exit, a crash).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from cyberaudit.children import kill_group, release, start_child
from cyberaudit.errors import ProbeError


class ChromiumProcess:
    """Chromium with a fresh profile in `profile_dir`, reachable over the DevTools protocol."""

    def __init__(self, executable: str, args: list[str], profile_dir: Path) -> None:
        self.executable = executable
        self.args = args
        self.profile_dir = profile_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.killed = threading.Event()
        self._watchdog: threading.Timer | None = None

    def start(self, timeout: float) -> str:
        """Start Chromium and return its DevTools endpoint (http://127.0.0.1:PORT)."""
        command = [self.executable, "--headless", "--remote-debugging-address=127.0.0.1",
                   "--remote-debugging-port=0", f"--user-data-dir={self.profile_dir}", *self.args,
                   "about:blank"]
        try:
            # its own process group, so the renderer and helper processes go with it
            self.proc = start_child(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL,
                                    cleanup=lambda: shutil.rmtree(self.profile_dir, ignore_errors=True))
        except OSError as exc:
            raise ProbeError(f"Chromium did not start: {exc.strerror or exc}") from None
        port_file = self.profile_dir / "DevToolsActivePort"
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.proc.poll() is not None:
                release(self.proc)
                raise ProbeError(f"Chromium exited at start-up (exit code {self.proc.returncode})")
            with contextlib.suppress(OSError, ValueError, IndexError):
                lines = port_file.read_text().splitlines()
                # The file is written in pieces: until its second line (the browser's path) is
                # there, the first may be a port cut short, and connecting to it is refused.
                port = int(lines[0])
                if port > 0 and len(lines) > 1 and lines[1].startswith("/devtools/"):
                    return f"http://127.0.0.1:{port}"
            time.sleep(0.05)
        self.kill()
        raise ProbeError(f"Chromium did not start within {timeout:g}s")

    def kill_at(self, deadline: float) -> None:
        """Kill the browser when the monotonic clock reaches `deadline`, whatever it is doing."""
        self._watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), self.kill)
        self._watchdog.daemon = True
        self._watchdog.start()

    def kill(self) -> None:
        if self._watchdog is not None and self._watchdog is not threading.current_thread():
            self._watchdog.cancel()
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        self.killed.set()
        kill_group(proc)
        release(proc)

    def stop(self) -> None:
        """Normal end of use: stop the watchdog and the browser (not counted as killed)."""
        if self._watchdog is not None:
            self._watchdog.cancel()
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                kill_group(proc)
        # helpers left in the group (a zygote) must not outlive the browser
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        release(proc)
