"""The demo website, its plain-HTTP twin, the patient portal and the third-party services."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import resources
from string import Template

from cyberaudit.demo.http_server import Handler, Route

_HTML = "text/html; charset=utf-8"
# The typical mistake: a PHP-style session cookie with none of Secure, HttpOnly or SameSite.
SESSION_COOKIE = "PHPSESSID=9c1e4bd27a0f3e55b6d1; Path=/"
_PAGE_FILES = {"/": "index.html", "/contact": "contact.html", "/intake": "intake.html",
               "/privacy": "privacy.html"}
# A 1x1 transparent GIF: enough for an <img> that a browser really loads.
_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b")


def page_text(name: str, **values: object) -> str:
    """One of the site's pages from package data, with the run's ports filled in."""
    raw = resources.files("cyberaudit.demo").joinpath("pages", name).read_text("utf-8")
    return Template(raw).safe_substitute({k: str(v) for k, v in values.items()})


def website_routes(http_port: int) -> dict[str, Route]:
    """The practice's site: trackers, a third-party intake form, no HSTS/CSP/Referrer-Policy."""
    # Only X-Content-Type-Options is set, as on many small sites: the report shows some passes too.
    headers = (("Content-Type", _HTML), ("X-Content-Type-Options", "nosniff"),
               ("Set-Cookie", SESSION_COOKIE))
    routes = {path: Route(200, page_text(name, http_port=http_port), headers)
              for path, name in _PAGE_FILES.items()}
    routes["/static/site.css"] = Route(200, page_text("site.css"), (("Content-Type", "text/css"),))
    routes["/static/office.jpg"] = Route(200, _GIF, (("Content-Type", "image/gif"),))
    return routes


def portal_routes() -> dict[str, Route]:
    """The client portal's sign-in page; its problems are in its TLS settings, not its HTML."""
    body = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Client portal sign-in"
            "</title></head><body><h1>Lakeside Counseling client portal</h1><form method=\"post\" "
            "action=\"/login\"><label>E-mail <input name=\"email\"></label><label>Password "
            "<input name=\"password\" type=\"password\"></label><button>Sign in</button></form>"
            "</body></html>")
    return {"/": Route(200, body, (("Content-Type", _HTML),)),
            "/login": Route(303, "", (("Location", "/"),))}


class AnyPath(Mapping[str, Handler]):
    """Routes that answer every path (a tracker's script, pixel or form endpoint) with one handler."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler

    def __getitem__(self, path: str) -> Handler:
        return self._handler

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _third_party(path: str, headers: Mapping[str, str]) -> Route:
    host = next((v for k, v in headers.items() if k.lower() == "host"), "").split(":")[0]
    if path.startswith("/tr") or "ns.html" in path:
        return Route(200, _GIF, (("Content-Type", "image/gif"),))
    if host == "submit.jotform.com":
        return Route(200, "<!doctype html><title>Thank you</title><p>Your submission was received.</p>",
                     (("Content-Type", _HTML),))
    # A harmless script body: the demo answers for the services, it does not imitate them.
    return Route(200, f"/* served by the cyberaudit demo in place of {host}{path} */\n",
                 (("Content-Type", "application/javascript"),))


def third_party_routes() -> AnyPath:
    return AnyPath(_third_party)
