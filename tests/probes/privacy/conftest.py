from __future__ import annotations

import pytest

from cyberaudit.demo.http_server import Route

from . import sitepages
from .world import JS, World


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("privacy-world"))
    # lakeside.test: the clean practice; sunny.test: every tag a web agency might paste.
    w.serve({"/": Route(200, sitepages.CLEAN_HOME), "/contact": Route(200, sitepages.CLEAN_CONTACT),
             "/privacy": Route(200, "<p>policy</p>"), "/site.js": Route(200, "", JS),
             "/style.css": Route(200, "", (("Content-Type", "text/css"),)),
             "/img/office.jpg": Route(200, b"", (("Content-Type", "image/jpeg"),))},
            ("lakeside.test", "www.lakeside.test"))
    w.serve({"/": Route(200, sitepages.TAGGED_HOME), "/intake": Route(200, sitepages.INTAKE),
             "/book": Route(200, sitepages.BOOKING),
             "/moved": Route(302, "", (("Location", "https://www.lakeside.test/"),))},
            ("sunny.test",))
    # hidden.test: trackers added only by its own JavaScript; consent.test: only after "Accept all"
    w.serve({"/": Route(200, sitepages.INJECTED_HOME), "/app.js": Route(200, sitepages.INJECTOR_JS, JS)},
            ("hidden.test",))
    w.serve({"/": Route(200, sitepages.CONSENT_HOME)}, ("consent.test",))
    yield w
    w.stop()
