"""The HTML report: one self-contained file (inline CSS and SVG, no scripts, no requests)."""

from __future__ import annotations

from collections.abc import Iterator

from cyberaudit.render import RenderOptions
from cyberaudit.render.logo import load_logo
from cyberaudit.render.templating import render_template, stream_template
from cyberaudit.render.view import build_view
from cyberaudit.result import Result

TEMPLATE = "report.html.j2"


def render_html(result: Result, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    logo_uri = load_logo(options.logo).data_uri if options.logo is not None else None
    view = build_view(result, options, logo_uri)
    return render_template(TEMPLATE, options.template_dir, view=view)


def html_chunks(result: Result, options: RenderOptions | None = None) -> Iterator[str]:
    """`render_html` in pieces as the template makes them: a report of thousands of targets is never held whole."""
    options = options or RenderOptions()
    logo_uri = load_logo(options.logo).data_uri if options.logo is not None else None
    return stream_template(TEMPLATE, options.template_dir, view=build_view(result, options, logo_uri))
