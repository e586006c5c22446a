"""The privacy probe in static mode, on loopback websites fetched for real."""

from __future__ import annotations

import pytest

from cyberaudit.errors import ProbeError
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.privacy.analysis import STATIC_NOTE
from cyberaudit.probes.privacy.probe import PROBE
from cyberaudit.profile import Platform, TrackerList

from .world import outcomes, profile, run_privacy, website

STATIC_RULES = {"PRIV-TRACKERS", "PRIV-TRACKERS-ON-FORMS", "PRIV-SESSION-REPLAY", "PRIV-AD-PIXELS",
                "PRIV-FORM-THIRD-PARTY", "PRIV-PRIVACY-POLICY"}
# What only a browser can see: a static scan says these need --browser (not applicable, with the
# reason) rather than guessing, or counting a check it never tried against the score.
BROWSER_ONLY = {"PRIV-FORM-INPUT-LEAK": "not_applicable", "PRIV-HEALTH-URL-TO-THIRD-PARTY": "not_applicable",
                "PRIV-CONSENT-IGNORED": "not_applicable"}
ALL_RULES = STATIC_RULES | set(BROWSER_ONLY)


def static_verdicts(status: str) -> dict[str, str]:
    """Every rule's status in a static scan of a site with forms whose checkable rules all read `status`."""
    return {**dict.fromkeys(STATIC_RULES, status), **BROWSER_ONLY}


def test_pack_has_exactly_the_catalogue_rules():
    from .world import privacy_pack

    pack = privacy_pack()
    assert {r.id for r in pack.rules} == ALL_RULES
    severities = {r.id: r.severity for r in pack.rules}
    assert severities["PRIV-TRACKERS"] == "high"
    assert severities["PRIV-TRACKERS-ON-FORMS"] == "critical"
    assert all(r.scope == "website" and r.probe == "privacy" for r in pack.rules)
    text = " ".join(r.rationale for r in pack.rules)
    for cited in ("BetterHelp", "Cerebral", "GoodRx", "Monument", "March 2024"):
        assert cited in text


def test_clean_site_passes_every_rule(world):
    out = run_privacy(website("https://lakeside.test/", ["/", "/contact"]), world.network())
    assert set(out.errors) == {"privacy.form_input_leaks"}  # needs --browser
    assert out.facts["typed_fields"] == []  # nothing typed without a browser: the leak rule does not apply
    assert out.facts["trackers"] == []
    assert out.facts["privacy_policy"]["present"] is True
    assert out.facts["privacy_policy"]["url"] == "https://lakeside.test/privacy"
    form = out.facts["forms"][0]
    assert (form["page"], form["destination"], form["third_party"]) == ("/contact", "lakeside.test", False)
    assert {f["kind"] for f in form["sensitive_fields"]} == {"contact"}
    assert out.facts["form_pages"] == ["/contact"]
    assert outcomes(out) == static_verdicts("pass")


def test_tagged_site_names_each_company_page_and_evidence(world):
    out = run_privacy(website("https://sunny.test/", ["/", "/intake"]), world.network())
    found = {(t["company"], t["product"], t["page"]) for t in out.facts["trackers"]}
    for company, product in [("Google", "Google Tag Manager"), ("Google", "Google Analytics 4"),
                             ("Meta", "Meta Pixel"), ("Contentsquare", "Hotjar"),
                             ("TikTok (ByteDance)", "TikTok Pixel"), ("LinkedIn (Microsoft)", "LinkedIn Insight Tag")]:
        assert (company, product, "/") in found, (company, product)
    by_product = {t["product"]: t for t in out.facts["trackers"] if t["page"] == "/"}
    # the container comes from the GTM snippet itself: its loader address and its GTM- ID
    assert {"inline script signature", "inline script tag ID"} <= set(by_product["Google Tag Manager"]["methods"])
    # the gtag.js loader names GA4 by its ID: no "Tag Manager" is made of the Google tag
    assert by_product["Google Analytics 4"]["detected_by"] == "script"
    assert by_product["Google Analytics 4"]["evidence"].startswith("https://www.googletagmanager.com/gtag/js")
    assert "inline script signature" in by_product["Google Analytics 4"]["methods"]
    assert set(by_product["Meta Pixel"]["methods"]) == {"noscript pixel", "inline script signature",
                                                        "inline script URL"}
    assert by_product["Meta Pixel"]["hits"] >= 2  # the snippet, its script URL and the noscript pixel
    assert by_product["LinkedIn Insight Tag"]["source"] == "cyberaudit trackers"
    assert {t["product"] for t in out.facts["session_replay"]} == {"Hotjar"}
    assert {t["product"] for t in out.facts["advertising"] if t["page"] == "/"} == {
        "Meta Pixel", "TikTok Pixel", "LinkedIn Insight Tag"}
    assert out.facts["mode"] == "static" and out.facts["note"].startswith(STATIC_NOTE)
    assert "uses Google Tag Manager, which loads further tags at run time" in out.facts["note"]
    assert out.facts["privacy_policy"]["present"] is False
    assert outcomes(out) == static_verdicts("fail")


def test_noscript_pixel_is_detected_on_its_own(world):
    from cyberaudit.probes.privacy.analysis import analyse
    from cyberaudit.probes.privacy.evidence import PageEvidence
    from cyberaudit.probes.privacy.parties import Parties
    from cyberaudit.probes.privacy.trackerdb import builtin_database

    html = ('<noscript><img src="https://px.ads.linkedin.com/collect/?pid=1&fmt=gif"></noscript>'
            '<iframe src="https://www.youtube.com/embed/x"></iframe>')
    result = analyse([PageEvidence("/", "https://a.test/", "https://a.test/", 200, html)], builtin_database(),
                     Parties.for_site(["a.test"], []), "static")
    hits = {t["product"]: t["detected_by"] for t in result.facts["trackers"]}
    assert hits == {"LinkedIn Insight Tag": "noscript pixel", "YouTube embeds (standard mode)": "iframe"}


def test_intake_form_to_a_third_party_with_health_fields(world):
    out = run_privacy(website("https://sunny.test/", ["/intake"]), world.network())
    (form,) = out.facts["forms"]  # the home page (fetched as the site's address) has none
    assert form["destination"] == "forms.intake-hub.test"
    assert form["third_party"] is True and form["method"] == "POST"
    kinds = {f["name"]: f["kind"] for f in form["sensitive_fields"]}
    assert kinds["q4"] == "health"  # found by its label, "Previous diagnosis"
    assert kinds["currentMedications"] == "health"
    assert kinds["dob"] == "identity" and kinds["member_id"] == "identity"
    assert kinds["full_name"] == "contact"
    assert "source" not in kinds
    assert set(form["health_fields"]) == {"q4", "currentMedications"}
    on_forms = out.facts["trackers_on_form_pages"]
    assert [(t["product"], t["page"]) for t in on_forms] == [
        ("Meta Pixel", "/intake"), ("Microsoft Advertising Universal Event Tracking (UET)", "/intake")]
    result = outcomes(out)
    assert result["PRIV-FORM-THIRD-PARTY"] == "fail"
    assert result["PRIV-TRACKERS-ON-FORMS"] == "fail"


def test_declared_processor_is_not_a_third_party(world):
    html_target = website("https://sunny.test/", ["/intake"])
    prof = profile(platforms=[Platform(name="Intake Hub", kind="ehr", domains=["intake-hub.test"])])
    out = run_privacy(html_target, world.network(), prof)
    (form,) = out.facts["forms"]
    assert form["third_party"] is False and form["processor"] == "Intake Hub"
    assert outcomes(out)["PRIV-FORM-THIRD-PARTY"] == "pass"


def test_processor_resources_are_listed_not_counted(world):
    from cyberaudit.probes.privacy.analysis import analyse
    from cyberaudit.probes.privacy.evidence import PageEvidence
    from cyberaudit.probes.privacy.parties import Parties
    from cyberaudit.probes.privacy.trackerdb import builtin_database

    html = '<script src="https://widget.calendly.com/w.js"></script><script src="https://assets.calendly.com/x.js"></script>'
    parties = Parties.for_site(["a.test"], [Platform(name="Calendly", kind="scheduling", domains=["calendly.com"])])
    result = analyse([PageEvidence("/book", "https://a.test/book", "https://a.test/book", 200, html)],
                     builtin_database(), parties, "static")
    assert result.facts["trackers"] == []
    assert {(p["name"], p["domain"]) for p in result.facts["processors"]} == {
        ("Calendly", "widget.calendly.com"), ("Calendly", "assets.calendly.com")}
    undeclared = analyse([PageEvidence("/book", "https://a.test/book", "https://a.test/book", 200, html)],
                         builtin_database(), Parties.for_site(["a.test"], []), "static")
    assert [t["company"] for t in undeclared.facts["trackers"]] == ["Calendly"]


def test_injected_tags_are_invisible_statically_and_the_facts_say_so(world):
    out = run_privacy(website("https://hidden.test/", ["/"]), world.network())
    assert out.facts["trackers"] == []
    assert out.facts["sees_injected_tags"] is False
    assert "cannot see tags that JavaScript injects" in out.facts["note"]
    assert "--browser" in out.facts["note"]


def test_redirect_to_another_host_of_the_same_site_stays_first_party(world):
    out = run_privacy(website("https://sunny.test/moved", ["/moved"]), world.network())
    (page,) = out.facts["pages"]
    assert page["final_url"] == "https://www.lakeside.test/"
    assert out.facts["trackers"] == []
    assert out.facts["third_parties"] == []


def test_user_domain_list_is_named_with_version_and_licence(world, tmp_path):
    listing = tmp_path / "extra.txt"
    listing.write_text("# our own list\nlisted-only.test\n")
    spec = TrackerList(file="extra.txt", format="domains", name="Agency list", version="7", licence="CC0-1.0")
    from cyberaudit.probes.privacy.analysis import analyse  # noqa: F401  (imported for parity with the probe)

    target = website("https://lakeside.test/", ["/"])
    network = world.network()
    from .world import fetch_pages

    pages = fetch_pages(network, target)
    html = '<script src="https://cdn.listed-only.test/listed.js"></script>'
    pages[0] = type(pages[0])(**{**pages[0].__dict__, "html": html})
    import time

    ctx = ProbeContext(profile=profile(lists=[spec]), network=network, options=ScanOptions(),
                       deadline=time.monotonic() + 10, deps={"http": ProbeOutput(artifacts={"pages": pages})},
                       profile_dir=tmp_path)
    out = PROBE.run(target, ctx)
    (hit,) = out.facts["trackers"]
    assert hit["source"] == "Agency list" and hit["category"] == "unclassified"
    names = {(item["name"], item["version"], item["licence"]) for item in out.facts["lists"]}
    assert ("Agency list", "7", "CC0-1.0") in names
    assert any(item["name"] == "cyberaudit trackers" and item["licence"].startswith("MIT") for item in out.facts["lists"])


def test_bad_user_list_makes_the_rules_error_with_file_and_line(world, tmp_path):
    listing = tmp_path / "bad.txt"
    listing.write_text("good.example\nnot a domain\n")
    spec = TrackerList(file=str(listing), format="domains")
    with pytest.raises(ProbeError, match=r"bad\.txt:2: not a domain name"):
        run_privacy(website("https://lakeside.test/", ["/"]), world.network(), profile(lists=[spec]))


def test_a_page_that_failed_turns_would_be_passes_into_errors(world):
    network = world.network(connect_timeout=1.0, read_timeout=1.0)
    target = website("https://lakeside.test/", ["/", "https://down.test/"])  # refused
    out = run_privacy(target, network)
    assert out.facts["coverage"]["complete"] is False
    result = outcomes(out)
    assert result["PRIV-TRACKERS"] == "error"
    assert result["PRIV-PRIVACY-POLICY"] == "pass"  # found on the page that did load
    assert "down.test" in out.errors["privacy.trackers"]


def test_a_found_tracker_still_fails_when_another_page_failed(world):
    target = website("https://sunny.test/", ["/", "https://down.test/"])
    out = run_privacy(target, world.network(connect_timeout=1.0, read_timeout=1.0))
    result = outcomes(out)
    assert result["PRIV-TRACKERS"] == "fail"
    assert result["PRIV-PRIVACY-POLICY"] == "error"


def test_no_page_fetched_is_a_probe_error(world):
    import time

    ctx = ProbeContext(profile=profile(), network=world.network(), options=ScanOptions(),
                       deadline=time.monotonic() + 5, deps={})
    with pytest.raises(ProbeError, match="not fetched"):
        PROBE.run(website("https://lakeside.test/", ["/"]), ctx)


def test_every_page_failed_is_a_probe_error(world):
    import time

    from cyberaudit.probes.http.pages import FetchedPage

    pages = [FetchedPage("/", "https://lakeside.test/", "https://lakeside.test/", None, "", None,
                         error="connection refused")]
    ctx = ProbeContext(profile=profile(), network=world.network(), options=ScanOptions(),
                       deadline=time.monotonic() + 5, deps={"http": ProbeOutput(artifacts={"pages": pages})})
    with pytest.raises(ProbeError, match="no page could be checked: /: connection refused"):
        PROBE.run(website("https://lakeside.test/", ["/"]), ctx)


def test_pages_are_the_site_address_then_the_configured_pages():
    from cyberaudit.probes.privacy.probe import page_urls

    assert page_urls(website("https://a.test/", ["/", "/contact", "/contact#form"])) == [
        ("/", "https://a.test/"), ("/contact", "https://a.test/contact")]
    assert page_urls(website("https://a.test/start", ["/intake"])) == [
        ("/start", "https://a.test/start"), ("/intake", "https://a.test/intake")]


def test_inline_urls_count_only_when_a_list_knows_the_host():
    from cyberaudit.probes.privacy.analysis import analyse
    from cyberaudit.probes.privacy.evidence import PageEvidence
    from cyberaudit.probes.privacy.parties import Parties
    from cyberaudit.probes.privacy.trackerdb import builtin_database

    html = ("<script>var ns='http://www.w3.org/2000/svg'; var u='https://cdn.example.org/x';"
            "var t='https://www.clarity.ms/tag/'+id;</script>"
            '<form action="mailto:office@a.test"><input name="email"></form>')
    result = analyse([PageEvidence("/", "https://a.test/", "https://a.test/", 200, html)], builtin_database(),
                     Parties.for_site(["a.test"], []), "static")
    assert [t["domain"] for t in result.facts["third_parties"]] == ["clarity.ms"]
    assert [t["product"] for t in result.facts["session_replay"]] == ["Microsoft Clarity"]
    (form,) = result.facts["forms"]
    assert form["destination"] == "mailto:office@a.test" and form["third_party"] is False


def test_list_facts_are_capped_on_a_page_with_thousands_of_hosts():
    from cyberaudit.probes.privacy.analysis import MAX_LIST, analyse
    from cyberaudit.probes.privacy.evidence import PageEvidence
    from cyberaudit.probes.privacy.parties import Parties
    from cyberaudit.probes.privacy.trackerdb import builtin_database

    html = "".join(f'<img src="https://h{i}.party{i}.example/p.gif">' for i in range(MAX_LIST + 100))
    result = analyse([PageEvidence("/", "https://a.test/", "https://a.test/", 200, html)], builtin_database(),
                     Parties.for_site(["a.test"], []), "static")
    assert len(result.facts["third_parties"]) == MAX_LIST
    assert result.facts["truncated"] is True
