"""Browser mode watches what scripts do: typed input sent before submit, pixel events with health
page addresses, canvas fingerprinting and a cookie banner whose Reject changes nothing."""

from __future__ import annotations

import hashlib

import pytest

from cyberaudit.demo.http_server import Route
from cyberaudit.probes.privacy.browser import chromium_path
from cyberaudit.profile import Website
from cyberaudit.targets import Target

from . import behaviour_pages as pages
from .world import JS, TRACKER_ROUTES, World, outcomes, run_privacy, website
from .wsserver import WebSocketServer

needs_browser = pytest.mark.skipif(chromium_path() is None, reason="no Chromium installed")
pytestmark = [pytest.mark.browser]
TYPED_EMAIL = "jordan.canary7431@example.com"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("behaviour-world"))
    vendor_routes = dict(TRACKER_ROUTES)
    vendor_routes["/en_US/fbevents.js"] = Route(200, pages.PIXEL_JS, JS)
    vendor_routes["/fp.js"] = Route(200, pages.FINGERPRINT_JS, JS)
    vendor_routes["/g/collect"] = Route(204, b"")
    w.vendor = w.serve(vendor_routes, ("connect.facebook.net", "www.facebook.com", "www.google-analytics.com",
                                       "static.hotjar.com"))
    booking = Route(200, pages.BOOKING_FORM)
    w.serve({"/booking": booking, "/": booking, "/privacy": Route(200, "<p>policy</p>")}, ("sunny.test",))
    w.serve({"/": Route(200, pages.FINGERPRINT_HOME), "/chat": Route(200, pages.CHAT_PAGE),
             "/chat.js": Route(200, pages.CHAT_JS, JS)}, ("hidden.test",))
    w.serve({"/frame": Route(200, pages.VENDOR_FRAME)}, ("forms.intake-hub.test",))
    w.ws = WebSocketServer(w.tls).start()
    w.connect_to[("cdn.listed-only.test", 443)] = ("127.0.0.1", w.ws.port)
    w.serve({"/": Route(200, pages.CONSENT_BOTH), "/honest": Route(200, pages.CONSENT_HONEST)},
            ("consent.test",))
    w.serve({"/": Route(200, pages.DEEP_HOME), "/about": Route(200, pages.DEEP_ABOUT),
             "/team": Route(200, pages.DEEP_TEAM), "/book-now": booking, "/privacy": Route(200, "<p>policy</p>"),
             "/sitemap.xml": Route(200, pages.DEEP_SITEMAP, (("Content-Type", "application/xml"),)),
             "/insurance": Route(200, pages.DEEP_TEAM)},
            ("lakeside.test",))
    yield w
    w.ws.stop()
    w.stop()


@needs_browser
def test_typed_email_hashed_on_blur_and_health_page_address_reach_the_advertiser(world):
    target = website("https://sunny.test/booking?reason=depression", ["/booking?reason=depression"])
    out = run_privacy(target, world.network(), browser=True, seconds=60)
    typed = {t["field"]: t["kind"] for t in out.facts["typed_fields"]}
    assert typed == {"email": "email", "full_name": "name", "ph": "phone", "w": "health"}
    leaks = {(x["field"], x["recipient"], x["encoding"]) for x in out.facts["form_input_leaks"]}
    assert ("email", "www.facebook.com", "sha256") in leaks
    # the free-text answer went out in a beacon's body, URL-encoded
    assert any(f == "w" and r == "www.google-analytics.com" for f, r, _e in leaks)
    assert {x["where"] for x in out.facts["form_input_leaks"] if x["field"] == "w"} == {"body"}
    # the name and phone were typed but no script sent them
    assert not any(x["field"] in ("full_name", "ph") for x in out.facts["form_input_leaks"])
    # and the vendor's server really received the hash
    digest = hashlib.sha256(TYPED_EMAIL.encode()).hexdigest()
    assert any(digest in path for _m, path, _h in world.vendor.requests)
    events = {(e["vendor"], e["event"]) for e in out.facts["pixel_events"]}
    assert {("Meta Pixel", "PageView"), ("Meta Pixel", "Lead"), ("Google Analytics 4", "form_field")} <= events
    lead = next(e for e in out.facts["pixel_events"] if e["event"] == "Lead")
    assert lead["user_data"] == ["ud[em]"] and lead["hashed"] is True
    (health, *_more) = out.facts["health_urls_to_third_parties"]
    assert health["recipient"] == "www.facebook.com" and health["company"] == "Meta"
    # the address is stored with its query value redacted (docs/security.md); the health words found stay
    assert health["sent_url"].startswith("https://sunny.test/booking?reason=") and "depress" in health["terms"]
    assert "depression" not in health["sent_url"]
    result = outcomes(out)
    assert result["PRIV-FORM-INPUT-LEAK"] == "fail" and result["PRIV-HEALTH-URL-TO-THIRD-PARTY"] == "fail"
    # nothing was ever submitted
    assert not any(m == "POST" and p.startswith("/thanks") for m, p, _h in world.servers[-3].requests)


@needs_browser
def test_static_scan_says_it_could_not_check_typed_input(world):
    target = website("https://sunny.test/booking?reason=depression", ["/booking?reason=depression"])
    out = run_privacy(target, world.network())
    assert out.facts["form_input_leaks"] is None
    assert "needs --browser" in out.errors["privacy.form_input_leaks"]
    result = outcomes(out)
    assert result["PRIV-FORM-INPUT-LEAK"] == "not_applicable"  # it says it needs --browser, not a guess
    assert result["PRIV-HEALTH-URL-TO-THIRD-PARTY"] == result["PRIV-CONSENT-IGNORED"] == "not_applicable"


@needs_browser
def test_typed_email_in_a_websocket_frame_and_trackers_added_at_run_time_are_found(world):
    out = run_privacy(website("https://hidden.test/chat", ["/chat"]), world.network(), browser=True, seconds=60)
    leaks = {(x["field"], x["recipient"], x["where"]) for x in out.facts["form_input_leaks"]}
    assert ("email", "cdn.listed-only.test", "body") in leaks  # the WebSocket frame
    assert any(TYPED_EMAIL.encode() in m for m in world.ws.messages)  # the server really got it
    # the option picked in the select, sent by the analytics tag on change; radios and checkboxes picked too
    assert ("concern", "www.google-analytics.com", "url") in leaks
    typed = {t["field"]: (t["kind"], t["value"]) for t in out.facts["typed_fields"]}
    assert typed["concern"] == ("health", "anxiety-panic") and typed["mode"][1] == "telehealth-video"
    assert typed["sms_ok"] == ("choice", "sms-reminders")
    assert outcomes(out)["PRIV-FORM-INPUT-LEAK"] == "fail"
    # the pixel added 1.2 s after load by the page's own script, Hotjar added inside a vendor's frame
    products = {t["product"]: t for t in out.facts["trackers"]}
    assert {"Meta Pixel", "Hotjar"} <= set(products)
    assert products["Hotjar"]["evidence"].startswith("https://static.hotjar.com/c/hotjar-42.js")


@needs_browser
def test_canvas_fingerprinting_is_named_with_its_script(world):
    out = run_privacy(website("https://hidden.test/", ["/"]), world.network(), browser=True, seconds=60)
    (fp,) = out.facts["canvas_fingerprinting"]
    assert fp["script"] == "https://static.hotjar.com/fp.js" and fp["method"] == "toDataURL"
    assert fp["text"] == "Cwm fjordbank glyphs vext quiz" and fp["company"] == "Contentsquare"  # Hotjar's owner
    # the page's own chart drew no text: not counted
    assert out.facts["typed_fields"] == [] and outcomes(out)["PRIV-FORM-INPUT-LEAK"] == "not_applicable"


@needs_browser
def test_a_reject_button_that_changes_nothing_is_a_finding(world):
    out = run_privacy(website("https://consent.test/", ["/"]), world.network(), browser=True,
                      reject_consent=True, seconds=60)
    check = out.facts["consent_check"]
    assert check["rejected"] is True and check["pages"] == ["/"]
    assert [t["product"] for t in check["after_reject"]] == ["Meta Pixel"] and check["before_choice"] == []
    assert outcomes(out)["PRIV-CONSENT-IGNORED"] == "fail"
    honest = run_privacy(website("https://consent.test/honest", ["/honest"]), world.network(), browser=True,
                         reject_consent=True, seconds=60)
    assert honest.facts["consent_check"]["after_reject"] == []
    assert outcomes(honest)["PRIV-CONSENT-IGNORED"] == "pass"
    # without --reject-consent the rule does not apply
    plain = run_privacy(website("https://consent.test/", ["/"]), world.network(), browser=True, seconds=60)
    assert plain.facts["consent_check"]["tried"] is False and outcomes(plain)["PRIV-CONSENT-IGNORED"] == "not_applicable"


def _deep_site(max_pages: int | None = None) -> Target:
    url = "https://lakeside.test/"
    return Target("website", url, Website(url=url, pages=["/"], max_pages=max_pages))


def test_the_crawl_finds_an_intake_form_two_links_deep_in_a_static_scan(world):
    out = run_privacy(_deep_site(), world.network())
    found = {f["page"]: f for f in out.facts["crawl"]["found"]}
    # the booking page is preferred to the team page: its address says what it is for
    checked = out.facts["crawl"]["checked"]
    assert checked[0] == "/" and checked.index("/book-now") < checked.index("/team")
    assert found["/book-now"]["found_by"] == "link from /about" and found["/book-now"]["checked"] is True
    assert "/blog/post-1.pdf" not in found and not any("elsewhere" in p for p in found)
    assert found["/insurance"]["found_by"] == "sitemap.xml" and found["/insurance"]["checked"] is True
    (form,) = out.facts["forms"]
    assert form["page"] == "/book-now"
    assert "/book-now" in out.facts["form_pages"]
    page = next(p for p in out.facts["pages"] if p["page"] == "/book-now")
    assert page["found_by"] == "link from /about"
    result = outcomes(out)
    assert result["PRIV-TRACKERS-ON-FORMS"] == "fail"  # the pixel script is in the served HTML
    assert result["PRIV-FORM-INPUT-LEAK"] == "not_applicable"  # what it sends needs --browser, and it says so
    assert "needs --browser" in out.errors["privacy.form_input_leaks"]


def test_max_pages_stops_the_crawl_and_says_what_was_left(world):
    out = run_privacy(_deep_site(max_pages=2), world.network())
    # /insurance (from the sitemap) is preferred to /about: its address says what it is for
    assert out.facts["crawl"]["checked"] == ["/", "/insurance"]
    assert out.facts["forms"] == []
    left = {f["page"]: f["error"] for f in out.facts["crawl"]["found"] if not f["checked"]}
    assert left["/about"] == "not checked: max_pages reached" and "/book-now" not in left


@needs_browser
def test_the_browser_crawl_types_into_the_form_it_found(world):
    out = run_privacy(_deep_site(), world.network(), browser=True, seconds=90)
    assert "/book-now" in out.facts["crawl"]["checked"]
    leaks = {(x["page"], x["field"], x["encoding"]) for x in out.facts["form_input_leaks"]}
    assert ("/book-now", "email", "sha256") in leaks
    assert outcomes(out)["PRIV-FORM-INPUT-LEAK"] == "fail"
