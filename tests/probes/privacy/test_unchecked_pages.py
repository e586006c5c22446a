"""A page the http probe could not read in full is never counted as analysed by the privacy probe."""

from __future__ import annotations

import time

import pytest

from cyberaudit.demo.http_server import Route

from .world import outcomes, run_privacy, website


@pytest.fixture(scope="module")
def lakeside(world):
    """The clean practice, with an intake page that never loads (this module has its own world)."""
    port = world.connect_to[("lakeside.test", 443)][1]
    server = next(s for s in world.servers if s.port == port)
    server.routes.update({
        "/intake": Route(302, "", (("Location", "/intake/form"),)),
        "/intake/form": lambda path, headers: time.sleep(3) or Route(200, "<form><input name=dob></form>"),
    })
    return world


def test_a_page_redirecting_to_a_page_that_hangs_is_not_analysed(lakeside):
    network = lakeside.network(connect_timeout=1.0, read_timeout=1.0)
    out = run_privacy(website("https://lakeside.test/", ["/", "/intake"]), network)
    intake = next(p for p in out.facts["pages"] if p["page"] == "/intake")
    assert intake["analysed"] is False and "/intake/form" in intake["error"]
    assert out.facts["coverage"]["complete"] is False
    result = outcomes(out)
    for rule in ("PRIV-SESSION-REPLAY", "PRIV-AD-PIXELS", "PRIV-TRACKERS", "PRIV-TRACKERS-ON-FORMS"):
        assert result[rule] == "error", rule


def test_trackers_on_forms_is_an_error_not_not_applicable_when_a_page_failed(lakeside):
    network = lakeside.network(connect_timeout=1.0, read_timeout=1.0)
    # no crawl: the contact form the home page links to would be found
    out = run_privacy(website("https://lakeside.test/", ["/", "https://down.test/"], max_pages=2), network)
    assert out.facts["form_pages"] == []
    assert "down.test" in out.errors["privacy.form_pages"]
    assert outcomes(out)["PRIV-TRACKERS-ON-FORMS"] == "error"


def test_form_pages_found_keep_their_verdict_when_another_page_failed(lakeside):
    network = lakeside.network(connect_timeout=1.0, read_timeout=1.0)
    out = run_privacy(website("https://lakeside.test/", ["/contact", "https://down.test/"]), network)
    assert out.facts["form_pages"] == ["/contact"]
    assert "privacy.form_pages" not in out.errors


def test_a_page_cut_at_the_size_cap_is_not_a_clean_pass(lakeside):
    # the tracker sits after the first 2 KiB: a scan that read only the start must not pass
    port = lakeside.connect_to[("lakeside.test", 443)][1]
    server = next(s for s in lakeside.servers if s.port == port)
    padding = "<p>" + "x" * 4096 + "</p>"
    server.routes["/long"] = Route(200, f"<html><body>{padding}"
                                   "<script src='https://connect.facebook.net/en_US/fbevents.js'></script>"
                                   "</body></html>")
    network = lakeside.network(max_body_bytes=2048)
    out = run_privacy(website("https://lakeside.test/long", ["/long"]), network)
    verdicts = outcomes(out)
    assert verdicts["PRIV-TRACKERS"] == "error"
    assert verdicts["PRIV-AD-PIXELS"] == "error"
