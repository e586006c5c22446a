"""The static scan on 43 small-practice pages served from loopback: trackers by product, forms, health questions."""

from __future__ import annotations

import pytest

from cyberaudit.demo.http_server import Route

from .corpus.pages import PAGES
from .corpus.score import score
from .world import World, run_privacy, website


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("privacy-corpus"))
    w.serve({f"/{p.name}": Route(200, p.html) for p in PAGES}, ("corpus.test",))
    yield w
    w.stop()


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_static_scan_names_each_tracker_form_and_health_question(corpus_site, page):
    out = run_privacy(website(f"https://corpus.test/{page.name}", [f"/{page.name}"]), corpus_site.network())
    result = score(page, out.facts)
    assert not result.missed and not result.extra, (result.missed, result.extra)
    assert (result.forms, result.health_forms) == (page.forms, page.health_forms)
