"""Hostile websites under the default settings: time of a whole scan and the verdicts it gives.

    PYTHONPATH=src python benchmarks/hostile_pages.py [CASE ...]

Each case serves a loopback practice site (HTTPS on 127.0.0.1, names mapped with connect-to, no other
address is ever reached) and runs the real scan with the command line's defaults (--timeout 60,
--connect-timeout 5, reads 10 s). It prints the scan's wall time and the verdicts of the rules the
case is about. None of them may pass: the page either shows the problem (fail) or could not be read
(error).

Measured on a shared 2-core machine (seconds for the whole scan; before → after the fixes):
off-site redirect 3 s, six header rules pass → 5-10 s, HSTS fail (the site's own redirect has
none), CSP/frame/nosniff/referrer error, cookies not_applicable; UTF-16 sent as UTF-8, UTF-8 sent
as UTF-16, UTF-16 with a BOM sent as UTF-8, an ISO-2022-JP shift: 1-4 s, all five page rules pass →
2-3 s, all fail; `--!>`, `<!-->`, `<![CDATA[`: pass → fail; an unclosed comment and `<plaintext>`:
fail (html.parser read on where a browser stops) → error; 1,000,000 nested tags 64 s → 2-5 s,
error; a dripping body 62 s → 21 s, error.
"""

from __future__ import annotations

import socket
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import NetworkSettings
from cyberaudit.scan import ScanRequest, run_scan

HOST = "www.practice.example"
OTHER = "elsewhere.example"
PERFECT = (
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Set-Cookie", "s=1; Path=/; Secure; HttpOnly; SameSite=Strict"),
)
HEADER_RULES = ("HTTP-HSTS", "HTTP-CSP", "HTTP-FRAME-OPTIONS", "HTTP-CONTENT-TYPE-OPTIONS",
                "HTTP-REFERRER-POLICY", "HTTP-COOKIE-SECURE")
PAGE_RULES = ("PRIV-TRACKERS", "PRIV-AD-PIXELS", "PRIV-SESSION-REPLAY", "HTTP-MIXED-CONTENT",
              "HTTP-FORM-INSECURE-ACTION")
TRACKERS = ('<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
            '<script src="https://connect.facebook.net/en_US/fbevents.js"></script>'
            '<script src="https://static.hotjar.com/c/hotjar-1.js"></script>'
            '<img src="http://www.practice.example/logo.png">'
            '<form action="http://www.practice.example/send" method="post"><input name="email"></form>')
PAGE = f"<!doctype html><html><head><title>Practice</title></head><body><p>Welcome</p>{TRACKERS}</body></html>"


def _html(body: bytes | str, content_type: str = "text/html; charset=utf-8") -> Route:
    return Route(200, body, (("Content-Type", content_type), *PERFECT))


def _broken(prefix: str, suffix: str = "") -> Route:
    return _html(PAGE.replace("<p>Welcome</p>", prefix).replace("</body>", suffix + "</body>"))


CASES: dict[str, tuple[str, tuple[str, ...], Callable[[], Route] | None]] = {
    # name: (what it is, rules shown, the home page; None for the special servers)
    "offsite-redirect": ("the home page redirects to another site with perfect headers", HEADER_RULES, None),
    "utf16-declared-utf8": ("UTF-16 bytes, no BOM, the header says utf-8", PAGE_RULES,
                            lambda: _html(PAGE.encode("utf-16-le"))),
    "utf8-declared-utf16": ("UTF-8 bytes, the header says utf-16", PAGE_RULES,
                            lambda: _html(PAGE.encode(), "text/html; charset=utf-16")),
    "utf16-bom-declared-utf8": ("UTF-16 with a BOM, the header says utf-8 (the BOM wins)", PAGE_RULES,
                                lambda: _html(PAGE.encode("utf-16"))),
    "iso2022-escape": ("declared iso-2022-jp, a shift sequence before the trackers", PAGE_RULES,
                       lambda: _html(PAGE.replace("<p>Welcome</p>", "<p>\x1b$B</p>").encode(),
                                     "text/html; charset=iso-2022-jp")),
    "comment-bang-end": ("<!-- ... --!> before the trackers, --> after (browsers end it at --!>)",
                         PAGE_RULES, lambda: _broken("<!-- a --!>", "<!-- b -->")),
    "comment-empty": ("<!--> before the trackers, --> after (an empty comment to browsers)",
                      PAGE_RULES, lambda: _broken("<!-->", "<!-- b -->")),
    "unclosed-comment": ("<!-- never closed before the trackers", PAGE_RULES, lambda: _broken("<!-- note ")),
    "unclosed-script": ("an inline tracker <script> never closed", PAGE_RULES,
                        lambda: _broken("", "<script>fbq('init', '1234');")),
    "cdata": ("<![CDATA[ in HTML before the trackers, ]]> after (a bogus comment to the first >)",
              PAGE_RULES, lambda: _broken("<![CDATA[ x", "]]>")),
    "bad-declaration": ("<!DOCTYPE with an unbalanced quote", PAGE_RULES, lambda: _broken("<!x 'y>")),
    "nul-bytes": ("NUL bytes in the markup", PAGE_RULES, lambda: _broken("<p\x00>\x00</p>")),
    "plaintext": ("<plaintext> before the trackers", PAGE_RULES, lambda: _broken("<plaintext>")),
    "nested-1m": ("1,000,000 nested tags, then the trackers", PAGE_RULES,
                  lambda: _html("<html><body>" + "<div>" * 1_000_000 + TRACKERS)),
    "drip-body": ("the home page's body arrives a few bytes a second", PAGE_RULES, None),
}


class DripServer:
    """HTTPS server that sends headers at once, then the body a few bytes a second for 120 s."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.tls = tls
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            conn = self.tls.wrap_socket(conn, server_side=True)
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
            for _ in range(240):
                conn.sendall(b"<p>x</p>")
                time.sleep(0.5)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


def run_case(name: str, pki: tuple[certs.Issued, Path]) -> None:
    what, rules, home = CASES[name]
    leaf, ca_file = pki
    tls = server_context(leaf.fullchain_pem, leaf.key_pem)
    servers: list[HttpServer] = []
    drip: DripServer | None = None
    clean = _html(PAGE.replace(TRACKERS, ""))
    routes: dict[str, Route] = {"/contact": clean}
    if home is not None:
        routes["/"] = home()
    elif name == "offsite-redirect":
        routes["/"] = Route(302, "", (("Location", f"https://{OTHER}/"),))
        routes["/contact"] = Route(302, "", (("Location", f"https://{OTHER}/contact"),))
    site = HttpServer(routes=routes, tls=tls).start()
    servers.append(site)
    other = HttpServer(routes={"/": clean, "/contact": clean}, tls=tls).start()
    servers.append(other)
    plain = HttpServer(routes={"/": Route(301, "", (("Location", f"https://{HOST}/"),))}).start()
    servers.append(plain)
    site_port = site.port
    if name == "drip-body":
        drip = DripServer(tls)
        site_port = drip.port
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "cyberaudit.yaml"
        profile.write_text(f"practice: {{name: Bench}}\ntargets:\n  websites:\n"
                           f"    - url: https://{HOST}/\n      pages: [/, /contact]\n")
        settings = NetworkSettings(
            connect_to={(HOST, 443): ("127.0.0.1", site_port), (HOST, 80): ("127.0.0.1", plain.port),
                        (OTHER, 443): ("127.0.0.1", other.port)},
            ca_bundle=ca_file)  # every timeout at the command line's default
        start = time.monotonic()
        result = run_scan(ScanRequest(profile_path=profile, network=settings, timeout=60.0,
                                      packs=()))
        seconds = time.monotonic() - start
    for server in servers:
        server.stop()
    if drip is not None:
        drip.close()
    verdicts = {f.rule_id: f.status for f in result.findings if f.rule_id in rules}
    shown = " ".join(f"{rule}={verdicts.get(rule, '-')}" for rule in rules)
    passed = [rule for rule in rules if verdicts.get(rule) == "pass"]
    print(f"{name:28} {seconds:6.1f} s  {'FALSE PASS ' if passed else 'ok         '}{shown}")
    print(f"{'':28} ({what})")


def main(argv: list[str]) -> None:
    names = argv or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        ca = certs.make_ca()
        leaf = certs.issue(ca, [HOST, OTHER])
        ca_file = Path(tmp) / "ca.pem"
        ca_file.write_bytes(ca.cert_pem)
        for name in names:
            run_case(name, (leaf, ca_file))


if __name__ == "__main__":
    main(sys.argv[1:])
