"""Report formats: each renders a Result (and nothing else) to a file.

A format is chosen by the output file's extension or by --format. Renderer modules are imported
only when used, so the CLI starts fast.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cyberaudit.errors import InputError
from cyberaudit.outfiles import file_mode, make_dirs, write_private
from cyberaudit.result import Result

if TYPE_CHECKING:
    from cyberaudit.diff import ResultDiff
    from cyberaudit.history import TrendPoint


@dataclass(frozen=True)
class RenderOptions:
    """Choices that change how a report looks, never what it says."""

    title: str | None = None
    organization: str | None = None
    logo: Path | None = None  # PNG, JPEG or SVG, embedded as a data: URI
    template_dir: Path | None = None  # user templates, tried before the built-in ones
    redact: bool = False  # pseudonymise e-mail addresses and file paths in every format
    redact_cookies: bool = False  # also cookie names
    changes: ResultDiff | None = None  # what changed since the previous saved result
    trend: tuple[TrendPoint, ...] = ()  # overall scores of saved results, oldest first
    profile_uri: str | None = None  # SARIF: the profile's path relative to the repository root
    appendix: bool = False  # PDF: also print the technical appendix (every fact each finding read)
    printed: bool = False  # set by the PDF renderer: lay the HTML out for paper
    sarif_errors_level: str = "warning"  # SARIF level of checks that could not be made
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        """Raise InputError for a bad logo or template folder now, before a scan runs."""
        from cyberaudit.render.logo import load_logo

        if self.logo is not None:
            load_logo(self.logo)
        if self.template_dir is not None and not Path(self.template_dir).is_dir():
            raise InputError("template folder not found", self.template_dir)


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    module: str  # cyberaudit.render.<module>
    function: str
    binary: bool = False
    description: str = ""

    def renderer(self) -> Callable[[Result, RenderOptions], str | bytes]:
        return getattr(importlib.import_module(f"cyberaudit.render.{self.module}"), self.function)


FORMATS: dict[str, Format] = {
    "json": Format("json", (".json",), "json", "render_json", description="the Result document"),
    "html": Format("html", (".html", ".htm"), "html", "render_html",
                   description="a self-contained report to read or send"),
    "pdf": Format("pdf", (".pdf",), "pdf", "render_pdf", binary=True,
                  description="the HTML report printed by headless Chromium"),
    "markdown": Format("markdown", (".md", ".markdown"), "markdown", "render_markdown",
                       description="for tickets and wikis"),
    "csv": Format("csv", (".csv",), "csv", "render_csv", description="one row per finding"),
    "junit": Format("junit", (".junit.xml", ".xml"), "junit", "render_junit",
                    description="JUnit XML for CI test dashboards"),
    "sarif": Format("sarif", (".sarif", ".sarif.json"), "sarif", "render_sarif",
                    description="SARIF 2.1.0 for GitHub code scanning"),
}


def available_formats() -> dict[str, Format]:
    """Formats whose renderer module is installed."""
    out = {}
    for name, fmt in FORMATS.items():
        try:
            importlib.import_module(f"cyberaudit.render.{fmt.module}")
        except ModuleNotFoundError:
            continue
        out[name] = fmt
    return out


def format_for(path: str | Path, explicit: str | None = None) -> Format:
    """The format for an output path: --format if given, else the file extension."""
    if explicit:
        fmt = FORMATS.get(explicit.lower())
        if fmt is None:
            raise InputError(f"unknown format {explicit!r} (known: {', '.join(sorted(FORMATS))})")
        return fmt
    name = str(path).lower()
    # The longest matching extension wins: report.sarif.json is SARIF, not the Result JSON.
    matches = [(len(ext), fmt) for fmt in FORMATS.values() for ext in fmt.extensions if name.endswith(ext)]
    if matches:
        return max(matches, key=lambda m: m[0])[1]
    known = ", ".join(ext for f in FORMATS.values() for ext in f.extensions)
    raise InputError(f"cannot tell the report format from {str(path)!r}: use one of {known} or --format")


def write_report(result: Result, path: str | Path, fmt: Format, options: RenderOptions | None = None) -> Path:
    """Render `result` in `fmt` and write it to `path` (parent folders are created)."""
    options = options or RenderOptions()
    if options.redact:
        from cyberaudit.redact import redact_result

        result = redact_result(result, cookies=options.redact_cookies)
    # JSON and HTML are written in pieces as they are made: a report of thousands of targets is never
    # held as one text
    out: Any
    if fmt.name == "json":
        out = result.json_chunks()
    elif fmt.name == "html":
        from cyberaudit.render.html import html_chunks

        out = html_chunks(result, options)
    else:
        out = fmt.renderer()(result, options)
    path = check_writable(path)
    try:
        write_private(path, out)  # 0600: a report names the practice, its people and its weaknesses
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror}", path) from None
    except InputError:
        path.unlink(missing_ok=True)  # a template that failed halfway leaves no half a report
        raise
    return path


def check_writable(path: str | Path) -> Path:
    """Make sure a report can be written at `path` (its folder is created); called before a scan too."""
    path = Path(path)
    file_mode()  # a bad CYBERAUDIT_FILE_MODE is said before a long scan, not after
    if path.is_dir():
        raise InputError("is a folder; give a file name such as report.html", path)
    try:
        make_dirs(path.parent)  # folders it creates: 0700
    except OSError as exc:
        raise InputError(f"cannot create the folder for this report: {exc.strerror}", path) from None
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError("cannot write here (permission denied)", path)
    return path
