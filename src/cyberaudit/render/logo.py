"""A consultant's logo, checked and embedded in the report as a data: URI."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from cyberaudit.errors import InputError
from cyberaudit.userfiles import read_user_bytes

MAX_LOGO_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Logo:
    mime: str
    data: bytes

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def load_logo(path: str | Path) -> Logo:
    """Read and check a logo file; only PNG, JPEG and SVG are accepted."""
    path = Path(path)
    data = read_user_bytes(path, "logo file", MAX_LOGO_BYTES)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Logo("image/png", data)
    if data.startswith(b"\xff\xd8\xff"):
        return Logo("image/jpeg", data)
    if _is_svg(data):
        # Embedded through <img>, where browsers never run an SVG's scripts or load its links.
        return Logo("image/svg+xml", data)
    raise InputError("logo must be a PNG, JPEG or SVG image", path)


def _is_svg(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--")):
        return False
    if b"<!entity" in data.lower():
        return False  # entity definitions are how XML bombs work; a logo never needs them
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")
