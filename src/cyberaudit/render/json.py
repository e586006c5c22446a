"""The Result as JSON: the archive format every other format can be re-rendered from."""

from __future__ import annotations

from cyberaudit.render import RenderOptions
from cyberaudit.result import Result


def render_json(result: Result, options: RenderOptions) -> str:
    return result.to_json()
