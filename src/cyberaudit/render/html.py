"""The HTML report: one self-contained file (inline CSS and SVG, no scripts, no requests)."""

from __future__ import annotations

from cyberaudit.render import RenderOptions
from cyberaudit.render.logo import load_logo
from cyberaudit.render.templating import render_template
from cyberaudit.render.view import build_view
from cyberaudit.result import Result

TEMPLATE = "report.html.j2"


def render_html(result: Result, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    logo_uri = load_logo(options.logo).data_uri if options.logo is not None else None
    view = build_view(result, options, logo_uri)
    return render_template(TEMPLATE, options.template_dir, view=view)
