"""Hostile pages never make a check pass: off-site redirects, broken encodings, markup a parser stops
at, bodies that drip, pages of a million nested tags."""

from __future__ import annotations

import socket
import ssl
import time
import tracemalloc
import zlib

import pytest

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.privacy.probe import PROBE as PRIVACY
from cyberaudit.profile import Practice, Profile, Website
from cyberaudit.targets import Target
from tests.probes.privacy.world import outcomes

from .conftest import HOST, SECURE_HEADERS, SITE, Listener, Scan, good_routes

OTHER = "elsewhere.example"
HEADER_RULES = ("HTTP-CSP", "HTTP-FRAME-OPTIONS", "HTTP-CONTENT-TYPE-OPTIONS", "HTTP-REFERRER-POLICY")
COOKIE_RULES = ("HTTP-COOKIE-SECURE", "HTTP-COOKIE-HTTPONLY", "HTTP-COOKIE-SAMESITE")
PAGE_RULES = ("HTTP-MIXED-CONTENT", "HTTP-FORM-INSECURE-ACTION")
PRIVACY_RULES = ("PRIV-TRACKERS", "PRIV-AD-PIXELS", "PRIV-SESSION-REPLAY")
TRACKERS = ('<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
            '<script src="https://connect.facebook.net/en_US/fbevents.js"></script>'
            '<script src="https://static.hotjar.com/c/hotjar-1.js"></script>'
            '<img src="http://www.practice.example/logo.png">'
            '<form action="http://www.practice.example/send" method="post"><input name="email"></form>')
PAGE = ("<!doctype html><html><head><title>Lakeside</title></head><body><p>Welcome</p>"
        f"{TRACKERS}<p>Contact us</p></body></html>")
CLEAN = "<html><head><title>Contact</title></head><body><p>Call us.</p></body></html>"


def _headers(content_type: str | None = "text/html; charset=utf-8") -> tuple[tuple[str, str], ...]:
    rest = tuple(h for h in SECURE_HEADERS if h[0] != "Content-Type")
    return ((("Content-Type", content_type),) if content_type else ()) + rest


def _routes(home: bytes | str, content_type: str | None = "text/html; charset=utf-8") -> dict[str, Route]:
    routes = good_routes()
    routes["/"] = Route(200, home, _headers(content_type))
    routes["/contact"] = Route(200, CLEAN, _headers())
    return routes


def _privacy(scan: Scan) -> dict[str, str]:
    assert scan.output is not None, scan.error
    site = Website(url=SITE, pages=["/", "/contact"])
    ctx = ProbeContext(profile=Profile(practice=Practice(name="t")), network=None,  # type: ignore[arg-type]
                       options=ScanOptions(), deadline=time.monotonic() + 30, deps={"http": scan.output})
    out: ProbeOutput = PRIVACY.run(Target("website", SITE, site), ctx)
    return outcomes(out)


def _verdicts(scan: Scan) -> dict[str, str]:
    return {**{rule: scan.status(rule) for rule in PAGE_RULES},
            **{rule: v for rule, v in _privacy(scan).items() if rule in PRIVACY_RULES}}


# -- 1. a page that ends on another site ------------------------------------------------------------

@pytest.fixture
def elsewhere(pki):
    """Another site (another domain, and the practice's name on another port) with perfect headers."""
    leaf = certs.issue(pki.ca, [OTHER, HOST])
    perfect = (*SECURE_HEADERS, ("Set-Cookie", "other=1; Path=/; Secure; HttpOnly; SameSite=Strict"))
    server = HttpServer(routes={"/": Route(200, CLEAN, perfect), "/contact": Route(200, CLEAN, perfect)},
                        tls=server_context(leaf.fullchain_pem, leaf.key_pem)).start()
    yield server
    server.stop()


@pytest.mark.parametrize("destination", [f"https://{OTHER}/", f"https://{HOST}:8443/"],
                         ids=["another-domain", "another-port"])
def test_home_page_ending_on_another_site_is_not_judged_by_that_sites_headers(site, elsewhere, destination):
    routes = good_routes()
    routes["/"] = Route(302, "", (("Location", destination),))
    routes["/contact"] = Route(302, "", (("Location", destination + "contact"),))
    scan = site.scan(https=routes, extra_connect={(OTHER, 443): ("127.0.0.1", elsewhere.port),
                                                  (HOST, 8443): ("127.0.0.1", elsewhere.port)})
    for rule in HEADER_RULES:
        assert scan.status(rule) == "error", rule
    assert scan.facts["redirected_off_site"] is True
    assert scan.facts["final_url"] == destination
    assert [p["redirected_off_site"] for p in scan.facts["pages"]] == [True, True]
    assert f"redirects to another site: {destination}" in scan.output.errors["http.csp"]
    # HSTS is read from the practice's own last response: its redirect sent none
    assert scan.status("HTTP-HSTS") == "fail"
    # the other site's cookies are not the practice's
    assert scan.facts["cookies"] == []
    assert {scan.status(rule) for rule in COOKIE_RULES} == {"not_applicable"}


def test_hsts_on_the_sites_own_redirect_still_counts(site, elsewhere):
    routes = good_routes()
    routes["/"] = Route(302, "", (("Location", f"https://{OTHER}/"),
                                  ("Strict-Transport-Security", "max-age=31536000"),
                                  ("Set-Cookie", "own=1; Path=/")))
    scan = site.scan(https=routes, pages=["/"], extra_connect={(OTHER, 443): ("127.0.0.1", elsewhere.port)})
    assert scan.status("HTTP-HSTS") == "pass"
    assert scan.status("HTTP-CSP") == "error"
    assert [c["name"] for c in scan.facts["cookies"]] == ["own"]
    assert scan.status("HTTP-COOKIE-SECURE") == "fail"


def test_a_redirect_to_the_practices_own_domain_is_still_judged(site):
    routes = good_routes()
    routes["/"] = Route(301, "", (("Location", "https://practice.example/home"),))
    routes["/home"] = routes.pop("/contact")
    port = site.shared.tls.port
    scan = site.scan(https=routes, pages=["/"], extra_connect={("practice.example", 443): ("127.0.0.1", port)})
    assert scan.facts["redirected_off_site"] is False
    assert {scan.status(rule) for rule in (*HEADER_RULES, "HTTP-HSTS")} == {"pass"}


# -- 2. pages whose bytes or markup cannot be read as declared -------------------------------------

ENCODINGS = {
    "utf16-sent-as-utf8": (PAGE.encode("utf-16-le"), "text/html; charset=utf-8"),
    "utf8-sent-as-utf16": (PAGE.encode(), "text/html; charset=utf-16"),
    "iso2022-shift-before-the-trackers": (PAGE.replace("<p>Welcome</p>", "<p>\x1b$B</p>").encode(),
                                          "text/html; charset=iso-2022-jp"),
    "utf16be-no-charset": (PAGE.encode("utf-16-be"), "text/html"),
}


@pytest.mark.parametrize("name", ENCODINGS)
def test_bytes_that_do_not_match_the_charset_never_pass(site, name):
    body, content_type = ENCODINGS[name]
    scan = site.scan(https=_routes(body, content_type))
    verdicts = _verdicts(scan)
    # read the way that shows the markup: what is there is found; the page is marked as read in part
    assert set(verdicts.values()) == {"fail"}, verdicts
    home = scan.facts["pages"][0]
    assert home["partial"] is not None and "do not match the charset" in home["partial"]


def test_a_byte_order_mark_wins_over_the_header(site):
    scan = site.scan(https=_routes(PAGE.encode("utf-16"), "text/html; charset=utf-8"))
    assert set(_verdicts(scan).values()) == {"fail"}
    home = scan.facts["pages"][0]
    assert home["charset"] == "utf-16-le" and home["partial"] is None and home["undecodable"] == 0


def test_meta_charset_is_read_and_stray_bytes_are_counted_not_dropped(site):
    page = PAGE.replace("<head>", '<head><meta charset="windows-1251">').replace("Welcome", "Добро")
    scan = site.scan(https=_routes(page.encode("cp1251"), "text/html"))
    assert scan.facts["pages"][0]["charset"] == "cp1251"
    assert scan.output.artifacts["pages"][0].html.count("Добро") == 1
    latin = site.scan(https=_routes(PAGE.replace("Welcome", "Café").encode("cp1252")))
    home = latin.facts["pages"][0]
    assert home["charset"] == "utf-8" and home["undecodable"] == 1 and home["partial"] is None
    assert set(_verdicts(latin).values()) == {"fail"}


BROWSER_READS_ON = {
    # a browser ends these where html.parser does not, and loads what follows
    "comment-ended-by-bang": ("<!-- note --!>", "<!-- later -->"),
    "empty-comment": ("<!-->", "<!-- later -->"),
    "empty-comment-dash": ("<!--->", "<!-- later -->"),
    "cdata-in-html": ("<![CDATA[ x", "]]>"),
    "declaration-with-a-quote": ("<!x 'y>", "'>"),
    "nul-bytes": ("<p\x00>\x00</p>", "\x00"),
}


@pytest.mark.parametrize("name", BROWSER_READS_ON)
def test_markup_a_browser_reads_past_is_read_past(site, name):
    before, after = BROWSER_READS_ON[name]
    page = PAGE.replace("<p>Welcome</p>", before).replace("<p>Contact us</p>", after)
    verdicts = _verdicts(site.scan(https=_routes(page)))
    assert set(verdicts.values()) == {"fail"}, verdicts


BROWSER_STOPS_AT = {
    "unclosed-comment": "<!-- note ",
    "plaintext": "<plaintext>",
    "unclosed-textarea": "<textarea>",
    "unclosed-title": "<title>",
    "unclosed-attribute": "<a href='/x",
}


@pytest.mark.parametrize("name", BROWSER_STOPS_AT)
def test_a_page_read_only_in_part_makes_what_found_nothing_an_error(site, name):
    page = PAGE.replace("<p>Welcome</p>", BROWSER_STOPS_AT[name]).replace("</body></html>", "")
    scan = site.scan(https=_routes(page))
    verdicts = _verdicts(scan)
    assert set(verdicts.values()) == {"error"}, verdicts
    assert "only part of the page could be read" in scan.output.errors["http.mixed_content"]
    assert scan.facts["pages"][0]["partial"]


def test_an_inline_tracker_in_a_script_never_closed_is_found(site):
    page = PAGE.replace(TRACKERS, "") + "<script>fbq('init', '1234'); fbq('track', 'PageView');"
    verdicts = _privacy(site.scan(https=_routes(page)))
    assert verdicts["PRIV-AD-PIXELS"] == "fail"


# -- 4. time: a dripping body, a page of a million nested tags ---------------------------------------

class DripServer(Listener):
    """TLS server: headers at once, then a body a few bytes every 0.3 s (no read ever times out)."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.tls = tls
        super().__init__(self._drip)

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            conn = self.tls.wrap_socket(conn, server_side=True)
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
            for _ in range(200):  # 60 s at most
                conn.sendall(b"<p>x</p>")
                time.sleep(0.3)
        except OSError:
            pass
        finally:
            conn.close()


def test_a_dripping_body_stops_at_the_response_cap_not_the_probe_deadline(site, pki):
    server = DripServer(server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem))
    try:
        # reads never wait a second; the probe may take 60 s; one response may take 2 s
        scan = site.scan(https=server.port, timeout=1, deadline=60, response_timeout=2)
    finally:
        server.close()
    assert scan.seconds < 20  # hang protection only: the cap ends the fetch after 2 s
    assert scan.output is None and "still arriving after 2s" in str(scan.error)


def test_the_command_line_caps_one_response_at_four_times_the_connect_timeout(cli, pki, write, tmp_path):
    server = DripServer(server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem))
    plain = HttpServer(routes={"/": Route(301, "", (("Location", SITE),))}).start()
    profile = write("cyberaudit.yaml", f"practice: {{name: t}}\ntargets:\n  websites:\n    - url: {SITE}\n")
    out = tmp_path / "out.json"
    start = time.monotonic()
    try:
        run = cli("scan", "-p", str(profile), "--connect-to", f"{HOST}:443:127.0.0.1:{server.port}",
                  "--connect-to", f"{HOST}:80:127.0.0.1:{plain.port}", "--ca-bundle", str(pki.ca_file),
                  "--connect-timeout", "0.5", "-o", str(out), "--quiet", "--no-history")
    finally:
        server.close()
        plain.stop()
    assert time.monotonic() - start < 30  # the default --timeout (60 s) is never reached
    assert run.code != 3, run.err
    assert "still arriving after 2s" in out.read_text()


def test_a_million_nested_tags_end_quickly_in_error_not_a_slow_pass(site):
    page = "<html><body>" + "<b>" * 1_000_000 + TRACKERS
    start = time.monotonic()
    scan = site.scan(https=_routes(page), deadline=60)
    verdicts = _verdicts(scan)
    assert time.monotonic() - start < 30  # hang protection only
    assert set(verdicts.values()) == {"error"}, verdicts
    assert "nests tags more than" in scan.facts["pages"][0]["partial"]


def _gzip_of_zeros(megabytes: int) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip format
    block = bytes(1024 * 1024)
    return b"".join([co.compress(block) for _ in range(megabytes)] + [co.flush()])


@pytest.mark.parametrize("encoding", ["gzip", "gzip, gzip"])
def test_a_compression_bomb_is_inflated_only_up_to_the_size_cap(pki, encoding):
    bomb = _gzip_of_zeros(512)  # about 500 kB on the wire, 512 MB once inflated
    if encoding == "gzip, gzip":  # inflated twice; a longer chain of codings is refused outright
        co = zlib.compressobj(9, zlib.DEFLATED, 31)
        bomb = co.compress(bomb) + co.flush()
    server = HttpServer(routes={"/": Route(200, bomb, (("Content-Type", "text/html"),
                                                       ("Content-Encoding", encoding)))}).start()
    net = Network(NetworkSettings(connect_to={(HOST, 80): ("127.0.0.1", server.port)}))
    tracemalloc.start()
    try:
        page = net.fetch(f"http://{HOST}/", deadline=time.monotonic() + 30).final
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        server.stop()
    assert page.truncated and len(page.body) == NetworkSettings().max_body_bytes
    assert peak < 64 * 1024 * 1024  # never the 512 MB at once
