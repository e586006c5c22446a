"""Report formats: each renders a Result (and nothing else) to a file.

A format is chosen by the output file's extension or by --format. Renderer modules are imported
only when used, so the CLI starts fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cyberaudit.errors import InputError
from cyberaudit.result import Result


@dataclass(frozen=True)
class RenderOptions:
    """Choices that change how a report looks, never what it says."""

    title: str | None = None
    organization: str | None = None
    logo: Path | None = None
    template_dir: Path | None = None
    redact: bool = False
    redact_cookies: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. history, previous result


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
    for fmt in FORMATS.values():
        if any(name.endswith(ext) for ext in fmt.extensions):
            return fmt
    known = ", ".join(ext for f in FORMATS.values() for ext in f.extensions)
    raise InputError(f"cannot tell the report format from {path!r}: use one of {known} or --format")


def write_report(result: Result, path: str | Path, fmt: Format, options: RenderOptions | None = None) -> Path:
    """Render `result` in `fmt` and write it to `path` (parent folders are created)."""
    options = options or RenderOptions()
    out = fmt.renderer()(result, options)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(out, bytes):
        path.write_bytes(out)
    else:
        path.write_text(out, encoding="utf-8")
    return path
