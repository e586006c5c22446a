"""PDF from the HTML report, printed by headless Chromium (page numbers from the CSS @page rules)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from cyberaudit.children import release, start_child
from cyberaudit.errors import CyberauditError, InputError
from cyberaudit.render import RenderOptions
from cyberaudit.render.html import render_html
from cyberaudit.result import Result

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = ("PDF output needs Chromium: install it (Debian/Ubuntu: apt-get install chromium; macOS: "
                "brew install --cask chromium) or set CYBERAUDIT_CHROMIUM to the browser's path")
TIMEOUT_S = 120.0


class PdfError(CyberauditError):
    """Chromium ran but did not produce a PDF."""


def find_chromium() -> str:
    """The browser to print with: $CYBERAUDIT_CHROMIUM, else the first Chromium on PATH."""
    configured = os.environ.get("CYBERAUDIT_CHROMIUM")
    if configured:
        path = shutil.which(configured) or (configured if Path(configured).is_file() else None)
        if path is None:
            raise InputError(f"CYBERAUDIT_CHROMIUM points to {configured!r}, which is not a program. "
                             + INSTALL_HINT)
        return path
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise InputError("no Chromium browser found. " + INSTALL_HINT)


def html_to_pdf(html: str, *, browser: str | None = None, timeout: float = TIMEOUT_S) -> bytes:
    """Print an HTML document to PDF with headless Chromium, in a throw-away profile."""
    browser = browser or find_chromium()
    with tempfile.TemporaryDirectory(prefix="cyberaudit-pdf-") as tmp:
        src = Path(tmp) / "report.html"
        out = Path(tmp) / "report.pdf"
        src.write_text(html, encoding="utf-8")
        cmd = [browser, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
               "--disable-extensions", "--disable-background-networking", "--disable-sync",
               "--disable-component-update", "--no-pdf-header-footer", f"--user-data-dir={Path(tmp) / 'profile'}",
               f"--print-to-pdf={out}", src.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.insert(1, "--no-sandbox")  # Chromium refuses to start its sandbox as root (containers, CI)
        returncode, stderr = _run(cmd, timeout, browser)
        if not out.is_file() or out.stat().st_size == 0:
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise PdfError(f"Chromium did not produce a PDF (exit {returncode}): {tail[0]}")
        return out.read_bytes()


def _run(cmd: list[str], timeout: float, browser: str) -> tuple[int, bytes]:
    """Run the browser in its own process group, so a hung browser and all its helpers can be ended."""
    try:
        # registered, so a scan stopped while it prints leaves no browser behind (children.py)
        proc = start_child(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        raise InputError(f"cannot run {browser}: {exc.strerror}. " + INSTALL_HINT) from None
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise PdfError(f"Chromium did not finish printing the PDF within {timeout:g} s") from None
    _kill_group(proc)  # helpers (zygote, GPU process) must not outlive the print job
    return proc.returncode, stderr


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=5)
    release(proc)


def render_pdf(result: Result, options: RenderOptions | None = None) -> bytes:
    """The report laid out for paper; the technical appendix only with `options.appendix`."""
    return html_to_pdf(render_html(result, replace(options or RenderOptions(), printed=True)))


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, read from its page tree root (enough for the files Chromium writes)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)
