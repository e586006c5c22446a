"""Where the built-in rule packs and report templates live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(*parts: str) -> Path:
    installed = _PKG.joinpath(*parts)  # the wheel ships them inside the package
    if installed.is_dir():
        return installed
    checkout = _PKG.parent.parent.joinpath(*parts)  # src/cyberaudit → repository root
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cyberaudit data folder {'/'.join(parts)} is missing from this installation")


def builtin_rules_dir() -> Path:
    return _find("rules")


def templates_dir() -> Path:
    return _find("reports", "templates")


def data_dir() -> Path:
    """Data files shipped with the code (tracker database, ...)."""
    return _PKG / "data"
