"""The HTML report: self-contained, structured for a reader, accessible, brandable."""

from __future__ import annotations

import base64
import re

import pytest

from cyberaudit.diff import diff_results
from cyberaudit.errors import InputError
from cyberaudit.history import trend_of
from cyberaudit.render import FORMATS, RenderOptions, write_report
from cyberaudit.render.html import render_html
from cyberaudit.render.templating import anchor
from tests.render.htmlparse import parse_html
from tests.render.sample import MAIL, PORTAL, SITE, SITE2, compacted, later_result, sample_result

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(sample_result(), RenderOptions())


@pytest.fixture(scope="module")
def doc(html):
    return parse_html(html)


def test_is_self_contained_and_loads_nothing(html, doc):
    assert not doc.all("script")
    assert not doc.all("link"), "no stylesheets or fonts from elsewhere"
    for el in doc.elements:
        for attr in ("src", "href", "action", "srcset", "poster", "data"):
            value = el.attrs.get(attr)
            if value is not None:
                assert value.startswith(("#", "data:")), f"<{el.tag} {attr}={value!r}> would leave the file"
    assert "@import" not in html and "url(" not in html
    csp = [e for e in doc.all("meta") if (e.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and csp[0].attrs["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def test_headings_are_in_order_and_sections_present(doc):
    levels = [lvl for lvl, _ in doc.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for prev, cur in zip(levels, levels[1:], strict=False):
        assert cur <= prev + 1, f"heading level jumps from h{prev} to h{cur}"
    h2 = [t for lvl, t in doc.headings if lvl == 2]
    # the sample's second website refuses connections and its portal times out: said first, once
    assert h2 == ["2 targets could not be reached", "Summary", "Scores by area", "What was checked",
                  "Checks that passed", "Could not be checked", "How the score is calculated", "Appendix",
                  "Technical appendix: the evidence"]
    assert [t for lvl, t in doc.headings if lvl == 3][:2] == ["Your platforms", "What to fix first"]
    h3 = [t for lvl, t in doc.headings if lvl == 3]
    for target in (SITE, SITE2, PORTAL, MAIL, "Zoom for Healthcare", "Shared Drive"):
        assert any(t.endswith(target) for t in h3), target
    html_el = doc.all("html")[0]
    assert html_el.attrs.get("lang") == "en"


def test_summary_states_grade_score_coverage_and_fix_order(html, doc):
    r = sample_result()
    card = r.scores.overall
    assert f"scored {card.score:.1f} out of 100 (grade {card.grade})" in doc.text
    assert f"Coverage: {card.coverage}%" in doc.text
    # each row of the fix list links to its finding, whose id names the rule and the target
    rule_of = {f"{anchor(f.rule_id)}-{anchor(f.target)}": f.rule_id for f in r.findings}
    ids = [rule_of[a] for a in re.findall(r'<td class="problem"><a href="#([^"]+)"', html)]
    # critical first, then high (low effort before medium), medium, low; info rules are notes, not fixes
    assert ids[:2] == ["ENC-PLATFORM-BAA", "PRIV-TRACKERS-ON-FORMS"]
    assert ids[2] == "TLS-PROTOCOL-LEGACY"  # high severity, low effort
    assert set(ids[3:5]) == {"MAIL-DMARC-ENFORCED", "MFA-USER-COVERAGE"}
    assert ids[-1] == "DNS-DNSSEC"  # low
    # info rules are notes, not problems to fix; the headline counts exactly what is listed
    failed_rules = {f.rule_id for f in r.findings if f.status == "fail" and f.severity != "info"}
    assert "HTTP-SECURITY-TXT" not in ids and set(ids) == failed_rules
    notes = doc.text.split("What to fix first", 1)[1].split("Notes", 1)[1]
    assert "HTTP-SECURITY-TXT" in notes and "Worth knowing, not problems to fix" in notes
    assert f"{len(ids)} problems need fixing" in doc.text


def test_every_failure_shows_evidence_remediation_and_references(html, doc):
    r = sample_result()
    articles = {e.attrs["id"] for e in doc.all("article")}
    for f in r.findings:
        if f.status in ("fail", "error"):
            assert f"{anchor(f.rule_id)}-{anchor(f.target)}" in articles, f"{f.rule_id} on {f.target} has no section"
    assert "jane.doe@lakeside.example" in doc.text and "Bob.Smith@Lakeside.example" in doc.text  # list evidence
    assert "connect.facebook.net (Meta Pixel)" in doc.text
    assert "How to fix TLS-PROTOCOL-LEGACY" in doc.text
    assert "HIPAA 45 CFR 164.312(e)(1); NIST SP 800-52r2" in doc.text
    assert "Why TLS-PROTOCOL-LEGACY matters" in doc.text


def test_errors_are_explained_not_passed(doc):
    section = doc.text.split("Could not be checked These checks", 1)[1].split("How the score", 1)[0]
    assert "nothing that could not be checked ever counts as passed" in section
    assert "The TLS check timed out after 5 s." in section
    assert "connection refused" in section


def test_appendix_lists_waived_and_not_applicable(doc):
    appendix = doc.text.split("Appendix", 2)[-1]
    assert "CSP rollout scheduled with the web agency" in appendix
    assert "2026-12-10" in appendix
    assert "The site sets no cookies." in appendix and "Not a video platform." in appendix
    assert "Registrar cannot sign" not in appendix  # an expired waiver is a failure again, not waived


def test_scoring_arithmetic_is_shown(doc):
    o = sample_result().scores.overall
    assert f"passed weight {o.weight_pass} ÷ total weight {o.weight_total} = {o.score}" in doc.text
    assert "a critical rule failed (grade capped at D)" in doc.text or o.cap is None
    for sev in ("Critical", "High", "Medium", "Low", "Info"):
        assert sev in doc.text
    assert "Weight 10 6 3 1 0" in doc.text


def test_footer_names_tool_version_and_packs(doc):
    footer = doc.text.split("Produced by", 1)[1]
    assert "cyberaudit 0.1.0" in footer
    for pack in ("tls", "http", "priv", "mail", "enc", "mfa", "ret", "dns"):
        assert f" {pack} 1.0.0 " in footer


def test_charts_are_svg_with_text_alternatives(doc):
    svgs = doc.all("svg")
    assert len(svgs) >= 2  # grade and categories
    for svg in svgs:
        assert svg.attrs.get("role") == "img"
        assert svg.attrs.get("aria-labelledby"), "each chart names its <title>"
        assert svg.attrs["aria-labelledby"] in doc.ids()


def test_history_adds_changes_and_score_over_time():
    old, new = sample_result(), later_result()
    changes = diff_results(old, new)
    doc = parse_html(render_html(new, RenderOptions(changes=changes, trend=trend_of([old, new]))))
    h2 = [t for lvl, t in doc.headings if lvl == 2]
    assert "Changes since the last scan" in h2
    text = doc.text.split("Changes since the last scan", 2)[2]
    assert f"score {old.scores.overall.score} → {new.scores.overall.score}" in text
    assert "New problems: 1" in text and "Fixed: 2" in text
    assert "Score over time" in text
    trend_svg = [s for s in doc.all("svg") if s.attrs.get("aria-labelledby") == "trend-title"]
    assert trend_svg
    assert doc.all("polyline")


def test_branding_title_organization_and_png_logo(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1PX)
    html = render_html(sample_result(), RenderOptions(title="Quarterly review", organization="Acme Consulting",
                                                      logo=logo))
    doc = parse_html(html)
    assert doc.headings[0] == (1, "Quarterly review")
    assert "Acme Consulting" in doc.text
    imgs = doc.all("img")
    assert len(imgs) == 1 and imgs[0].attrs["src"].startswith("data:image/png;base64,")
    assert base64.b64decode(imgs[0].attrs["src"].split(",", 1)[1]) == PNG_1PX
    assert imgs[0].attrs.get("alt")


def test_svg_logo_with_script_is_embedded_inert(tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
                    '<script>alert(2)</script><rect width="10" height="10"/></svg>')
    html = render_html(sample_result(), RenderOptions(logo=logo))
    doc = parse_html(html)
    assert not doc.all("script")
    assert "onload" not in html and "alert" not in html  # only inside the base64 image, never as markup
    assert doc.all("img")[0].attrs["src"].startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize("content,problem", [
    (b"GIF89a....", "must be a PNG, JPEG or SVG"),
    (b"<html><body>not an image</body></html>", "must be a PNG, JPEG or SVG"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "must be a PNG, JPEG or SVG"),
])
def test_bad_logo_is_an_input_error_naming_the_file(tmp_path, content, problem):
    logo = tmp_path / "logo.gif"
    logo.write_bytes(content)
    with pytest.raises(InputError) as exc:
        render_html(sample_result(), RenderOptions(logo=logo))
    assert str(logo) in str(exc.value) and problem in str(exc.value)


def test_missing_logo_is_reported(tmp_path):
    with pytest.raises(InputError, match="logo file not found"):
        RenderOptions(logo=tmp_path / "nope.png").validate()


def test_template_dir_overrides_a_builtin_template(tmp_path):
    (tmp_path / "style.css.j2").write_text("body { color: #123456; }\n")
    html = render_html(sample_result(), RenderOptions(template_dir=tmp_path))
    assert "#123456" in html
    assert "Scores by area" in html  # the rest still comes from the built-in templates


def test_template_dir_cannot_disable_escaping_of_scan_data(tmp_path):
    (tmp_path / "report.html.j2").write_text("<h1>{{ view.result.findings[0].message }}</h1>\n")
    from tests.render.sample import hostile_result

    html = render_html(hostile_result(), RenderOptions(template_dir=tmp_path))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_broken_user_template_is_an_input_error_with_file_and_line(tmp_path):
    (tmp_path / "report.html.j2").write_text("<h1>ok</h1>\n{% if %}\n")
    with pytest.raises(InputError) as exc:
        render_html(sample_result(), RenderOptions(template_dir=tmp_path))
    assert "report.html.j2:2" in str(exc.value)


def test_sandbox_keeps_templates_away_from_python_internals(tmp_path):
    (tmp_path / "report.html.j2").write_text("{{ view.__class__.__init__.__globals__ }}\n")
    with pytest.raises(InputError, match="template error"):
        render_html(sample_result(), RenderOptions(template_dir=tmp_path))


def test_long_evidence_lists_are_cut_for_the_reader():
    from dataclasses import replace

    r = sample_result()
    files = [f"/srv/recordings/session-{i:03}.mp4" for i in range(40)]
    findings = tuple(replace(f, evidence={"retention.stale_files": files}) if f.rule_id == "RET-STALE-FILES" else f
                     for f in r.findings)
    doc = parse_html(render_html(replace(r, findings=findings), RenderOptions()))
    assert "session-024.mp4" in doc.text and "session-025.mp4" not in doc.text
    assert "… and 15 more" in doc.text


def test_ids_are_unique_even_when_targets_look_alike():
    from dataclasses import replace

    r = sample_result()
    twin = [replace(f, target=f.target.replace("lakeside.example", "lakeside-example")) for f in r.findings
            if "lakeside.example" in f.target]
    doc = parse_html(render_html(replace(r, findings=r.findings + tuple(twin)), RenderOptions()))
    ids = [e.attrs["id"] for e in doc.elements if e.attrs.get("id")]
    assert len(ids) == len(set(ids))
    links = {e.attrs["href"][1:] for e in doc.all("a")}
    assert links <= set(ids), "every in-page link has its target"


def test_report_file_is_written_in_pieces_as_the_same_html(tmp_path):
    path = write_report(compacted(sample_result()), tmp_path / "r.html", FORMATS["html"], RenderOptions())
    assert path.read_text(encoding="utf-8") == render_html(sample_result(), RenderOptions())


def test_template_failing_halfway_leaves_no_half_report(tmp_path):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report.html.j2").write_text("<h1>start</h1>\n{{ '<p>x</p>' * 5000 }}\n"
                                                     "{{ view.no_such_field }}\n")
    (tmp_path / "r.html").write_text("an earlier report")
    with pytest.raises(InputError, match="template error"):
        write_report(sample_result(), tmp_path / "r.html", FORMATS["html"],
                     RenderOptions(template_dir=tmp_path / "tpl"))
    assert not (tmp_path / "r.html").exists()
