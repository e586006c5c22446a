"""PDF: the HTML report printed by headless Chromium, with a cover and page numbers."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import time

import pytest

from cyberaudit.errors import InputError
from cyberaudit.render import RenderOptions
from cyberaudit.render.pdf import PdfError, find_chromium, html_to_pdf, page_count, render_pdf
from tests.render.sample import sample_result


def _browser() -> str:
    try:
        return find_chromium()
    except InputError:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium)")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    _browser()
    return render_pdf(sample_result(), RenderOptions(title="Quarterly review"))


@pytest.mark.browser
def test_pdf_has_pages(pdf):
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    pages = page_count(pdf)
    assert pages >= 2
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=30).stdout.decode()
        assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(pages)


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) reads the page text")
def test_pdf_first_page_and_page_numbers(pdf):
    def page(n: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-", "-"], input=pdf,
                              capture_output=True, timeout=30).stdout.decode()

    total = page_count(pdf)
    first = " ".join(page(1).split())
    # the first page is the one a therapist reads: title, grade and what to fix first
    assert "Quarterly review" in first and "What to fix first" in first and "out of 100" in first
    assert f"Page 1 of {total}" in first
    assert f"Page {total} of {total}" in page(total)


def test_no_browser_is_a_one_line_input_error_saying_how_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv("CYBERAUDIT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError) as exc:
        render_pdf(sample_result(), RenderOptions())
    message = str(exc.value)
    assert "no Chromium browser found" in message and "apt-get install chromium" in message
    assert "CYBERAUDIT_CHROMIUM" in message and "\n" not in message


def test_configured_browser_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("CYBERAUDIT_CHROMIUM", str(tmp_path / "missing-chromium"))
    with pytest.raises(InputError, match="CYBERAUDIT_CHROMIUM points to"):
        find_chromium()


def _program(tmp_path, body: str) -> str:
    path = tmp_path / "fake-browser"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_hanging_browser_is_ended_after_the_timeout(tmp_path):
    browser = _program(tmp_path, "sleep 30 & sleep 30")  # a helper process too, as Chromium has
    started = time.monotonic()
    with pytest.raises(PdfError, match="within 1 s"):
        html_to_pdf("<p>x</p>", browser=browser, timeout=1)
    assert time.monotonic() - started < 8
    if shutil.which("pgrep"):
        out = subprocess.run(["pgrep", "-f", browser], capture_output=True, text=True)
        assert out.stdout.strip() == "", "browser processes outlived the timeout"


def test_a_browser_that_writes_nothing_is_an_error(tmp_path):
    browser = _program(tmp_path, "echo 'cannot open display' >&2; exit 1")
    with pytest.raises(PdfError, match=r"exit 1\): cannot open display"):
        html_to_pdf("<p>x</p>", browser=browser, timeout=10)


@pytest.mark.browser
def test_real_browser_via_environment_variable(monkeypatch):
    browser = _browser()
    monkeypatch.setenv("CYBERAUDIT_CHROMIUM", browser)
    assert page_count(html_to_pdf("<!DOCTYPE html><p>one page</p>")) == 1
