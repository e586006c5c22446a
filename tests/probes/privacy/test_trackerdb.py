"""The built-in tracker database and its loader."""

from __future__ import annotations

import textwrap

import pytest

from cyberaudit.errors import InputError
from cyberaudit.probes.privacy.trackerdb import CATEGORIES, builtin_database, load_database


def test_builtin_database_size_and_categories():
    db = builtin_database()
    assert len(db.domains) >= 150
    assert len(db.companies) >= 60
    assert {e.category for e in db.entries} <= set(CATEGORIES)
    (info,) = db.lists
    assert (info.name, info.licence, info.domains) == ("cyberaudit trackers", "MIT (same as cyberaudit)", len(db.domains))


def test_builtin_database_is_shipped_inside_the_package():
    from cyberaudit.resources import data_dir

    assert (data_dir() / "trackers.yaml").is_file()
    assert data_dir().parent.name == "cyberaudit"


@pytest.mark.parametrize("snippet, product", [
    ("fbq('init', '1');", "Meta Pixel"),
    ('gtag("config", "G-ABC");', "Google Analytics"),
    ("gtag('config', 'AW-123');", "Google Ads conversion tracking and remarketing"),
    ("h._hjSettings={hjid:1,hjsv:6};", "Hotjar"),
    ("ttq.load('X'); ttq.page();", "TikTok Pixel"),
    ('_linkedin_partner_id = "1";', "LinkedIn Insight Tag"),
    ('(window, document, "clarity", "script", "abc");', "Microsoft Clarity"),
    ("snaptr('init', 'x');", "Snap Pixel"),
    ("pintrk('load', '123');", "Pinterest Tag"),
    ("twq('config','o1');", "X Pixel (Twitter conversion tracking)"),
    ("window.criteo_q = window.criteo_q || [];", "Criteo OneTag"),
    ("window['_fs_org'] = 'X';", "FullStory"),
    ("window._mfq = window._mfq || [];", "Mouseflow"),
    ("window.__lo_site_id = 1;", "Lucky Orange"),
    ("smartlook('init', 'k');", "Smartlook"),
    ("//script.crazyegg.com/pages/scripts/0000/0000.js", "Crazy Egg"),
    ('"https://mc.yandex.ru/metrika/tag.js", "ym"', "Yandex Metrica"),
])
def test_inline_signatures(snippet, product):
    assert product in {e.product for e, _ in builtin_database().match_script(snippet)}


def test_longest_domain_wins_and_parents_match():
    db = builtin_database()
    assert db.match_host("px.ads.linkedin.com")[0].product == "LinkedIn Insight Tag"
    assert db.match_host("platform.linkedin.com")[0].category == "social"
    assert db.match_host("region1.google-analytics.com")[1] == "google-analytics.com"
    assert db.match_host("fonts.gstatic.com")[0].product == "Google Fonts"
    assert db.match_host("notgoogle-analytics.com") is None
    assert db.match_host("lakeside.example") is None


def test_cookie_names_map_to_their_tracker():
    db = builtin_database()
    assert db.match_cookie("_fbp").product == "Meta Pixel"
    assert db.match_cookie("_ga_XYZ123").product == "Google Analytics"
    assert db.match_cookie("session") is None


@pytest.mark.parametrize("entry, line, message", [
    ("- {company: A, product: B, category: spying, domains: [a.example]}", 4, "unknown category"),
    ("- {company: A, product: B, category: analytics, domains: [not a domain]}", 4, "not a domain name"),
    ("- {company: A, category: analytics, domains: [a.example]}", 4, "'product' must be non-empty"),
    ("- {company: A, product: B, category: analytics}", 4, "at least one domain or signature"),
    ("- {company: A, product: B, category: analytics, domains: [a.example], colour: red}", 4, "unknown key"),
    ("- {company: A, product: B, category: analytics, signatures: [ab]}", 4, "at least 5 characters"),
])
def test_bad_entries_name_file_and_line(tmp_path, entry, line, message):
    path = tmp_path / "db.yaml"
    path.write_text(textwrap.dedent("""\
        name: test
        version: "1"
        trackers:
        """) + f"  {entry}\n")
    with pytest.raises(InputError) as info:
        load_database(path)
    assert info.value.file == str(path) and info.value.line == line
    assert message in info.value.message


def test_duplicate_domain_is_an_error(tmp_path):
    path = tmp_path / "db.yaml"
    path.write_text("name: t\ntrackers:\n  - {company: A, product: B, category: analytics, domains: [a.example]}\n"
                    "  - {company: C, product: D, category: social, domains: [a.example]}\n")
    with pytest.raises(InputError, match=r"db\.yaml:4:.*already listed"):
        load_database(path)
