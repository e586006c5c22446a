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
    ('gtag("config", "G-ABC");', "Google Analytics 4"),
    ("gtag('config', 'AW-123');", "Google Ads"),
    ("_gaq.push(['_setAccount', 'UA-1-1']);", "Universal Analytics"),
    ("var pageTracker = _gat._getTracker('UA-1-1');", "Universal Analytics"),
    ("(function(){var s=document.createElement('script');s.src='//25.tctm.co/t.js';})()", "CallTrackingMetrics call tracking"),
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
    assert db.match_cookie("_ga_XYZ123").product == "Google Analytics 4"
    assert db.match_cookie("session") is None


@pytest.mark.parametrize("url, product", [
    ("https://www.googletagmanager.com/gtag/js?id=G-ABC123DEF4", "Google Analytics 4"),
    ("https://www.googletagmanager.com/gtag/js?id=AW-123456789", "Google Ads"),
    ("https://www.googletagmanager.com/gtag/js?id=UA-1234567-1", "Universal Analytics"),
    ("https://www.googletagmanager.com/gtag/js?id=DC-1234567", "Floodlight (Campaign Manager 360)"),
    ("https://www.googletagmanager.com/gtag/js?id=GT-ABCD1234", "Google tag"),
    ("https://www.googletagmanager.com/gtag/js", "Google tag"),
    ("https://www.googletagmanager.com/gtm.js?id=GTM-AB12CD", "Google Tag Manager"),
    ("https://www.googletagmanager.com/ns.html?id=GTM-AB12CD", "Google Tag Manager"),
    ("https://sgtm.lakeside.example/gtm.js?id=GTM-AB12CD", "Google Tag Manager"),  # server-side tagging
    ("https://ssl.google-analytics.com/ga.js", "Universal Analytics"),
    ("https://www.google-analytics.com/analytics.js", "Universal Analytics"),
    ("https://www.google-analytics.com/urchin.js", "Universal Analytics"),
    ("https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123DEF4", "Google Analytics 4"),
    ("https://googleads.g.doubleclick.net/pagead/viewthroughconversion/123/", "Google Ads"),
    ("https://www.facebook.com/tr?id=1234&ev=PageView", "Meta Pixel"),
    ("https://www.facebook.com/plugins/page.php?href=x", "Facebook social plugins and content"),
    ("https://connect.facebook.net/en_US/sdk.js", "Facebook social plugins and content"),
    ("https://connect.facebook.net/en_US/fbevents.js", "Meta Pixel"),
])
def test_addresses_name_the_product_by_tag_id_then_path_then_host(url, product):
    assert builtin_database().match_url(url)[0].product == product


def test_an_id_on_a_first_party_address_that_is_no_tag_loader_names_nothing():
    assert builtin_database().match_url("https://lakeside.example/app.js?id=G-ABC123DEF4") is None


def test_tag_ids_are_found_quoted_in_code_and_as_words_in_attributes():
    db = builtin_database()
    code = "gtag('config', 'G-ABC1234567'); x = \"GTM-AB12CD\"; var font = 'G-SANS'; // G-ZZZ99999 in a comment"
    assert {(e.product, i) for e, i in db.find_ids(code)} == {
        ("Google Analytics 4", "G-ABC1234567"), ("Google Tag Manager", "GTM-AB12CD")}
    assert {i for _e, i in db.find_ids("G-ABC12345, AW-1234567", quoted=False)} == {"G-ABC12345", "AW-1234567"}


def test_every_entry_written_with_ids_or_urls_names_its_vendor_documentation():
    for entry in builtin_database().entries:
        if entry.ids or entry.urls:
            assert entry.reference and entry.reference.startswith("https://"), entry.product


@pytest.mark.parametrize("entry, line, message", [
    ("- {company: A, product: B, category: spying, domains: [a.example]}", 4, "unknown category"),
    ("- {company: A, product: B, category: analytics, domains: [not a domain]}", 4, "not a domain name"),
    ("- {company: A, category: analytics, domains: [a.example]}", 4, "'product' must be non-empty"),
    ("- {company: A, product: B, category: analytics}", 4, "at least one domain or signature"),
    ("- {company: A, product: B, category: analytics, domains: [a.example], colour: red}", 4, "unknown key"),
    ("- {company: A, product: B, category: analytics, signatures: [ab]}", 4, "at least 5 characters"),
    ("- {company: A, product: B, category: analytics, ids: [G]}", 4, "ID prefixes"),
    ("- {company: A, product: B, category: analytics, urls: [nohost]}", 4, "host/path prefix"),
    ("- {company: A, product: B, category: analytics, domains: [a.example], reference: ftp://x}", 4, "https://"),
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
