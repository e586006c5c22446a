"""The HTML report in a real headless Chromium: no console errors, no requests, fits a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from cyberaudit.diff import diff_results
from cyberaudit.errors import InputError
from cyberaudit.history import trend_of
from cyberaudit.render import RenderOptions
from cyberaudit.render.html import render_html
from tests.render.sample import hostile_result, later_result, sample_result

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python drives the browser")
    from cyberaudit.render.pdf import find_chromium

    try:
        executable = find_chromium()
    except InputError:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser, html: str, tmp_path: Path, name: str, width: int, height: int):
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    return page, path, requests, console


@pytest.mark.parametrize("name,width,height", [("desktop", 1280, 900), ("phone", 390, 844)])
def test_report_renders_offline_without_errors(browser, tmp_path, name, width, height):
    old, new = sample_result(), later_result()
    html = render_html(new, RenderOptions(changes=diff_results(old, new), trend=trend_of([old, new])))
    page, path, requests, console = _open(browser, html, tmp_path, name, width, height)
    try:
        assert requests == [path.as_uri()], "the report fetched something besides itself"
        assert console == []
        assert page.title() == "Security and privacy audit: Lakeside Counseling"
        # readable on a phone: nothing makes the whole page scroll sideways
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + 1
        assert page.locator("svg[role=img]").count() >= 3
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"report-{name}.png"), full_page=True)
    finally:
        page.close()


def test_hostile_strings_do_not_run_in_the_browser(browser, tmp_path):
    page, path, requests, console = _open(browser, render_html(hostile_result(), RenderOptions()), tmp_path,
                                          "hostile", 1024, 768)
    try:
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.images.length") == 0
        assert requests == [path.as_uri()]  # the planted <img src=x> never loaded
        assert console == []
        assert '<script>alert("x")</script>' in page.inner_text("body")
    finally:
        page.close()
