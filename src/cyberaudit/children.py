"""Child processes (headless Chromium for --browser and for PDF reports) that end with the scan.

Each child starts in its own process group, so it and every helper it forks can be ended at once,
and, on Linux, with a parent-death signal, so the kernel kills it even when cyberaudit itself is
killed with SIGKILL. Every live child is registered here: `end_all` kills them all, and runs at
interpreter exit and when the command line is stopped by a signal (cli/main.py).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

_PR_SET_PDEATHSIG = 1

_lock = threading.Lock()
_live: dict[int, tuple[subprocess.Popen[Any], Callable[[], None] | None]] = {}


def _pdeathsig_setter() -> Callable[[], None] | None:
    """A function for the forked child that asks the kernel for SIGKILL when its parent goes away."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)
    sigkill = int(signal.SIGKILL)

    def set_pdeathsig() -> None:
        # only a C call between fork and exec: nothing here takes a lock another thread may hold
        prctl(_PR_SET_PDEATHSIG, sigkill, 0, 0, 0)

    return set_pdeathsig


_SET_PDEATHSIG = _pdeathsig_setter()


def start_child(command: Sequence[str], *, cleanup: Callable[[], None] | None = None,
                **popen: Any) -> subprocess.Popen[Any]:
    """Popen `command` in a new process group with a parent-death signal, registered until `release`.

    `cleanup` (removing a browser profile folder, say) runs after the group is killed by `end_all`.
    The parent-death signal follows the thread that starts the child: start it from the thread
    that waits for it.
    """
    proc = subprocess.Popen(list(command), start_new_session=True, preexec_fn=_SET_PDEATHSIG, **popen)  # noqa: PLW1509
    with _lock:
        _live[proc.pid] = (proc, cleanup)
    return proc


def release(proc: subprocess.Popen[Any]) -> None:
    """The child has been ended by its owner: forget it."""
    with _lock:
        _live.pop(proc.pid, None)


def kill_group(proc: subprocess.Popen[Any], wait: float = 5.0) -> None:
    """SIGKILL the child's whole process group and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError, OSError):
        proc.wait(wait)


def live_children() -> list[int]:
    """Process ids of the registered children still running."""
    with _lock:
        return [pid for pid, (proc, _) in _live.items() if proc.poll() is None]


def end_all() -> int:
    """Kill every registered child's process group; returns how many were still running."""
    with _lock:
        items = list(_live.values())
        _live.clear()
    running = 0
    for proc, cleanup in items:
        if proc.poll() is None:
            running += 1
        kill_group(proc, wait=2.0)
        if cleanup is not None:
            with contextlib.suppress(Exception):
                cleanup()
    return running


atexit.register(end_all)
