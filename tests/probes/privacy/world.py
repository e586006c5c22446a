"""A loopback practice website and loopback "tracker vendors" for the privacy tests.

Every host name used here is sent to 127.0.0.1 with --connect-to rules; the certificates come from
a CA made for the test run and given to the scan as its --ca-bundle.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from cyberaudit.conditions import FactView, evaluate
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.packs import Pack, load_pack
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.probes.http.pages import FetchedPage
from cyberaudit.profile import Platform, Practice, PrivacySettings, Profile, TrackerList, Website
from cyberaudit.resources import builtin_rules_dir
from cyberaudit.targets import Target

from . import sitepages

TRACKER_HOSTS = (
    "www.googletagmanager.com", "www.google-analytics.com", "connect.facebook.net", "www.facebook.com",
    "static.hotjar.com", "analytics.tiktok.com", "snap.licdn.com", "px.ads.linkedin.com",
    "forms.intake-hub.test", "secure.simplepractice.com", "cdn.listed-only.test",
)
SITE_HOSTS = ("lakeside.test", "www.lakeside.test", "sunny.test", "hidden.test", "consent.test")
JS = (("Content-Type", "application/javascript"),)
GIF = (("Content-Type", "image/gif"),)
PIXEL = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00" \
        b"\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"

# What the vendors' hosts serve. gtm.js injects Hotjar, as a tag-manager container does.
TRACKER_ROUTES = {
    "/gtm.js": Route(200, "(function(){var s=document.createElement('script');"
                          "s.src='https://static.hotjar.com/c/hotjar-42.js?sv=6';document.head.appendChild(s);})();",
                     JS),
    "/gtag/js": Route(200, "window.dataLayer=window.dataLayer||[];", JS),
    "/en_US/fbevents.js": Route(200, "document.cookie='_fbp=fb.1.1700000000.42; path=/';", JS),
    "/tr": Route(200, PIXEL, GIF),
    "/c/hotjar-42.js": Route(200, "try{localStorage.setItem('_hjSessionUser_42','x')}catch(e){}", JS),
    "/i18n/pixel/events.js": Route(200, "", JS),
    "/li.lms-analytics/insight.min.js": Route(200, "", JS),
    "/collect": Route(204, b"", GIF),
    "/submit": Route(200, "<p>thanks</p>"),
    "/embed": Route(200, sitepages.EMBEDDED_FORM),
    "/widget.js": Route(200, "", JS),
    "/listed.js": Route(200, "", JS),
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class World:
    """The CA, the tracker server and the sites started for one test module."""

    tmp: Path
    ca: trustme.CA = field(default_factory=trustme.CA)
    servers: list[HttpServer] = field(default_factory=list)
    connect_to: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.refused = closed_port()
        self.ca_file = self.tmp / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        leaf = self.ca.issue_cert(*TRACKER_HOSTS, *SITE_HOSTS)
        self.tls = server_context(b"".join(p.bytes() for p in leaf.cert_chain_pems), leaf.private_key_pem.bytes())
        self.trackers = self.serve(TRACKER_ROUTES, TRACKER_HOSTS)
        # down.test: a loopback port nobody listens on (connection refused, no lookup anywhere)
        self.connect_to[("down.test", 443)] = ("127.0.0.1", self.refused)
        self.connect_to[("down.test", 80)] = ("127.0.0.1", self.refused)

    def serve(self, routes: dict, hosts: tuple[str, ...]) -> HttpServer:
        server = HttpServer(routes, tls=self.tls).start()
        self.servers.append(server)
        for host in hosts:
            self.connect_to[(host, 443)] = ("127.0.0.1", server.port)
            # the http probe's plain-HTTP redirect check: refused at once, never looked up
            self.connect_to[(host, 80)] = ("127.0.0.1", self.refused)
        return server

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def network(self, **overrides: object) -> Network:
        settings = dict(connect_to=dict(self.connect_to), ca_bundle=self.ca_file, connect_timeout=2.0,
                        read_timeout=3.0)
        settings.update(overrides)
        return Network(NetworkSettings(**settings))  # type: ignore[arg-type]


def profile(*, platforms: list[Platform] | None = None, lists: list[TrackerList] | None = None) -> Profile:
    return Profile(practice=Practice(name="t"), platforms=platforms or [],
                   privacy=PrivacySettings(tracker_lists=lists or []))


def website(url: str, pages: list[str], max_pages: int | None = None) -> Target:
    return Target("website", url, Website(url=url, pages=pages, max_pages=max_pages))


def http_output(network: Network, target: Target, prof: Profile | None = None) -> ProbeOutput:
    """What the real http probe hands on: its facts (the crawl) and the pages (it raises ProbeError)."""
    from cyberaudit.probes.http.probe import PROBE as HTTP

    ctx = ProbeContext(profile=prof or profile(), network=network, options=ScanOptions(),
                       deadline=time.monotonic() + 15)
    return HTTP.run(target, ctx)


def fetch_pages(network: Network, target: Target, prof: Profile | None = None) -> list[FetchedPage]:
    """The pages as the real http probe fetched and shared them (it raises ProbeError like in a scan)."""
    return http_output(network, target, prof).artifacts["pages"]


def run_privacy(target: Target, network: Network, prof: Profile | None = None, *,
                browser: bool = False, accept_consent: bool = False, seconds: float = 20,
                profile_dir: Path | None = None, reject_consent: bool = False,
                with_http: bool = False) -> ProbeOutput:
    """Run the real privacy probe on a target, after the pages were fetched (static mode, or
    `with_http` in browser mode, as in a scan)."""
    from cyberaudit.probes.privacy.probe import PROBE

    deps = {}
    if not browser or with_http:
        http = http_output(network, target, prof)
        deps["http"] = ProbeOutput(facts={"crawl": http.facts.get("crawl")}, artifacts=http.artifacts)
    ctx = ProbeContext(profile=prof or profile(), network=network,
                       options=ScanOptions(browser=browser, browser_accept_consent=accept_consent,
                                           browser_reject_consent=reject_consent),
                       deadline=time.monotonic() + seconds, deps=deps, profile_dir=profile_dir)
    return PROBE.run(target, ctx)


def privacy_pack() -> Pack:
    return load_pack(builtin_rules_dir() / "privacy.yaml", builtin=True)


def outcomes(output: ProbeOutput) -> dict[str, str]:
    """Each privacy rule's status for this output: pass, fail, error or not_applicable."""
    view = FactView({"privacy": output.facts}, output.errors)
    out = {}
    for rule in privacy_pack().rules:
        params = rule.default_params()
        if rule.applies_if is not None:
            applies = evaluate(rule.applies_if, view, params)
            if applies.status == "fail":
                out[rule.id] = "not_applicable"
                continue
            if applies.status == "error":
                out[rule.id] = "error"
                continue
        out[rule.id] = evaluate(rule.check, view, params).status
    return out
