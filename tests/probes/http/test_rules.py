"""Every rule of the http pack against loopback sites on which it must pass and must fail."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.demo.http_server import Route

from .conftest import (
    GOOD_CONTACT,
    GOOD_HOME,
    HTML,
    RULES,
    SECURE_HEADERS,
    SITE,
    closed_port,
    good_routes,
    redirect_routes,
    security_txt,
    with_headers,
)

CATALOGUE = {
    "HTTP-HTTPS-AVAILABLE": "critical", "HTTP-HTTPS-REDIRECT": "high", "HTTP-HSTS": "medium", "HTTP-CSP": "medium",
    "HTTP-CONTENT-TYPE-OPTIONS": "low", "HTTP-FRAME-OPTIONS": "medium", "HTTP-REFERRER-POLICY": "low",
    "HTTP-COOKIE-SECURE": "high", "HTTP-COOKIE-HTTPONLY": "medium", "HTTP-COOKIE-SAMESITE": "low",
    "HTTP-MIXED-CONTENT": "high", "HTTP-FORM-INSECURE-ACTION": "critical", "HTTP-SECURITY-TXT": "low",
}


def home(headers=SECURE_HEADERS, body: str = GOOD_HOME) -> dict[str, Route]:
    routes = good_routes()
    routes["/"] = Route(200, body, headers)
    return routes


def test_pack_holds_exactly_the_catalogue_ids():
    assert set(RULES) == set(CATALOGUE)
    for rule_id, rule in RULES.items():
        assert rule.severity == CATALOGUE[rule_id]
        assert rule.scope == "website" and rule.category == "http" and rule.probe == "http"
        assert rule.references and rule.rationale and rule.remediation


def test_well_configured_site_passes_every_rule(site):
    scan = site.scan()
    assert {rid: scan.status(rid) for rid in RULES} == dict.fromkeys(RULES, "pass")


# --- HTTP-HTTPS-REDIRECT ------------------------------------------------------------------------

def test_redirect_missing_fails(site):
    scan = site.scan(plain={"/": Route(200, "<p>welcome</p>")})
    assert scan.status("HTTP-HTTPS-REDIRECT") == "fail"
    assert scan.facts["redirect"]["to_https"] is False
    assert scan.facts["redirect"]["final_url"] == "http://www.practice.example/"


def test_redirect_to_another_site_fails(site):
    scan = site.scan(plain=redirect_routes("https://practice-lookalike.example/"))
    assert scan.status("HTTP-HTTPS-REDIRECT") == "fail"
    assert scan.facts["redirect"]["to_https"] is True
    assert scan.facts["redirect"]["same_site"] is False


def test_redirect_via_plain_hops_to_the_same_site_passes(site):
    plain = {"/": Route(302, "", (("Location", "/welcome"),)),
             "/welcome": Route(301, "", (("Location", "https://practice.example/"),))}
    scan = site.scan(plain=plain)
    assert scan.status("HTTP-HTTPS-REDIRECT") == "pass"
    assert [hop["status"] for hop in scan.facts["redirect"]["chain"]] == [302, 301]
    assert scan.facts["redirect"]["final_url"] == "https://practice.example/"


def test_redirect_loop_is_capped_and_fails(site):
    scan = site.scan(plain={"/": Route(302, "", (("Location", "/"),))}, max_redirects=3)
    assert scan.status("HTTP-HTTPS-REDIRECT") == "fail"
    assert scan.facts["redirect"]["capped"] is True
    assert scan.facts["redirect"]["hops"] == 4


def test_no_plain_http_listener_passes(site):
    scan = site.scan(plain=closed_port())
    assert scan.facts["redirect"]["available"] is False
    assert scan.status("HTTP-HTTPS-REDIRECT") == "pass"


def test_explicit_http_url_is_used(site):
    scan = site.scan(plain={"/old/": Route(301, "", (("Location", SITE),))},
                     http_url="http://www.practice.example/old/")
    assert scan.facts["redirect"]["url"] == "http://www.practice.example/old/"
    assert scan.status("HTTP-HTTPS-REDIRECT") == "pass"


# --- HTTP-HSTS -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (None, "fail"),
    ("max-age=300", "fail"),
    ("max-age=abc", "fail"),
    ("max-age=31536000; max-age=31536000", "fail"),
    ("includeSubDomains", "fail"),
    ('max-age="15552000"; preload', "pass"),
])
def test_hsts(site, value, expected):
    add = (("Strict-Transport-Security", value),) if value else ()
    scan = site.scan(https=home(with_headers(drop=("Strict-Transport-Security",), add=add)))
    assert scan.status("HTTP-HSTS") == expected


def test_hsts_only_first_header_counts_and_parameter_applies(site):
    headers = with_headers(drop=("Strict-Transport-Security",),
                           add=(("Strict-Transport-Security", "max-age=600"),
                                ("Strict-Transport-Security", "max-age=63072000")))
    scan = site.scan(https=home(headers))
    assert scan.facts["hsts"]["max_age"] == 600
    assert scan.status("HTTP-HSTS") == "fail"
    assert scan.status("HTTP-HSTS", {"min_max_age": 300}) == "pass"


# --- HTTP-CSP ------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, value, expected", [
    (None, None, "fail"),
    ("Content-Security-Policy-Report-Only", "default-src 'self'", "fail"),
    ("Content-Security-Policy", "default-src 'self' 'unsafe-inline'", "fail"),
    ("Content-Security-Policy", "script-src *", "fail"),
    ("Content-Security-Policy", "img-src 'self'", "fail"),
    ("Content-Security-Policy", "script-src 'nonce-r4nd0m' 'unsafe-inline' 'strict-dynamic' https:", "pass"),
    ("Content-Security-Policy", "default-src 'none'; script-src 'self'", "pass"),
])
def test_csp(site, header, value, expected):
    add = ((header, value),) if header else ()
    scan = site.scan(https=home(with_headers(drop=("Content-Security-Policy",), add=add)))
    assert scan.status("HTTP-CSP") == expected


# --- HTTP-CONTENT-TYPE-OPTIONS ---------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(None, "fail"), ("sniff", "fail"), ("NoSniff", "pass")])
def test_content_type_options(site, value, expected):
    add = (("X-Content-Type-Options", value),) if value else ()
    scan = site.scan(https=home(with_headers(drop=("X-Content-Type-Options",), add=add)))
    assert scan.status("HTTP-CONTENT-TYPE-OPTIONS") == expected


# --- HTTP-FRAME-OPTIONS --------------------------------------------------------------------------

@pytest.mark.parametrize("xfo, csp, expected", [
    (None, None, "fail"),
    ("ALLOW-FROM https://partner.example/", "default-src 'self'", "fail"),
    (None, "default-src 'self'; frame-ancestors *", "fail"),
    ("DENY, SAMEORIGIN", None, "fail"),
    ("sameorigin", None, "pass"),
    (None, "default-src 'self'; frame-ancestors 'self' https://portal.practice.example", "pass"),
])
def test_frame_options(site, xfo, csp, expected):
    add = tuple(h for h in (("X-Frame-Options", xfo), ("Content-Security-Policy", csp)) if h[1])
    headers = with_headers(drop=("X-Frame-Options", "Content-Security-Policy"), add=add)
    scan = site.scan(https=home(headers))
    assert scan.status("HTTP-FRAME-OPTIONS") == expected


def test_report_only_frame_ancestors_does_not_count(site):
    headers = with_headers(drop=("X-Frame-Options", "Content-Security-Policy"),
                           add=(("Content-Security-Policy-Report-Only", "frame-ancestors 'none'"),))
    assert site.scan(https=home(headers)).status("HTTP-FRAME-OPTIONS") == "fail"


# --- HTTP-REFERRER-POLICY ------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (None, "fail"), ("unsafe-url", "fail"), ("no-referrer-when-downgrade", "fail"),
    ("no-referrer, unsafe-url", "fail"), ("unsafe-url, same-origin", "pass"),
    ("same-origin, made-up-policy", "pass"), ("NO-REFERRER", "pass"),
])
def test_referrer_policy(site, value, expected):
    add = (("Referrer-Policy", value),) if value else ()
    scan = site.scan(https=home(with_headers(drop=("Referrer-Policy",), add=add)))
    assert scan.status("HTTP-REFERRER-POLICY") == expected


# --- cookies -------------------------------------------------------------------------------------

COOKIE_RULES = ("HTTP-COOKIE-SECURE", "HTTP-COOKIE-HTTPONLY", "HTTP-COOKIE-SAMESITE")


def cookie_site(*cookies: str) -> dict[str, Route]:
    routes = home(with_headers(drop=("Set-Cookie",), add=tuple(("Set-Cookie", c) for c in cookies)))
    routes["/contact"] = Route(200, GOOD_CONTACT, with_headers(drop=("Set-Cookie",)))
    return routes


def test_cookie_without_flags_fails_all_three(site):
    scan = site.scan(https=cookie_site("sid=abc123; Path=/"))
    assert {r: scan.status(r) for r in COOKIE_RULES} == dict.fromkeys(COOKIE_RULES, "fail")


def test_no_cookies_is_not_applicable(site):
    scan = site.scan(https=cookie_site())
    assert scan.facts["cookies"] == []
    assert {r: scan.status(r) for r in COOKIE_RULES} == dict.fromkeys(COOKIE_RULES, "not_applicable")


@pytest.mark.parametrize("cookie, secure, httponly, samesite", [
    ("a=1; Secure; HttpOnly; SameSite=Strict", "pass", "pass", "pass"),
    ("a=1; secure; httponly; samesite=none", "pass", "pass", "fail"),
    ("a=1; HttpOnly; SameSite=Lax", "fail", "pass", "pass"),
    ("a=1; Secure; SameSite=Lax", "pass", "fail", "pass"),
    ("a=1; Secure; HttpOnly; SameSite=sideways", "pass", "pass", "fail"),
    ("XSRF-TOKEN=t; Secure; SameSite=Strict", "pass", "pass", "pass"),
    ("old=; Max-Age=0; Path=/", "pass", "pass", "pass"),
    ("old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "pass", "pass", "pass"),
])
def test_cookie_flags(site, cookie, secure, httponly, samesite):
    scan = site.scan(https=cookie_site(cookie))
    assert [scan.status(r) for r in COOKIE_RULES] == [secure, httponly, samesite]


def test_one_bad_cookie_among_good_ones_fails(site):
    scan = site.scan(https=cookie_site("good=1; Secure; HttpOnly; SameSite=Lax", "tracker=2; Max-Age=86400"))
    assert scan.status("HTTP-COOKIE-SECURE") == "fail"
    assert [c["name"] for c in scan.facts["cookies"]] == ["good", "tracker"]
    assert scan.facts["cookies"][1]["persistent"] is True


def test_cookies_from_other_pages_and_redirects_count(site):
    routes = good_routes()
    routes["/contact"] = Route(200, GOOD_CONTACT, with_headers(add=(("Set-Cookie", "form=1; Secure"),)))
    plain = {"/": Route(301, "", (("Location", SITE), ("Set-Cookie", "plain=1")))}
    scan = site.scan(https=routes, plain=plain)
    pages = {c["name"]: c["page"] for c in scan.facts["cookies"]}
    assert pages == {"session": "/", "form": "/contact", "plain": "http://www.practice.example/"}
    assert scan.status("HTTP-COOKIE-HTTPONLY") == "fail"
    assert scan.status("HTTP-COOKIE-SECURE") == "fail"


def test_unfetchable_page_makes_cookie_rules_error_not_pass(site):
    routes = good_routes()
    routes["/contact"] = lambda path, headers: (_ for _ in ()).throw(ConnectionError("drop"))
    scan = site.scan(https=routes, timeout=1)
    assert scan.facts["pages"][1]["error"]
    assert scan.status("HTTP-COOKIE-SECURE") == "error"
    assert scan.status("HTTP-MIXED-CONTENT") == "error"
    assert scan.status("HTTP-FORM-INSECURE-ACTION") == "error"
    assert scan.status("HTTP-HSTS") == "pass"


# --- HTTP-MIXED-CONTENT --------------------------------------------------------------------------

@pytest.mark.parametrize("snippet, kind, active", [
    ('<script src="http://cdn.example/jquery.js"></script>', "script", True),
    ('<link rel="stylesheet" href="http://fonts.example/css">', "style", True),
    ('<iframe src="http://maps.example/embed"></iframe>', "frame", True),
    ('<img src="http://images.example/team.jpg">', "image", False),
    ('<video><source src="http://media.example/intro.mp4"></video>', "media", False),
])
def test_mixed_content_fails(site, snippet, kind, active):
    body = GOOD_HOME.replace("</body>", snippet + "</body>")
    scan = site.scan(https=home(body=body))
    assert scan.status("HTTP-MIXED-CONTENT") == "fail"
    (entry,) = scan.facts["mixed_content"]
    assert entry["page"] == "/" and entry["kind"] == kind and entry["active"] is active
    assert entry["url"].startswith("http://")


def test_plain_links_and_canonical_are_not_mixed_content(site):
    body = GOOD_HOME.replace("</head>", '<link rel="canonical" href="http://www.practice.example/">'
                                        '</head>').replace("</body>", '<a href="http://old.example/">x</a></body>')
    assert site.scan(https=home(body=body)).status("HTTP-MIXED-CONTENT") == "pass"


def test_base_href_over_http_makes_relative_resources_mixed(site):
    body = GOOD_HOME.replace("<head>", '<head><base href="http://www.practice.example/">')
    scan = site.scan(https=home(body=body))
    assert scan.status("HTTP-MIXED-CONTENT") == "fail"
    assert "http://www.practice.example/site.css" in {e["url"] for e in scan.facts["mixed_content"]}


# --- HTTP-FORM-INSECURE-ACTION -------------------------------------------------------------------

def test_form_posting_over_http_fails(site):
    routes = good_routes()
    routes["/contact"] = Route(200, '<form action="http://forms.practice.example/intake" method="post">'
                                    '<input name="diagnosis"></form>', SECURE_HEADERS)
    scan = site.scan(https=routes)
    assert scan.status("HTTP-FORM-INSECURE-ACTION") == "fail"
    assert scan.facts["insecure_forms"] == [{"page": "/contact", "action": "http://forms.practice.example/intake",
                                             "method": "POST", "fields": 1}]
    # on an HTTPS page the same form is mixed content too
    assert scan.status("HTTP-MIXED-CONTENT") == "fail"


def test_form_on_https_page_with_relative_action_passes(site):
    assert site.scan().status("HTTP-FORM-INSECURE-ACTION") == "pass"


# --- HTTP-SECURITY-TXT ---------------------------------------------------------------------------

def sec_routes(body: str | None, content_type: str = "text/plain; charset=utf-8", legacy: bool = False):
    routes = good_routes()
    del routes["/.well-known/security.txt"]
    if body is not None:
        routes["/.well-known/security.txt"] = Route(200, body, (("Content-Type", content_type),))
    if legacy:
        routes["/security.txt"] = Route(200, security_txt(), (("Content-Type", "text/plain"),))
    return routes


PAST = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("routes, expected", [
    (sec_routes(None), "fail"),
    (sec_routes(security_txt(expires=PAST)), "fail"),
    (sec_routes(security_txt(contact=False)), "fail"),
    (sec_routes("Contact: mailto:a@practice.example\n"), "fail"),
    (sec_routes("Contact: mailto:a@practice.example\nExpires: next year\n"), "fail"),
    (sec_routes(security_txt(), content_type="text/html"), "fail"),
    (sec_routes(security_txt()), "pass"),
    (sec_routes("Contact: https://practice.example/report\nExpires: 2099-01-01T00:00:00+02:00\n"), "pass"),
])
def test_security_txt(site, routes, expected):
    assert site.scan(https=routes).status("HTTP-SECURITY-TXT") == expected


def test_security_txt_legacy_location_is_noted_but_does_not_pass(site):
    scan = site.scan(https=sec_routes(None, legacy=True))
    assert scan.facts["security_txt"]["fallback_present"] is True
    assert scan.status("HTTP-SECURITY-TXT") == "fail"


def test_signed_security_txt(site):
    body = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + security_txt()
            + "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n")
    scan = site.scan(https=sec_routes(body))
    assert scan.facts["security_txt"]["signed"] is True
    assert scan.status("HTTP-SECURITY-TXT") == "pass"


def test_expired_security_txt_reports_days(site):
    scan = site.scan(https=sec_routes(security_txt(expires=PAST)))
    assert scan.facts["security_txt"]["expired"] is True
    assert scan.facts["security_txt"]["days_to_expiry"] < 0


def test_security_txt_never_answering_is_error(site):
    routes = good_routes()
    routes["/.well-known/security.txt"] = lambda path, headers: __import__("time").sleep(3) or Route()
    scan = site.scan(https=routes, timeout=1)
    assert scan.status("HTTP-SECURITY-TXT") == "error"
    assert scan.status("HTTP-HSTS") == "pass"


def test_html_content_type_alias(site):
    assert HTML.startswith("text/html")


def test_site_served_only_over_plain_http(site):
    """A site without HTTPS: its forms post in clear text and HSTS sent over HTTP is ignored."""
    plain = good_routes()
    scan = site.scan(https=closed_port(), plain=plain, url="http://www.practice.example/")
    assert scan.facts["https"] is False
    assert scan.facts["hsts"]["present"] is False and "plain HTTP" in scan.facts["hsts"]["problem"]
    assert scan.status("HTTP-HSTS") == "fail"
    assert scan.status("HTTP-HTTPS-REDIRECT") == "fail"
    assert scan.status("HTTP-MIXED-CONTENT") == "not_applicable"
    assert scan.status("HTTP-FORM-INSECURE-ACTION") == "fail"
    assert scan.status("HTTP-COOKIE-SECURE") == "pass"  # the cookie is marked Secure, even if useless here
    assert scan.status("HTTP-SECURITY-TXT") == "fail"  # served, but not over HTTPS
