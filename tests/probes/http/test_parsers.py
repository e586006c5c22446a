"""Header, cookie, security.txt and same-site parsing on their own (no network needed)."""

from __future__ import annotations

import datetime as dt

from cyberaudit.probes.http import headers as hdr
from cyberaudit.probes.http.cookies import parse_set_cookie
from cyberaudit.probes.http.securitytxt import parse_rfc3339, parse_security_txt
from cyberaudit.probes.http.sites import registrable_domain, same_site

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)


def test_hsts_parsing():
    h = hdr.parse_hsts(['max-age=63072000; includeSubDomains; preload'])
    assert (h.valid, h.max_age, h.include_subdomains, h.preload) == (True, 63072000, True, True)
    assert hdr.parse_hsts(['MAX-AGE="300" ;']).max_age == 300
    assert hdr.parse_hsts(["max-age=0"]).max_age == 0
    assert hdr.parse_hsts(["max-age=-1"]).valid is False
    assert hdr.parse_hsts(["preload"]).problem == "max-age is missing"
    assert hdr.parse_hsts([]).present is False


def test_csp_first_directive_wins_and_sources_are_lists():
    d = hdr.parse_csp("script-src 'self'; SCRIPT-SRC *; img-src https: data:;;  ")
    assert d == {"script-src": ["'self'"], "img-src": ["https:", "data:"]}
    facts = hdr.csp_facts(["default-src 'self'; frame-ancestors 'none'; upgrade-insecure-requests"], [])
    assert facts["script_src"] == ["'self'"] and facts["frame_ancestors_restricts"] is True
    assert facts["upgrade_insecure_requests"] is True
    assert hdr.csp_facts([], ["default-src 'self'"])["report_only"] is True
    assert hdr.csp_facts([], [])["present"] is False
    assert hdr.csp_facts(["script-src 'sha256-abc=' 'unsafe-inline'"], [])["unsafe_inline"] is False


def test_frame_and_referrer_and_nosniff():
    assert hdr.frame_options_facts(["deny"])["valid"] is True
    assert hdr.frame_options_facts(["DENY", "SAMEORIGIN"])["valid"] is False
    assert hdr.referrer_policy_facts(["no-referrer", "bogus"])["value"] == "no-referrer"
    assert hdr.referrer_policy_facts([])["value"] == ""
    assert hdr.content_type_options_facts([" nosniff "])["nosniff"] is True


def test_cookie_attributes_without_value():
    c = parse_set_cookie("__Host-sid=s3cr3t; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600", NOW)
    assert c is not None
    facts = c.facts("/")
    assert "s3cr3t" not in repr(facts) and "s3cr3t" not in repr(c)
    assert facts["name"] == "__Host-sid" and facts["host_prefix"] is True
    assert (c.secure, c.httponly, c.samesite, c.persistent, c.max_age) == (True, True, "strict", True, 3600)
    assert c.expires == "2026-11-26T13:00:00+00:00"


def test_cookie_expiry_forms():
    c = parse_set_cookie("a=1; Expires=Wed, 21-Oct-2037 07:28:00 GMT; Domain=.Practice.example", NOW)
    assert c.persistent and c.expires.startswith("2037-10-21T07:28:00") and c.domain == "practice.example"
    gone = parse_set_cookie("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", NOW)
    assert gone.deleting and not gone.persistent
    # Max-Age wins over Expires
    assert parse_set_cookie("a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Max-Age=0", NOW).deleting
    assert parse_set_cookie("a=1; Max-Age=soon", NOW).persistent is False
    assert parse_set_cookie("=novalue; Secure", NOW) is None
    assert parse_set_cookie("novalue", NOW) is None
    assert parse_set_cookie("a=1; SameSite", NOW).samesite == ""


def test_security_txt_fields():
    text = ("# comment\nContact: mailto:a@practice.example\ncontact: tel:+1-555\n"
            "Expires: 2027-01-31T23:59:59-05:00\nPolicy: https://practice.example/policy\n"
            "Preferred-Languages: en, es\nnot a field line\n")
    parsed = parse_security_txt(text)
    facts = parsed.facts(NOW)
    assert facts["contact"] == ["mailto:a@practice.example", "tel:+1-555"]
    assert facts["expires"] == "2027-02-01T04:59:59+00:00"
    assert facts["expires_valid"] and facts["expired"] is False and facts["expires_within_year"] is True
    assert facts["preferred_languages"] == "en, es"


def test_security_txt_two_expires_is_invalid():
    facts = parse_security_txt("Contact: x\nExpires: 2027-01-01T00:00:00Z\nExpires: 2028-01-01T00:00:00Z\n").facts(NOW)
    assert facts["expires_valid"] is False and facts["expired"] is None


def test_rfc3339():
    assert parse_rfc3339("2027-01-01T00:00:00Z") == dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
    assert parse_rfc3339("2027-01-01t00:00:00.5+01:00") == dt.datetime(2026, 12, 31, 23, tzinfo=dt.timezone.utc)
    for bad in ("2027-01-01", "2027-13-01T00:00:00Z", "tomorrow", "2027-01-01T00:00:00"):
        assert parse_rfc3339(bad) is None


def test_same_site():
    assert registrable_domain("www.practice.example") == "practice.example"
    assert registrable_domain("a.b.practice.co.uk") == "practice.co.uk"
    assert same_site("http://practice.example/", "https://www.practice.example:8443/x")
    assert not same_site("https://practice.github.io/", "https://other.github.io/")
    assert not same_site("https://practice-lookalike.example/", "https://www.practice.example/")
    assert same_site("http://127.0.0.1:8080/", "https://127.0.0.1/")
    assert not same_site("not a url", "https://www.practice.example/")
