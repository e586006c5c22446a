"""The http probe's behaviour beyond single rules: one fetch a page, artifacts, privacy, hostile servers."""

from __future__ import annotations

import json
import socket
import time
from collections import Counter

from cyberaudit.demo.http_server import Route
from cyberaudit.probes import get_probe
from cyberaudit.probes.http.pages import FetchedPage

from .conftest import GOOD_HOME, HOST, RULES, SECURE_HEADERS, Listener, closed_port, good_routes


def test_registered_under_its_name():
    probe = get_probe("http")
    assert probe is not None and probe.name == "http" and probe.scopes == frozenset({"website"})


def test_each_page_is_fetched_once_and_handed_on(site):
    scan = site.scan(pages=["/", "/contact", "https://www.practice.example/contact#form", "/missing"])
    requested = Counter(path for method, path, _ in scan.https_server.requests)
    # the crawl reads the sitemap and the page the home page links to, once each too
    assert requested == Counter({"/": 1, "/contact": 1, "/missing": 1, "/.well-known/security.txt": 1,
                                 "/sitemap.xml": 1, "/privacy": 1})
    pages = scan.output.artifacts["pages"]
    assert all(isinstance(p, FetchedPage) for p in pages)
    assert [p.page for p in pages] == ["/", "/contact", "https://www.practice.example/contact#form", "/missing"]
    assert pages[0].html is not None and "Lakeside Counseling" in pages[0].html
    assert pages[3].status == 404 and pages[3].html is None
    assert [p["status"] for p in scan.facts["pages"]] == [200, 200, 200, 404]
    assert scan.facts["pages"][3]["ok"] is False


def test_main_page_is_fetched_even_when_not_listed(site):
    scan = site.scan(pages=["/contact"])
    assert [p["page"] for p in scan.facts["pages"]] == ["/", "/contact"]
    assert scan.facts["hsts"]["present"] is True


def test_cookie_values_never_reach_the_facts(site):
    scan = site.scan()
    assert scan.facts["cookies"][0]["name"] == "session"
    dumped = json.dumps([scan.facts, scan.output.errors])
    assert "SECRETVALUE123" not in dumped
    # and the scan never sends a cookie back: each response shows its own Set-Cookie
    assert not any("Cookie" in headers for _, _, headers in scan.https_server.requests)


def test_raw_security_headers_are_published_lower_case(site):
    headers = site.scan().facts["headers"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "set-cookie" not in headers and "content-type" not in headers


def test_site_that_never_answers_is_a_probe_error_within_the_timeout(site):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes TCP handshakes; nobody ever reads or writes
        scan = site.scan(https=silent.getsockname()[1], timeout=1)
    assert scan.output is None
    assert "could not be fetched" in str(scan.error)
    assert scan.seconds < 2.5  # one timeout, not one per page
    assert {scan.status(r) for r in RULES} == {"error"}


def test_refused_site_is_a_probe_error(site):
    scan = site.scan(https=closed_port(), timeout=1)
    assert scan.output is None and scan.error is not None


def test_plain_http_that_never_answers_makes_only_the_redirect_rule_error(site):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        scan = site.scan(plain=silent.getsockname()[1], timeout=1)
    assert scan.seconds < 4
    assert scan.status("HTTP-HTTPS-REDIRECT") == "error"
    assert "http.redirect" in scan.output.errors
    assert scan.status("HTTP-HSTS") == "pass"


def test_plain_http_that_sends_garbage_is_an_error_not_a_pass(site):
    with socket.socket() as bad:
        bad.bind(("127.0.0.1", 0))
        bad.listen(8)
        port = bad.getsockname()[1]

        import threading

        def babble() -> None:
            while True:
                try:
                    conn, _ = bad.accept()
                except OSError:
                    return
                with conn:
                    conn.settimeout(1)
                    try:
                        conn.recv(1024)
                        conn.sendall(b"\x16\x03\x01 this is not http\r\n\r\n")
                    except OSError:
                        pass

        threading.Thread(target=babble, daemon=True).start()
        scan = site.scan(plain=port, timeout=1)
    assert scan.status("HTTP-HTTPS-REDIRECT") == "error"
    assert scan.seconds < 1  # answered at once, no timeout needed


def test_untrusted_certificate_is_inspected_and_said_so(site, tmp_path):
    """A certificate nobody trusts no longer hides the headers: the page is read, and that is recorded."""
    from cyberaudit.demo import certs

    other = certs.make_ca("Somebody else")
    bundle = tmp_path / "other.pem"
    bundle.write_bytes(other.cert_pem)
    site.pki = type(site.pki)(site.pki.ca, site.pki.leaf, bundle)
    scan = site.scan()
    assert scan.error is None
    assert scan.facts["inspected_untrusted"] is True
    assert "inspected although its certificate is not trusted" in scan.facts["inspection"]
    assert "unable to get local issuer certificate" in scan.facts["inspection"]
    assert scan.status("HTTP-CONTENT-TYPE-OPTIONS") == "pass"
    # browsers ignore HSTS from a certificate they do not trust (RFC 6797 §8.1)
    assert scan.status("HTTP-HSTS") == "fail"
    assert "do not trust" in scan.facts["hsts"]["problem"]


def test_a_trusted_site_is_not_marked_inspected(site):
    scan = site.scan()
    assert scan.facts["inspected_untrusted"] is False
    assert "inspection" not in scan.facts
    assert scan.facts["https_available"] is True


def test_huge_body_is_capped(site):
    routes = good_routes()
    routes["/"] = Route(200, GOOD_HOME + "<!--" + "x" * (6 * 1024 * 1024) + "-->", SECURE_HEADERS)
    scan = site.scan(https=routes)
    page = scan.output.artifacts["pages"][0]
    assert page.truncated is True
    assert len(page.html) <= 5 * 1024 * 1024
    assert scan.facts["pages"][0]["truncated"] is True
    assert scan.status("HTTP-HSTS") == "pass"


def test_body_cap_is_configurable(site):
    routes = good_routes()
    routes["/contact"] = Route(200, "<p>" + "y" * 200_000 + "</p>", SECURE_HEADERS)
    scan = site.scan(https=routes, max_body_bytes=64 * 1024)
    page = scan.output.artifacts["pages"][1]
    assert page.truncated and len(page.html) <= 64 * 1024


def test_profile_address_connects_there_keeping_the_name(site, pki):
    from cyberaudit.demo.http_server import HttpServer, server_context

    server = HttpServer(routes=good_routes(),
                        tls=server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem), port=0).start()
    site.servers.append(server)
    # no connect_to for the https port: the website's address: 127.0.0.1 is used, on port 443 of the URL
    # moved to the test server's port through the URL itself
    import time as _time

    from cyberaudit.network import Network, NetworkSettings
    from cyberaudit.probes.base import ProbeContext, ScanOptions
    from cyberaudit.probes.http.probe import PROBE
    from cyberaudit.profile import Practice, Profile, Website
    from cyberaudit.targets import Target

    url = f"https://{HOST}:{server.port}/"
    web = Website(url=url, address="127.0.0.1", http_url=f"http://{HOST}:{closed_port()}/")
    net = Network(NetworkSettings(ca_bundle=pki.ca_file, connect_timeout=2, read_timeout=2))
    ctx = ProbeContext(profile=Profile(practice=Practice(name="t")), network=net, options=ScanOptions(),
                       deadline=_time.monotonic() + 10)
    out = PROBE.run(Target("website", url, web), ctx)
    assert out.facts["status"] == 200
    assert out.facts["redirect"]["available"] is False
    host_headers = {headers.get("Host") for _, _, headers in server.requests}
    assert host_headers == {f"{HOST}:{server.port}"}


def test_probe_deadline_stops_further_fetches(site):
    routes = good_routes()
    routes["/slow"] = lambda path, headers: time.sleep(1.6) or Route(200, "<p>slow</p>")
    scan = site.scan(https=routes, pages=["/", "/slow", "/contact"], deadline=1.3, timeout=3)
    assert scan.seconds < 3
    contact = next(p for p in scan.facts["pages"] if p["page"] == "/contact")
    assert "time ran out" in contact["error"]
    assert scan.status("HTTP-MIXED-CONTENT") == "error"


def _paths(tree: object, prefix: str) -> set[str]:
    """Every leaf and list path of a fact tree, written the way FactSpecs write them."""
    out: set[str] = set()
    if isinstance(tree, dict):
        for key, value in tree.items():
            out |= _paths(value, f"{prefix}.{key}")
        if not tree:
            out.add(prefix)
    elif isinstance(tree, list):
        out.add(prefix)
        for item in tree:
            out |= _paths(item, prefix + "[]") - {prefix + "[]"} if isinstance(item, dict) else set()
    else:
        out.add(prefix)
    return out


def test_every_published_fact_is_documented(site):
    from cyberaudit.probes import fact_is_published

    routes = good_routes()
    routes["/contact"] = Route(200, '<img src="http://x.example/a.png"><form action="http://x.example/f">'
                                    '</form>', SECURE_HEADERS)
    scan = site.scan(https=routes, plain={"/": Route(200, "plain")})
    paths = _paths(scan.facts, "http")
    undocumented = sorted(p for p in paths if not fact_is_published("http", p))
    assert undocumented == []
    assert {"http.cookies[].secure", "http.csp.directives.script-src", "http.headers.x-frame-options", "http.mixed_content[].kind", "http.insecure_forms[].action",
            "http.redirect.chain[].status", "http.pages[].status"} <= paths


def test_gzip_page_is_decoded(site):
    import gzip

    routes = good_routes()
    routes["/contact"] = Route(200, gzip.compress(b'<form action="http://x.example/f"><input name=a></form>'),
                               (("Content-Type", "text/html"), ("Content-Encoding", "gzip")))
    scan = site.scan(https=routes)
    assert scan.facts["insecure_forms"][0]["action"] == "http://x.example/f"


class DripServer(Listener):
    """Answers every request a byte at a time (0.2 s apart): each read succeeds, the answer never ends."""

    def __init__(self, head: bytes, tls=None) -> None:
        self.head, self.tls = head, tls
        super().__init__(self._drip)

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            conn.recv(4096)
            conn.sendall(self.head)
            for _ in range(50):
                conn.sendall(b"x")
                time.sleep(0.2)
        except OSError:
            pass
        finally:
            conn.close()


def test_trickling_body_stops_at_the_deadline(site):
    server = DripServer(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    try:
        scan = site.scan(plain=server.port, timeout=1, deadline=1.5)
    finally:
        server.close()
    assert scan.seconds < 3.5
    assert scan.status("HTTP-HTTPS-REDIRECT") == "error"


def test_trickling_headers_stop_at_the_deadline_and_never_pass(site):
    server = DripServer(b"HTTP/1.1 301 Moved\r\nLocation: https://www.practice.example/\r\nX-Slow: ")
    try:
        scan = site.scan(plain=server.port, timeout=1, deadline=1.5)
    finally:
        server.close()
    assert scan.seconds < 3.5
    assert scan.status("HTTP-HTTPS-REDIRECT") == "error"
    assert "deadline" in scan.output.errors["http.redirect"]


def test_site_trickling_headers_over_tls_is_a_probe_error_at_the_deadline(site, pki):
    from cyberaudit.demo.http_server import server_context

    tls = server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem)
    server = DripServer(b"HTTP/1.1 200 OK\r\nX-Slow: ", tls=tls)
    try:
        scan = site.scan(https=server.port, timeout=1, deadline=1.5)
    finally:
        server.close()
    assert scan.seconds < 3.5
    assert scan.output is None and "deadline" in str(scan.error)
