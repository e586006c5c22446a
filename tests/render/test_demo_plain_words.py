"""The real demo practice, rendered: what people read is plain words; internals stay in the appendix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from cyberaudit.demo.run import run_demo
from cyberaudit.gate import check_gate
from cyberaudit.render import RenderOptions
from cyberaudit.render.html import render_html
from cyberaudit.render.markdown import render_markdown
from cyberaudit.result import Result
from tests.render.htmlparse import parse_html

REPR = ("['", "{'", '{"', "': ")
PY_CONSTANT = re.compile(r"(?<![=\w])(None|True|False)(?![=\w])")  # SameSite=None is the header's own word


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Result:
    return run_demo(tmp_path_factory.mktemp("demo") / "out").result


@pytest.fixture(scope="module")
def html(demo: Result) -> str:
    return render_html(demo, RenderOptions())


@pytest.fixture(scope="module")
def markdown(demo: Result) -> str:
    return render_markdown(demo, RenderOptions())


def _html_body(html: str) -> str:
    """The text a reader reads, before the appendix (and without the report's own style sheet)."""
    return parse_html(re.sub(r"(?s)<style>.*?</style>", "", html.split('id="appendix"', 1)[0])).text


def _md_body(md: str) -> str:
    rendered = MarkdownIt("commonmark").enable("table").render(md.split("\n## Appendix\n", 1)[0])
    return parse_html(rendered).text


def _fact_paths(result: Result) -> set[str]:
    """Every fact path a finding recorded, and every one its conditions name."""
    paths = {key for f in result.findings for key in f.evidence}
    for f in result.findings:
        for detail in f.details:
            paths.update(m.group(0) for m in re.finditer(r"\b[a-z]+(\.[a-z0-9_-]+)+(\[\])?", detail)
                         if m.group(0).split(".")[0] in {t.split(".")[0] for t in paths})
    return {p for p in paths if "." in p}


def _assert_plain(body: str, paths: set[str]) -> None:
    for path in sorted(paths):
        assert path not in body, f"fact path {path} in the report body"
    assert "expected" not in body
    for token in REPR:
        assert token not in body, f"raw value {token!r} in the report body"
    assert not PY_CONSTANT.search(body)
    assert " is unknown" not in body and "value: unknown" not in body
    assert "`" not in body  # literal Markdown backticks


def test_html_body_has_no_fact_paths_conditions_or_raw_values(demo: Result, html: str) -> None:
    _assert_plain(_html_body(html), _fact_paths(demo))


def test_markdown_body_has_no_fact_paths_conditions_or_raw_values(demo: Result, markdown: str) -> None:
    _assert_plain(_md_body(markdown), _fact_paths(demo))
    assert "&amp;" not in markdown and "Trackers & forms" in markdown  # escaped once, in Markdown's way


@pytest.mark.parametrize("sentence", [
    "The cookie PHPSESSID (set by /) is sent without the Secure flag",
    "The cookie PHPSESSID (set by /) has no HttpOnly flag",
    "Meta Pixel (Meta) loads on /intake, a page with a form.",
    "Hotjar (Contentsquare) records visitors' sessions on /intake.",
    "The server accepts TLS 1.0.",
    "The site sends no Strict-Transport-Security header",
    "The site sends neither X-Frame-Options nor a Content Security Policy frame-ancestors rule",
    "The SPF record ends in ?all",
    "The DMARC policy is p=none, which only monitors",
])
def test_evidence_reads_as_sentences_in_every_format(html: str, markdown: str, sentence: str) -> None:
    assert sentence in _html_body(html)
    assert sentence in _md_body(markdown)


def test_a_cut_list_says_how_many_more_and_the_appendix_has_them_all(demo: Result, html: str,
                                                                      markdown: str) -> None:
    trackers = next(f for f in demo.findings if f.rule_id == "PRIV-TRACKERS")
    hidden = trackers.evidence_text[8:]
    assert hidden, "the demo's tracker list is longer than a finding shows"
    more = f"and {len(hidden)} more, listed in the technical appendix"
    assert more in _html_body(html) and more in _md_body(markdown)
    appendix = parse_html(html.split('id="appendix"', 1)[1]).text
    assert all(line in appendix for line in hidden)
    assert hidden[0] not in _html_body(html)
    # the technical appendix keeps what the body leaves out: fact paths and conditions
    assert "privacy.trackers" in appendix and "http.cookies" in appendix and "expected" in appendix


def test_what_to_fix_first_lists_failures_and_counts_them_once(demo: Result, html: str, markdown: str) -> None:
    summary = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    listed = re.findall(r'<td class="problem">', summary)  # one row per problem
    count = int(re.search(r"(\d+) problems need fixing", parse_html(html).text).group(1))
    assert count == len(listed)
    md_fix = markdown.split("### What to fix first", 1)[1].split("\n## ", 1)[0]
    md_items = re.findall(r"(?m)^\d+\. ", md_fix)
    assert len(md_items) == count and f"{count} problems need fixing" in markdown
    # the failure's own words, not the rule's goal
    failed = {f.rule_id: f for f in demo.findings if f.status == "fail"}
    assert failed["MAIL-DMARC-ENFORCED"].message in _md_body(md_fix)
    assert failed["MAIL-DMARC-ENFORCED"].title not in md_fix


def test_one_rounding_for_the_score_and_the_gate_says_it_uses_the_exact_ratio(demo: Result, html: str,
                                                                             markdown: str) -> None:
    shown = f"{demo.scores.overall.score:.1f}"
    assert f"scored {shown} out of 100" in _html_body(html)
    assert f"scored {shown} out of 100" in markdown
    gate = check_gate(demo, fail_under=99.0)
    assert gate.reasons[0].startswith(f"score {shown} is below 99 (the gate compares the exact score, ")


def test_demo_report_written_by_the_cli_is_plain_too(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    proc = cli("demo", "--output-dir", str(tmp_path / "d"), "--quiet", "--format", "markdown")
    assert proc.code == 0, proc.err
    md = (tmp_path / "d" / "report.md").read_text(encoding="utf-8")
    assert "Trackers & forms" in md and "expected" not in _md_body(md)
