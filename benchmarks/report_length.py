"""How long the demo's report is: HTML height at desktop and phone widths, PDF pages.

Run from the repository root:  PYTHONPATH=src python benchmarks/report_length.py [RESULT.json]

Without an argument it runs the demo (loopback only) first. Needs Chromium (and Playwright for the
heights); prints the page height in CSS pixels at 1280 and 390 px wide, the smallest chart text as
drawn there, and the PDF's page count with and without the technical appendix (--appendix).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cyberaudit.render import RenderOptions
from cyberaudit.render.html import render_html
from cyberaudit.render.pdf import find_chromium, page_count, render_pdf
from cyberaudit.result import Result, load_result


def demo_result(out: Path) -> Result:
    from cyberaudit.demo.run import run_demo

    return run_demo(out).result


def heights(html: str, tmp: Path) -> dict[int, tuple[int, float]]:
    """Page height and smallest chart-label size (px, as drawn) per viewport width."""
    from playwright.sync_api import sync_playwright

    src = tmp / "report.html"
    src.write_text(html, encoding="utf-8")
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(src.as_uri())
            height = page.evaluate("document.documentElement.scrollHeight")
            # the size text is drawn at: its font size in SVG units times the chart's scale on screen
            label = page.evaluate("""Math.min(...[...document.querySelectorAll('svg text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))""")
            out[width] = (height, round(label, 1))
            page.close()
        browser.close()
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        result = load_result(Path(sys.argv[1])) if len(sys.argv) > 1 else demo_result(tmp / "demo")
        html = render_html(result, RenderOptions())
        for width, (height, label) in heights(html, tmp).items():
            print(f"HTML at {width:>4} px: {height:>6} px tall, smallest chart text {label} px")
        plain = page_count(render_pdf(result, RenderOptions()))
        print(f"PDF: {plain} A4 pages")
        full = page_count(render_pdf(result, RenderOptions(appendix=True)))
        print(f"PDF with --appendix: {full} A4 pages")


if __name__ == "__main__":
    main()
