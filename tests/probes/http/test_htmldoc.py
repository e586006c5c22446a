"""parse_html: resources, forms, labels, links, base href and robustness to broken or huge markup."""

from __future__ import annotations

from cyberaudit.probes.http import htmldoc
from cyberaudit.probes.http.htmldoc import parse_html, srcset_urls

PAGE = "https://www.practice.example/contact/index.html"


def test_resources_of_every_kind_resolve_against_the_page():
    doc = parse_html(
        """<html><head><title>  Contact
        us </title>
        <link rel="Stylesheet" href="/css/site.css"><link rel="icon" href="fav.ico">
        <script src="http://cdn.example/lib.js"></script></head>
        <body><img src="a.png" srcset="b.png 1x, https://img.example/c,d.png 2x">
        <picture><source srcset="e.webp"></picture>
        <iframe src="//video.example/embed"></iframe><frame src="f.html">
        <video src="v.mp4" poster="p.jpg"></video><audio src="s.mp3"></audio>
        <embed src="x.swf"><object data="o.pdf"></object>
        <input type="image" src="go.png">
        <img src="data:image/png;base64,AAAA"><script src="javascript:void(0)"></script>
        </body></html>""", PAGE)
    assert doc.title == "Contact us"
    got = {(r.tag, r.attr, r.absolute) for r in doc.resources}
    assert got == {
        ("link", "href", "https://www.practice.example/css/site.css"),
        ("link", "href", "https://www.practice.example/contact/fav.ico"),
        ("script", "src", "http://cdn.example/lib.js"),
        ("img", "src", "https://www.practice.example/contact/a.png"),
        ("img", "srcset", "https://www.practice.example/contact/b.png"),
        ("img", "srcset", "https://img.example/c,d.png"),
        ("source", "srcset", "https://www.practice.example/contact/e.webp"),
        ("iframe", "src", "https://video.example/embed"),
        ("frame", "src", "https://www.practice.example/contact/f.html"),
        ("video", "src", "https://www.practice.example/contact/v.mp4"),
        ("video", "poster", "https://www.practice.example/contact/p.jpg"),
        ("audio", "src", "https://www.practice.example/contact/s.mp3"),
        ("embed", "src", "https://www.practice.example/contact/x.swf"),
        ("object", "data", "https://www.practice.example/contact/o.pdf"),
        ("input", "src", "https://www.practice.example/contact/go.png"),
    }
    rels = {r.absolute.rsplit("/", 1)[1]: r.rel for r in doc.resources if r.tag == "link"}
    assert rels == {"site.css": "stylesheet", "fav.ico": "icon"}


def test_base_href_changes_resolution_but_not_an_empty_form_action():
    doc = parse_html(
        """<head><base href="https://static.example/assets/"><base href="/ignored/"></head>
        <img src="logo.png"><a href="about">About</a>
        <form method=post><input name=q></form><form action="send"></form>""", PAGE)
    assert doc.base_url == "https://static.example/assets/"
    assert doc.resources[0].absolute == "https://static.example/assets/logo.png"
    assert doc.links[0].absolute == "https://static.example/assets/about"
    assert doc.forms[0].action == ""
    assert doc.forms[0].absolute_action == PAGE
    assert doc.forms[0].method == "POST"
    assert doc.forms[1].absolute_action == "https://static.example/assets/send"
    assert doc.forms[1].method == "GET"


def test_javascript_base_is_ignored():
    doc = parse_html('<base href="javascript:alert(1)"><img src="x.png">', PAGE)
    assert doc.base_url == PAGE


def test_form_fields_and_their_labels():
    doc = parse_html(
        """<form action="http://intake.example/submit" method="POST">
          <label for="fn">First name</label><input id="fn" name="first" type="text">
          <label>Date of birth <input name="dob" type="date"></label>
          <label><input type=checkbox name=consent> I agree</label>
          <input name="email" type="email" placeholder="Your e-mail">
          <textarea name="reason" aria-label="Reason for visit"></textarea>
          <select name="insurer"><option>A</option></select>
          <input type="hidden" name="csrf" value="x">
          <input name="nolabel">
          <input type="submit" name="go" value="Send"><button name="b">Send</button>
        </form>
        <input name="orphan"><input name="late" form="f2">
        <form id="f2"></form>""", PAGE)
    form = doc.forms[0]
    assert form.absolute_action == "http://intake.example/submit"
    assert form.method == "POST"
    assert [(f.name, f.type, f.label) for f in form.fields] == [
        ("first", "text", "First name"),
        ("dob", "date", "Date of birth"),
        ("consent", "checkbox", "I agree"),
        ("email", "email", "Your e-mail"),
        ("reason", "textarea", "Reason for visit"),
        ("insurer", "select", None),
        ("csrf", "hidden", None),
        ("nolabel", "text", None),
    ]
    assert [f.name for f in doc.forms[1].fields] == ["late"]


def test_noscript_resources_and_inline_scripts():
    doc = parse_html(
        """<script>window.dataLayer=[];</script>
        <script type="application/ld+json">{"@type": "Organization"}</script>
        <script type="module">import "./m.js";</script>
        <noscript><img src="https://www.facebook.com/tr?id=1&ev=PageView"></noscript>
        <img src="/visible.png">""", PAGE)
    assert doc.inline_scripts == ("window.dataLayer=[];", 'import "./m.js";')
    noscript = [r for r in doc.resources if r.in_noscript]
    assert [r.absolute for r in noscript] == ["https://www.facebook.com/tr?id=1&ev=PageView"]
    assert [r.in_noscript for r in doc.resources] == [True, False]


def test_links_text_and_rel():
    doc = parse_html(
        """<a href="/privacy" rel="Privacy-Policy">Privacy
        <b>policy</b></a><a href="/home"><img src="h.png" alt="Home"></a>
        <a href="mailto:x@practice.example">mail</a><area href="/map" alt="x">""", PAGE)
    assert [(link.absolute, link.text, link.rel) for link in doc.links] == [
        ("https://www.practice.example/privacy", "Privacy policy", "privacy-policy"),
        ("https://www.practice.example/home", "Home", None),
        ("mailto:x@practice.example", "mail", None),
        ("https://www.practice.example/map", "", None),
    ]


def test_meta_refresh_target():
    assert parse_html('<meta http-equiv="Refresh" content="0; URL=\'/new\'">', PAGE).meta_refresh == \
        "https://www.practice.example/new"
    assert parse_html('<meta http-equiv="refresh" content="30">', PAGE).meta_refresh is None
    assert parse_html("<p>no refresh</p>", PAGE).meta_refresh is None


def test_broken_markup_keeps_what_it_can():
    doc = parse_html(
        """<html><head><title>Broken</title><body><img src=a.png <img src="b.png">
        <form action=/x><input name=a><form action=/nested><input name=b>
        </div></span></p><a href="/c">c<script src="s.js"></script>
        <![if !IE]><x-y =zz><img src="/after.png"><!-- unterminated""", PAGE)
    urls = {r.absolute for r in doc.resources}
    assert "https://www.practice.example/after.png" in urls
    assert "https://www.practice.example/contact/s.js" in urls
    # the nested <form> start tag is ignored, as browsers do
    assert len(doc.forms) == 1
    assert [f.name for f in doc.forms[0].fields] == ["a", "b"]
    # the comment left open at the end hides nothing that follows, but the page says so
    assert doc.partial is not None and "comment is never closed" in doc.partial


def test_garbage_never_raises():
    for junk in ["", "<", "<<<>>>", "<!", "<![CDATA[", "<a href='", "\x00\ufffd<img src=\x00>",
                 "<base href='http://[::1'>", "<a href='http://[bad'>x</a>", "</" * 1000]:
        doc = parse_html(junk, PAGE)
        assert doc.base_url == PAGE


def test_input_and_lists_are_capped(monkeypatch):
    monkeypatch.setattr(htmldoc, "MAX_ITEMS", 10)
    doc = parse_html("<img src=x.png>" * 50, PAGE)
    assert len(doc.resources) == 10
    assert doc.truncated
    monkeypatch.setattr(htmldoc, "MAX_HTML_CHARS", 100)
    doc = parse_html("<p>" + "x" * 200 + "<img src=late.png>", PAGE)
    assert doc.resources == ()
    assert doc.truncated


def test_inline_script_is_capped(monkeypatch):
    monkeypatch.setattr(htmldoc, "MAX_INLINE_SCRIPT_CHARS", 50)
    doc = parse_html("<script>" + "a" * 500 + "</script>", PAGE)
    assert doc.inline_scripts == ("a" * 50,)


def test_srcset_parsing():
    assert srcset_urls("a.png 1x,b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls(" a.png, b.png 480w ,c.png") == ["a.png", "b.png", "c.png"]
    assert srcset_urls("img.php?size=(1,2) 100w, d.png") == ["img.php?size=(1,2)", "d.png"]
    assert srcset_urls("") == []


def test_a_submit_buttons_formaction_is_another_destination_of_its_form():
    doc = parse_html(
        """<form action="/send" id="f"><input name=diagnosis>
        <button formaction="http://forms.evil.example/collect">Send</button>
        <button type="button" formaction="http://ignored.example/">Not a submitter</button>
        <input type="submit" formaction="/alt"><input type="image" src="go.png" formaction="">
        </form>
        <button form="f" formaction="https://other.example/post">Outside</button>""", PAGE)
    form = doc.forms[0]
    assert form.absolute_action == "https://www.practice.example/send"
    assert form.submit_actions == ("http://forms.evil.example/collect", "https://www.practice.example/alt",
                                   PAGE, "https://other.example/post")
    assert form.destinations[0] == form.absolute_action
    assert [f.name for f in form.fields] == ["diagnosis"]
    assert "http://ignored.example/" not in form.destinations
