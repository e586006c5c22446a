"""Text a hostile website controls (titles, headers, cookie names, URLs) never becomes live markup."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from cyberaudit.render import RenderOptions
from cyberaudit.render.html import render_html
from cyberaudit.render.markdown import render_markdown
from cyberaudit.textsafe import md_escape
from tests.render.htmlparse import parse_html
from tests.render.sample import PAYLOAD, hostile_result

LIVE_TAGS = ("script", "img", "iframe", "object", "embed", "form", "a", "svg")


def _assert_inert(html: str, allowed: dict[str, int]) -> None:
    doc = parse_html(html)
    for tag in LIVE_TAGS:
        assert len(doc.all(tag)) <= allowed.get(tag, 0), f"<{tag}> appeared"
    for el in doc.elements:
        for name, value in el.attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{el.tag}>"
            assert "javascript:" not in (value or "").lower()


def test_html_report_shows_payloads_as_text():
    html = render_html(hostile_result(), RenderOptions())
    doc = parse_html(html)
    # The only live elements are the report's own: its labelled SVG charts and in-page links.
    _assert_inert(html, {"svg": len(doc.all("svg")), "a": len(doc.all("a"))})
    assert all(svg.attrs.get("role") == "img" and svg.attrs.get("aria-labelledby") for svg in doc.all("svg"))
    assert all((a.attrs.get("href") or "").startswith("#") for a in doc.all("a"))
    assert '<script>alert("x")</script>' in doc.text  # visible to the reader, as text
    assert "<script" not in html.lower()
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")


def test_markdown_report_shows_payloads_as_text():
    md = render_markdown(hostile_result(), RenderOptions())
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    _assert_inert(rendered, {})
    assert "&lt;script&gt;" in rendered
    text = parse_html(rendered).text
    assert '<script>alert("x")</script>' in text  # the reader still sees what the site sent


@pytest.mark.parametrize("value", [
    PAYLOAD, "[click](javascript:alert(1))", "![x](http://tracker.example/p.gif)", "| a | b |", "# heading",
    "1. list", "- item", "<http://x.example>", "`code` *bold* _it_ ~~s~~", "line\nbreak\r\nmore",
])
def test_md_escape_leaves_no_markup(value):
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(
        f"| a |\n|---|\n| {md_escape(value)} |\n\n- {md_escape(value)}\n")
    doc = parse_html(rendered)
    for tag in ("script", "img", "a", "h1", "em", "strong", "code", "s", "del", "ol"):
        assert not doc.all(tag), f"<{tag}> from {value!r}"
    assert len(doc.all("td")) == 1 and len(doc.all("li")) == 1


def test_a_crafted_result_file_cannot_inject_markup_through_ids_or_severities():
    from dataclasses import replace

    from cyberaudit.diff import diff_results, diff_to_markdown
    from tests.render.sample import sample_result

    evil = "x`<img src=x onerror=alert(1)>`"
    r = sample_result()
    crafted = replace(r, findings=tuple(replace(f, rule_id=evil + f.rule_id, severity=evil, effort=evil)
                                        for f in r.findings))
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    for text in (render_markdown(crafted, RenderOptions()), diff_to_markdown(diff_results(r, crafted))):
        _assert_inert(md.render(text), {})
    doc = parse_html(render_html(crafted, RenderOptions()))
    assert not doc.all("img") and not doc.all("script")
    assert not any(name.startswith("on") for el in doc.elements for name in el.attrs)
