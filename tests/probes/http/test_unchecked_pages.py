"""Pages the probe could not read in full never make a rule pass: cut redirects, error pages, the size cap."""

from __future__ import annotations

import time

from cyberaudit.demo.http_server import Route
from cyberaudit.network import Network, NetworkSettings

from .conftest import GOOD_HOME, HOST, SECURE_HEADERS, good_routes

PAGE_RULES = ("HTTP-MIXED-CONTENT", "HTTP-FORM-INSECURE-ACTION")
HEADER_RULES = ("HTTP-HSTS", "HTTP-CSP", "HTTP-CONTENT-TYPE-OPTIONS", "HTTP-FRAME-OPTIONS", "HTTP-REFERRER-POLICY")
TRACKING = ("Set-Cookie", "hop=1; Path=/")


def _hang(seconds: float = 3.0):
    return lambda path, headers: time.sleep(seconds) or Route(200, GOOD_HOME, SECURE_HEADERS)


def test_fetch_reports_a_failed_later_hop(site):
    routes = {"/": Route(302, "", (("Location", "/home"),)), "/home": _hang()}
    port = site.shared.serve(site.shared.tls, routes)
    net = Network(NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", port)}, ca_bundle=site.pki.ca_file,
                                  connect_timeout=1, read_timeout=1))
    result = net.fetch(f"https://{HOST}/")
    assert result.final.status == 302
    assert result.error is not None and "/home" in result.error


def test_fetch_reports_the_redirect_limit(site):
    port = site.shared.serve(site.shared.tls, {"/": Route(302, "", (("Location", "/"),))})
    net = Network(NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", port)}, ca_bundle=site.pki.ca_file,
                                  max_redirects=3))
    result = net.fetch(f"https://{HOST}/")
    assert len(result.chain) == 4 and "more than 3 redirects" in result.error
    assert net.fetch(f"https://{HOST}/", follow_redirects=False).error is None


def test_main_page_redirecting_to_a_page_that_hangs_is_not_checked(site):
    routes = good_routes()
    # the redirect carries every good header and a cookie: none of them are the page's headers
    routes["/"] = Route(302, "", (("Location", "/home"), *SECURE_HEADERS[1:], TRACKING))
    routes["/home"] = _hang()
    scan = site.scan(https=routes, pages=["/"], timeout=1)
    for rule in PAGE_RULES + HEADER_RULES:
        assert scan.status(rule) == "error", rule
    assert scan.facts["hsts"] is None and scan.facts["https"] is None
    assert "/home" in scan.output.errors["http.hsts"]
    page = scan.facts["pages"][0]
    assert page["status"] == 302 and page["ok"] is False and "/home" in page["error"]
    assert scan.output.artifacts["pages"][0].error == page["error"]
    assert "hop" in {c["name"] for c in scan.facts["cookies"]}  # what was seen is kept
    assert "http.cookies" in scan.output.errors


def test_redirect_loop_past_the_limit_is_not_checked(site):
    routes = good_routes()
    routes["/"] = Route(302, "", (("Location", "/"), *SECURE_HEADERS[1:]))
    scan = site.scan(https=routes, pages=["/"], max_redirects=3)
    for rule in PAGE_RULES + HEADER_RULES:
        assert scan.status(rule) == "error", rule
    assert "more than 3 redirects" in scan.facts["pages"][0]["error"]


def test_a_configured_page_answering_500_is_not_checked(site):
    routes = good_routes()
    routes["/contact"] = Route(500, "<p>oops</p>", SECURE_HEADERS)
    scan = site.scan(https=routes)
    for rule in PAGE_RULES:
        assert scan.status(rule) == "error", rule
    assert scan.status("HTTP-HSTS") == "pass"  # the main page was read in full
    contact = scan.facts["pages"][1]
    assert contact["status"] == 500 and "500" in contact["error"]
    assert scan.output.artifacts["pages"][1].error == contact["error"]
    assert "http.cookies" not in scan.output.errors  # the whole answer was seen


def test_a_main_page_answering_404_gives_no_header_verdicts(site):
    routes = good_routes()
    routes["/"] = Route(404, "<p>gone</p>", SECURE_HEADERS)
    scan = site.scan(https=routes, pages=["/"])
    for rule in PAGE_RULES + HEADER_RULES:
        assert scan.status(rule) == "error", rule


def test_a_page_cut_at_the_size_cap_cannot_pass(site):
    routes = good_routes()
    routes["/contact"] = Route(200, "<p>" + "y" * 100_000 + '</p><form action="http://x.example/f"></form>',
                               SECURE_HEADERS)
    scan = site.scan(https=routes, max_body_bytes=64 * 1024)
    for rule in PAGE_RULES:
        assert scan.status(rule) == "error", rule
    assert "size cap" in scan.output.errors["http.insecure_forms"]


def test_a_problem_before_the_size_cap_still_fails(site):
    routes = good_routes()
    routes["/contact"] = Route(200, '<form action="http://x.example/f"><input name=a></form><p>'
                                    + "y" * 100_000 + "</p>", SECURE_HEADERS)
    scan = site.scan(https=routes, max_body_bytes=64 * 1024)
    for rule in PAGE_RULES:
        assert scan.status(rule) == "fail", rule
