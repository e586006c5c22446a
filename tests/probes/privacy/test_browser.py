"""Browser mode: pages rendered in headless Chromium, every request, cookie and storage key recorded."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from cyberaudit.errors import InputError, ProbeError
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.probes.privacy.browser import check_browser_available, chromium_path, resolver_plan

from .world import outcomes, run_privacy, website

needs_browser = pytest.mark.skipif(chromium_path() is None, reason="no Chromium installed")
pytestmark = [pytest.mark.browser]


def test_missing_browser_is_a_one_line_input_error(monkeypatch, tmp_path):
    monkeypatch.setenv("CYBERAUDIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(InputError) as info:
        check_browser_available()
    message = str(info.value)
    assert "\n" not in message
    assert "apt-get install chromium" in message and "CYBERAUDIT_CHROMIUM" in message


def test_missing_browser_makes_the_probe_error_not_pass(monkeypatch, tmp_path, world):
    monkeypatch.setenv("CYBERAUDIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ProbeError, match="no Chromium browser found"):
        run_privacy(website("https://lakeside.test/", ["/"]), world.network(), browser=True)


def test_resolver_rules_follow_the_scan_settings():
    network = Network(NetworkSettings(resolve={("a.test", 443): "127.0.0.2"},
                                      connect_to={("b.test", 443): ("::1", 8443)}))
    plan = resolver_plan(network, [("a.test", 443)], confine=True)
    assert plan.rules == "MAP a.test:443 127.0.0.2:443, MAP b.test:443 [::1]:8443, MAP * ~NOTFOUND"
    assert resolver_plan(network, [], confine=False).rules.endswith("[::1]:8443")
    # a public scan: no overrides, nothing mapped, nothing confined
    public = resolver_plan(Network(NetworkSettings()), [("lakeside.example", 443)], confine=False)
    assert public.rules == "" and public.mapped == ()
    staged = Network(NetworkSettings())
    staged.add_address("lakeside.example", 443, "127.0.0.9")  # a website's address:
    assert resolver_plan(staged, [("lakeside.example", 443)], confine=True).rules == \
        "MAP lakeside.example:443 127.0.0.9:443, MAP * ~NOTFOUND"


@needs_browser
def test_injected_trackers_are_found_by_the_browser(world):
    out = run_privacy(website("https://hidden.test/", ["/"]), world.network(), browser=True)
    assert out.facts["mode"] == "browser" and out.facts["sees_injected_tags"] is True
    products = {t["product"]: t for t in out.facts["trackers"]}
    # app.js adds GTM and the Meta pixel; the GTM container then adds Hotjar
    assert {"Google Tag Manager", "Meta Pixel", "Hotjar", "Google Analytics 4"} <= set(products)
    assert products["Google Tag Manager"]["evidence"].startswith("https://www.googletagmanager.com/gtm.js")
    assert "Hotjar" in {t["product"] for t in out.facts["session_replay"]}
    assert "Meta Pixel" in {t["product"] for t in out.facts["advertising"]}
    cookies = {c["name"]: c for c in out.facts["cookies"]}
    assert cookies["_ga"]["party"] == "first" and cookies["_ga"]["company"] == "Google"
    keys = {(s["origin"], s["key"]) for s in out.facts["local_storage"]}
    assert ("https://hidden.test", "_hjSessionUser_42") in keys
    assert out.facts["privacy_policy"]["present"] is True  # "Notice of Privacy Practices"
    result = outcomes(out)
    assert result["PRIV-TRACKERS"] == result["PRIV-SESSION-REPLAY"] == result["PRIV-AD-PIXELS"] == "fail"
    # the same page scanned statically: nothing seen, and the facts say why
    static = run_privacy(website("https://hidden.test/", ["/"]), world.network())
    assert static.facts["trackers"] == [] and "cannot see tags that JavaScript injects" in static.facts["note"]


@needs_browser
def test_browser_on_the_clean_site_passes_and_never_leaves_loopback(world):
    before = len(world.trackers.requests)
    out = run_privacy(website("https://lakeside.test/", ["/", "/contact"]), world.network(), browser=True)
    assert out.errors == {}
    assert out.facts["trackers"] == [] and out.facts["third_parties"] == []
    assert [(p["page"], p["status"]) for p in out.facts["pages"]][:2] == [("/", 200), ("/contact", 200)]
    # the crawl read the page the home page links to as well
    assert {p["page"]: p["found_by"] for p in out.facts["pages"][2:]} == {"/privacy": "link from /"}
    result = outcomes(out)
    # no cookie banner to reject: the consent rule does not apply; everything else passes
    assert result.pop("PRIV-CONSENT-IGNORED") == "not_applicable"
    assert result == dict.fromkeys(result, "pass") and len(result) == 8
    assert len(world.trackers.requests) == before


@needs_browser
def test_tagged_site_and_unmapped_names_fail_to_resolve(world):
    out = run_privacy(website("https://sunny.test/", ["/", "/intake"]), world.network(), browser=True)
    products = {t["product"] for t in out.facts["trackers"]}
    assert {"Google Tag Manager", "Meta Pixel", "Hotjar", "TikTok Pixel", "LinkedIn Insight Tag"} <= products
    assert any(m.startswith("request (") for t in out.facts["trackers"] for m in t["methods"])
    # bat.bing.com is not mapped by the scan: the request is recorded, its name never resolved
    uet = next(t for t in out.facts["trackers"] if t["company"] == "Microsoft")
    assert uet["page"] == "/intake" and uet["evidence"].startswith("https://bat.bing.com/")
    failed = {f["url"]: f["reason"] for p in out.facts["pages"] for f in p["failed_requests"]}
    assert failed["https://bat.bing.com/action/0?ti=…&Ver=…"] == "net::ERR_NAME_NOT_RESOLVED"  # values never kept
    (form,) = out.facts["forms"]
    assert form["third_party"] is True and "q4" in form["health_fields"]
    result = outcomes(out)
    # these tags' scripts read nothing typed into the intake form; there is no banner to reject
    assert (result.pop("PRIV-FORM-INPUT-LEAK"), result.pop("PRIV-CONSENT-IGNORED")) == ("pass", "not_applicable")
    result.pop("PRIV-HEALTH-URL-TO-THIRD-PARTY")
    assert set(result.values()) == {"fail"}


@needs_browser
def test_consent_acceptance_is_recorded_when_asked(world):
    target = website("https://consent.test/", ["/"])
    before = run_privacy(target, world.network(), browser=True)
    assert before.facts["trackers"] == []
    assert "without clicking" in before.facts["note"]
    after = run_privacy(target, world.network(), browser=True, accept_consent=True)
    assert "Meta Pixel" in {t["product"] for t in after.facts["trackers"]}
    assert "after trying to accept" in after.facts["note"]


@pytest.fixture
def silent_server():
    """Accepts TCP connections and never answers (a hung server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    sock.close()


@needs_browser
def test_hung_server_gets_a_timeout_and_an_error(world, silent_server):
    network = world.network()
    network.settings.connect_to[("hung.test", 443)] = ("127.0.0.1", silent_server)
    started = time.monotonic()
    with pytest.raises(ProbeError, match="no page could be checked: /: the page did not finish loading"):
        run_privacy(website("https://hung.test/", ["/"]), network, browser=True, seconds=4)
    assert time.monotonic() - started < 15


# Browsers inherit this marker, orphaned helpers included, so another test run's Chromium on the same
# machine is never mistaken for a leak of ours.
_MARKER = f"CYBERAUDIT_TEST_RUN={os.getpid()}".encode()
os.environ["CYBERAUDIT_TEST_RUN"] = str(os.getpid())


def _ours(entry: Path) -> bool:
    try:
        return _MARKER in (entry / "environ").read_bytes().split(b"\0")
    except OSError:
        return False


def _our_chromium_processes() -> list[int]:
    """Chromium processes started by this test process, still running with a cyberaudit profile."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"cyberaudit-chromium-" in cmdline and b"--user-data-dir" in cmdline and _ours(entry):
                pids.append(int(entry.name))
    return pids


@needs_browser
def test_a_page_that_never_yields_is_stopped_at_the_deadline(world):
    from cyberaudit.demo.http_server import HttpServer, Route

    busy = ("<html><body>x<script src='https://connect.facebook.net/en_US/fbevents.js'></script>"
            "<script>setTimeout(function(){ while (true) {} }, 20)</script></body></html>")
    with HttpServer({"/": Route(200, busy)}, tls=world.tls) as server:
        network = world.network()
        network.settings.connect_to[("sunny.test", 443)] = ("127.0.0.1", server.port)
        started = time.monotonic()
        with pytest.raises(ProbeError, match="kept the browser busy"):
            run_privacy(website("https://sunny.test/", ["/"]), network, browser=True, seconds=5)
        assert time.monotonic() - started < 12
        # in a scan the http probe has the page as served: it is checked with what it requested
        out = run_privacy(website("https://sunny.test/", ["/"]), network, browser=True, seconds=8,
                          with_http=True)
        (page,) = out.facts["pages"]
        assert page["analysed"] is True and "kept the browser busy" in page["incomplete"]
        assert "Meta Pixel" in {t["product"] for t in out.facts["trackers"]}
        assert "kept the browser busy" in out.errors["privacy.session_replay"]  # nothing found proves nothing
    # the scan's shared browser stops once no website uses it
    until = time.monotonic() + 10
    while _our_chromium_processes() and time.monotonic() < until:
        time.sleep(0.2)
    assert _our_chromium_processes() == []


@needs_browser
def test_a_form_inside_a_third_party_frame_is_found_by_the_browser(world):
    target = website("https://sunny.test/book", ["/book"])
    static = run_privacy(target, world.network())
    assert static.facts["forms"] == []
    assert outcomes(static)["PRIV-FORM-THIRD-PARTY"] == "not_applicable"
    rendered = run_privacy(target, world.network(), browser=True)
    (form,) = rendered.facts["forms"]
    assert form["frame"] == "https://forms.intake-hub.test/embed"
    assert form["destination"] == "forms.intake-hub.test" and form["third_party"] is True
    assert form["health_fields"] == ["symptoms"]
    assert outcomes(rendered)["PRIV-FORM-THIRD-PARTY"] == "fail"


@needs_browser
def test_a_lingering_browser_that_was_ended_is_replaced_not_reused():
    from cyberaudit import children
    from cyberaudit.probes.privacy.browser import _close, _new_context
    from cyberaudit.probes.privacy.shared_browser import lease

    executable, args = chromium_path(), ["--no-sandbox"]
    with lease(executable, args, time.monotonic() + 20) as first:
        pass
    # it waits for the next website; another command's clean-up (or a crash) ends it meanwhile
    assert children.end_all() >= 1
    with lease(executable, args, time.monotonic() + 20) as second:
        assert second is not first and second.alive()
        context = second.call(_new_context(second), time.monotonic() + 10)
        second.call(_close(context), time.monotonic() + 5)
