"""The demo practice's real report, laid out: PDF length and page breaks, phone layout, the platforms table.

The demo runs on loopback only; the PDF and phone checks need Chromium (and pdfinfo / pdftotext from
poppler-utils, Playwright for the phone) and are skipped without them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cyberaudit.demo.run import run_demo
from cyberaudit.errors import InputError
from cyberaudit.render import RenderOptions
from cyberaudit.render.html import render_html
from cyberaudit.render.pdf import find_chromium, render_pdf
from cyberaudit.render.view import build_view
from cyberaudit.result import Result
from tests.render.htmlparse import parse_html

MAX_PAGES = 12  # the demo's printed report: summary, what to fix first, each failure with its fix


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Result:
    return run_demo(tmp_path_factory.mktemp("demo")).result


def _chromium() -> str:
    try:
        return find_chromium()
    except InputError:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium)")


def _poppler(tool: str) -> None:
    if not shutil.which(tool):
        pytest.skip(f"{tool} (poppler-utils) reads the PDF")


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=60).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))


def _page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, timeout=60).stdout.decode()
    return [" ".join(p.split()) for p in out.split("\f")][: _pages(pdf)]


@pytest.fixture(scope="module")
def pdf(demo) -> bytes:
    _chromium()
    return render_pdf(demo, RenderOptions())


@pytest.mark.browser
def test_demo_pdf_is_short_and_has_every_failure_with_its_fix(demo, pdf, tmp_path):
    _poppler("pdfinfo")
    _poppler("pdftotext")
    assert _pages(pdf) <= MAX_PAGES
    text = " ".join(_page_texts(pdf, tmp_path))
    for f in demo.findings_with("fail"):
        assert " ".join(f.title.split()) in text, f.rule_id
        assert " ".join(f.remediation.replace("`", "").split())[:60] in text, f"no fix for {f.rule_id}"
    assert "Your platforms" in text and "What to fix first" in text and "Checks that passed" in text
    assert "Technical appendix" not in text  # opt-in for paper


@pytest.mark.browser
def test_demo_pdf_appendix_is_opt_in(demo, pdf, tmp_path):
    _poppler("pdfinfo")
    _poppler("pdftotext")
    full = render_pdf(demo, RenderOptions(appendix=True))
    assert _pages(full) > _pages(pdf)
    plain = " ".join(_page_texts(pdf, tmp_path))
    text = " ".join(_page_texts(full, tmp_path))
    assert "Technical appendix: the evidence" in text
    # the facts each finding read are printed only in the appendix
    facts = {k for f in demo.findings_with("fail") for k in f.evidence if k not in plain}
    assert facts and all(k in text for k in facts)


def _headings(demo: Result) -> list[str]:
    doc = parse_html(render_html(demo, RenderOptions(printed=True)))
    return [text for _, text in doc.headings if text]


@pytest.mark.browser
def test_no_heading_is_left_alone_at_the_foot_of_a_page(demo, pdf, tmp_path):
    _poppler("pdftotext")
    headings = _headings(demo)
    pages = _page_texts(pdf, tmp_path)
    for n, page in enumerate(pages, 1):
        body = re.sub(r"\s*Page \d+ of \d+\s*$", "", page).strip()
        for heading in headings:
            # neither the whole heading nor its first line(s) may be the last thing on a page
            for cut in range(len(heading), min(12, len(heading)) - 1, -1):
                assert not body.endswith(heading[:cut]), f"page {n} ends with the heading {heading!r}"


@pytest.mark.browser
def test_a_table_that_runs_onto_the_next_page_repeats_its_header(demo, pdf, tmp_path):
    _poppler("pdftotext")
    pages = _page_texts(pdf, tmp_path)
    header = "Severity Problem, and where Effort"  # the fix list is the demo's longest table
    first = next(i for i, page in enumerate(pages) if "What to fix first" in page)
    last_row = " ".join(build_view(demo, RenderOptions()).fix_first[-1].message.split())[:30]
    last = next(i for i in range(first, len(pages)) if last_row in pages[i])  # before the findings repeat it
    assert last > first, "the demo's fix list is expected to run over two pages"
    for i in range(first, last + 1):
        assert header in pages[i], f"page {i + 1} continues the fix list without its header row"


def test_html_folds_the_technical_appendix_and_keeps_fact_paths_out_of_the_findings(demo):
    html = render_html(demo, RenderOptions())
    doc = parse_html(html)
    details = [e for e in doc.all("details") if "evidence-item" in (e.attrs.get("class") or "")]
    failed_or_unchecked = demo.findings_with("fail", "error")
    assert len(details) == len(failed_or_unchecked)
    assert all("open" not in d.attrs for d in details)  # collapsed until the reader opens one
    # the raw facts (fact paths as keys) are in the appendix, not in the finding blocks above it
    body, appendix = html.split('<section id="evidence"', 1)
    keys = {k for f in failed_or_unchecked for k in f.evidence}
    assert keys
    for key in keys:
        assert f"<code>{key}</code>" not in body and f"<code>{key}</code>" in appendix


def test_platforms_table_says_what_each_platform_needs(demo):
    doc = parse_html(render_html(demo, RenderOptions()))
    section = doc.text.split("Your platforms", 2)[2].split("What to fix first", 1)[0]
    zoom = section.split("Zoom", 1)[1].split("SimplePractice", 1)[0]
    # consumer Zoom: the vendor signs no BAA on this plan, so the step is to move, not to sign
    assert zoom.split()[:6] == ["Zoom", "Communications", "Zoom", "no", "No", "BAA"]  # plan, BAA available
    assert "Move client data to a plan that signs a BAA, such as Zoom for Healthcare or Doxy.me" in zoom
    assert "Sign the vendor's BAA" not in zoom
    workspace = section.split("Google Workspace", 1)[1]
    assert "Require multi-factor sign-in for every account" in workspace
    assert "Nothing to do" in section.split("SimplePractice", 1)[1].split("Google Workspace", 1)[0]


@pytest.fixture(scope="module")
def phone(demo, tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python drives the browser")
    browser_path = _chromium()
    path = tmp_path_factory.mktemp("phone") / "report.html"
    path.write_text(render_html(demo, RenderOptions()), encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(path.as_uri())
        yield page
        browser.close()


@pytest.mark.browser
def test_chart_labels_are_readable_on_a_phone(phone):
    sizes = phone.evaluate("""[...document.querySelectorAll('svg text')].map(
        t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)""")
    assert sizes and min(sizes) >= 12, f"smallest chart text is {min(sizes):.1f} px"


@pytest.mark.browser
def test_tables_fit_a_phone_or_show_that_they_scroll(phone):
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391  # the page itself never scrolls sideways
    wraps = phone.evaluate("""[...document.querySelectorAll('.table-wrap')].map(w => ({
        fits: w.scrollWidth <= w.clientWidth + 1,
        scrolls: ['auto', 'scroll'].includes(getComputedStyle(w).overflowX),
        hint: getComputedStyle(w).backgroundImage.includes('gradient'),
        text: w.innerText.slice(0, 40)}))""")
    assert wraps
    for w in wraps:
        assert w["fits"] or (w["scrolls"] and w["hint"]), f"table {w['text']!r} is cut off with no sign"
    # the area table reflows: its coverage column is on screen, not cut off
    coverage = phone.evaluate("""(() => { const c = [...document.querySelectorAll('#categories td')]
        .find(td => td.dataset.label === 'Coverage'); const r = c.getBoundingClientRect();
        return [r.left, r.right, r.width]; })()""")
    assert coverage[2] > 0 and coverage[1] <= 390


def test_markdown_has_the_platforms_table_too(demo):
    from cyberaudit.render.markdown import render_markdown

    md = render_markdown(demo, RenderOptions())
    assert "\n## Your platforms\n" in md
    assert md.index("## Your platforms") < md.index("## Scores by area") < md.index("## What was checked")
    zoom = next(line for line in md.splitlines() if line.startswith("| Zoom |"))
    cells = [c.strip() for c in zoom.strip("|").split("|")]
    assert cells[2:4] == ["no", "no"]  # the vendor signs no BAA on this plan; none is signed
    assert "Move client data to a plan that signs a BAA, such as Zoom for Healthcare or Doxy.me" in cells[6]
