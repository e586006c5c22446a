"""Reading a page as a browser does: its charset, and where its markup ends and text begins."""

from __future__ import annotations

import time

from cyberaudit.probes.http import htmldoc
from cyberaudit.probes.http.decoding import codec_for, decode_html
from cyberaudit.probes.http.htmldoc import parse_html
from cyberaudit.probes.http.htmltokens import attr_unescape

PAGE = "https://www.practice.example/"


def _urls(html: str) -> list[str]:
    return [r.url for r in parse_html(html, PAGE).resources]


def test_charset_labels_are_read_as_browsers_read_them():
    assert codec_for("latin1") == "cp1252" and codec_for("ISO-8859-1") == "cp1252"
    assert codec_for('"UTF-16"') == "utf-16-le" and codec_for("shift_jis") == "cp932"
    assert codec_for("utf-7") is None and codec_for("no-such-charset") is None


def test_meta_charset_in_the_first_kilobyte_and_utf16_there_means_utf8():
    page = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Привет</p>'
    decoded = decode_html(page.encode("koi8-r"), "text/html")
    assert (decoded.charset, decoded.source) == ("koi8-r", "meta") and "Привет" in decoded.text
    assert decode_html(b'<meta charset="utf-16"><p>x</p>', None).charset == "utf-8"
    late = b"<p>" + b" " * 1100 + b'<meta charset="koi8-r">' + "é".encode("cp1252")
    assert decode_html(late, "text/html").source == "detected"


def test_undecodable_bytes_become_replacement_characters_and_are_counted():
    decoded = decode_html(b"<p>caf\xe9 \xff\xfe</p>", "text/html; charset=utf-8")
    assert decoded.text.count("\ufffd") == decoded.replaced == 3
    assert decoded.mismatch is None  # the markup is intact: nothing is hidden
    assert decode_html("<p>\ufffd</p>".encode(), "text/html; charset=utf-8").replaced == 0


def test_attribute_references_follow_the_legacy_rule():
    assert attr_unescape("/t?a=1&copy=2&region=eu") == "/t?a=1&copy=2&region=eu"
    assert attr_unescape("/t?a=1&amp;b=2&#x41;&lt") == "/t?a=1&b=2A<"
    assert _urls('<img src="/p?x=1&reg=2">') == ["/p?x=1&reg=2"]


def test_script_text_ends_where_a_browser_ends_it():
    # inside <!-- ... a <script> start makes the next </script> part of the text
    assert _urls("<script><!--<script></script><img src=a></script><img src=b>") == ["b"]
    assert _urls("<script>if (a<b) x='</scrip';</script><img src=c>") == ["c"]
    assert parse_html("<script>var t = 1;", PAGE).inline_scripts == ("var t = 1;",)


def test_svg_and_math_content():
    assert _urls("<svg><![CDATA[<img src=a>]]></svg><img src=b>") == ["b"]
    # <style> is not raw text inside <svg>, and <img> breaks out of it
    assert _urls("<svg><style><img src=a></style></svg>") == ["a"]


def test_bogus_comments_end_at_the_first_gt():
    assert _urls("</ x><img src=a><? php ><img src=b><!DOCTYPE html 'x><img src=c>") == ["a", "b", "c"]
    assert _urls("</><img src=a>") == ["a"]


def test_pages_beyond_the_bounds_are_marked(monkeypatch):
    assert "nests tags more than 4,096" in parse_html("<span>" * 5000, PAGE).partial
    # elements a browser closes by itself do not nest
    assert parse_html("<p>x" * 5000 + "<li>" * 5000, PAGE).partial is None
    monkeypatch.setattr(htmldoc, "MAX_TAGS", 10)
    assert "more than 10 tags" in parse_html("<br>" * 11, PAGE).partial
    monkeypatch.setattr(htmldoc, "MAX_TAGS", 200_000)
    late = parse_html("<br>" * 3000, PAGE, deadline=time.monotonic() - 1)
    assert late.partial is not None and "took too long" in late.partial


def test_a_tag_left_open_by_the_size_cap_is_not_reported_twice():
    assert "never closed" in parse_html("<img src=a><a href='/x", PAGE).partial
    assert parse_html("<img src=a><a href='/x", PAGE, cut=True).partial is None
    # a bound still counts when the page was cut
    assert parse_html("<span>" * 5000, PAGE, cut=True).partial is not None
