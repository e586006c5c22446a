"""Which parts of an address are kept: scheme, host, port, path and parameter names; never values."""

from __future__ import annotations

import pytest

from cyberaudit.urlsafe import safe_facts, safe_text, safe_url


@pytest.mark.parametrize(("url", "kept"), [
    ("https://site.example/intake?token=abc123&step=2", "https://site.example/intake?token=…&step=…"),
    ("https://b.s3.amazonaws.com/o.png?X-Amz-Signature=f00&X-Amz-Credential=AKIA%2F",
     "https://b.s3.amazonaws.com/o.png?X-Amz-Signature=…&X-Amz-Credential=…"),
    ("https://www.facebook.com/tr?id=4242&ev=PageView", "https://www.facebook.com/tr?id=…&ev=…"),
    ("https://site.example/cb#access_token=eyJ&state=1", "https://site.example/cb#…"),
    ("https://site.example/#contact", "https://site.example/#…"),
    ("https://user:pa55@site.example:8443/x", "https://…@site.example:8443/x"),
    ("https://site.example/app;jsessionid=0AB1/page", "https://site.example/app;jsessionid=…/page"),
    ("https://site.example/?s3cr3t", "https://site.example/?…"),
    ("https://site.example/?a=1;b=2&&c", "https://site.example/?a=…;b=…&&…"),
    ("/login?session=abc", "/login?session=…"),
    ("?step=2&t=abc", "?step=…&t=…"),
    ("//cdn.example/a.js?v=abc", "//cdn.example/a.js?v=…"),
    ("https://site.example/plain/path", "https://site.example/plain/path"),
    ("mailto:security@site.example", "mailto:security@site.example"),
    ("https://[::1]:8443/?k=v", "https://[::1]:8443/?k=…"),
    ("https://site.example/?" + "n" * 100 + "=v", "https://site.example/?…"),
    ("", ""),
])
def test_safe_url(url: str, kept: str) -> None:
    assert safe_url(url) == kept
    assert safe_url(kept) == kept  # applying it again changes nothing


def test_addresses_inside_free_text() -> None:
    text = ("https://site.example/gone?session=abc answered 404 Not Found; "
            "invalid Location header '?t=xyz' (see /csp?key=k1, https://r.example/?a=b).")
    assert safe_text(text) == ("https://site.example/gone?session=… answered 404 Not Found; "
                               "invalid Location header '?t=…' (see /csp?key=…, https://r.example/?a=…).")


@pytest.mark.parametrize("text", [
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu/abc+def==",
    "v=DMARC1; p=reject; rua=mailto:dmarc@site.example; pct=100",
    "max-age=31536000; includeSubDomains; preload",
    "default-src 'self'; script-src 'self' https://cdn.example 'sha256-r4nd/om=='",
    "camera=(), microphone=()",
    "the website could not be fetched: connection timed out after 5s",
    "session=present; Path=/; Secure",
])
def test_text_without_addresses_is_unchanged(text: str) -> None:
    assert safe_text(text) == text


def test_csp_nonces_are_replaced() -> None:
    assert safe_text("script-src 'self' 'nonce-r4Nd/0m+=='; object-src 'none'") == (
        "script-src 'self' 'nonce-…'; object-src 'none'")


def test_facts_tree_keeps_shape_and_non_strings() -> None:
    facts = {"final_url": "?a=1", "status": 200, "ok": True, "pages": [{"url": "/x?y=z", "title": "Home"}],
             "headers": {"content-security-policy": "report-uri https://r.example/?token=t"}, "none": None}
    assert safe_facts(facts) == {"final_url": "?a=…", "status": 200, "ok": True,
                                 "pages": [{"url": "/x?y=…", "title": "Home"}],
                                 "headers": {"content-security-policy": "report-uri https://r.example/?token=…"},
                                 "none": None}
