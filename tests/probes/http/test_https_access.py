"""Whole scans of sites without HTTPS, with broken certificates and with old cipher suites.

Each case is a real loopback practice site (plain HTTP and HTTPS servers on 127.0.0.1) scanned through
`run_scan`, and the verdicts are the ones a practice reads: "no HTTPS" is a finding, a bad certificate
fails the TLS rules and no longer hides the headers, cookies, trackers and forms behind it.
"""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import NetworkSettings
from cyberaudit.render.markdown import render_markdown
from cyberaudit.result import Result
from cyberaudit.scan import ScanRequest, run_scan

from .conftest import HTML, closed_port

HOST = "clinic.example"
NOW = dt.datetime.now(dt.timezone.utc)
TLS_RULES = ("TLS-CERT-TRUSTED", "TLS-CERT-HOSTNAME", "TLS-CERT-NOT-EXPIRED", "TLS-CERT-EXPIRY-WINDOW",
             "TLS-CERT-KEY-STRENGTH", "TLS-CERT-SIGNATURE", "TLS-PROTOCOL-LEGACY", "TLS-PROTOCOL-TLS13",
             "TLS-CIPHER-WEAK", "TLS-FORWARD-SECRECY")

LOGIN = """<!doctype html><html><head><title>Client portal</title></head><body>
<form action="/login" method="post"><input name="email"><input type="password" name="password">
<button>Sign in</button></form><a href="/privacy">Privacy policy</a></body></html>"""
# an intake page with the Meta pixel: a tracker on a form that asks for health information
INTAKE = """<!doctype html><html><head><title>Intake</title>
<script src="https://connect.facebook.net/en_US/fbevents.js"></script></head><body>
<form action="/intake/send" method="post"><label for="d">Diagnosis</label><input id="d" name="diagnosis">
<label for="b">Date of birth</label><input id="b" name="dob"><button>Send</button></form>
<a href="/privacy">Privacy policy</a></body></html>"""
HEADERS = (("Content-Type", HTML), ("Strict-Transport-Security", "max-age=31536000"),
           ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
           ("Referrer-Policy", "no-referrer"),
           ("Set-Cookie", "sid=VALUE42; Path=/; Secure; HttpOnly; SameSite=Lax"))
PLAIN_HEADERS = (("Content-Type", HTML), ("Set-Cookie", "sid=VALUE42; Path=/"))


@dataclass
class Pki:
    root: certs.Issued
    intermediate: certs.Issued
    bundle: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    root = certs.make_ca("Clinic Test Root CA")
    intermediate = certs.issue(root, [], is_ca=True, common_name="Clinic Test Intermediate CA")
    bundle = tmp_path_factory.mktemp("trust") / "ca.pem"
    bundle.write_bytes(root.cert_pem)
    return Pki(root, intermediate, bundle)


@contextmanager
def servers(https: ssl.SSLContext | None, https_routes: dict[str, Route] | None,
            plain_routes: dict[str, Route] | None) -> Iterator[tuple[int, int]]:
    """(https port, plain port): a server for each given table, else a port that refuses."""
    with ExitStack() as stack:
        ports = []
        for routes, tls in ((https_routes, https), (plain_routes, None)):
            if routes is None:
                ports.append(closed_port())
            else:
                ports.append(stack.enter_context(HttpServer(routes=routes, tls=tls)).port)
        yield ports[0], ports[1]


def scan(tmp_path: Path, pki: Pki, website: str, https_port: int, plain_port: int,
         pages: str = "[/]") -> Result:
    """A profile with one website on HOST, every name of the scan pointed at the loopback servers."""
    profile = tmp_path / "cyberaudit.yaml"
    profile.write_text(f"practice: {{name: Clinic}}\ntargets:\n  websites:\n    - {website}\n"
                       f"      pages: {pages}\n")
    settings = NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", https_port),
                                           (HOST, 80): ("127.0.0.1", plain_port)},
                               ca_bundle=pki.bundle, connect_timeout=3, read_timeout=3)
    return run_scan(ScanRequest(profile_path=profile, network=settings, timeout=30))


def verdicts(result: Result, target: str) -> dict[str, str]:
    return {f.rule_id: f.status for f in result.findings if f.target == target}


def finding(result: Result, rule_id: str, target: str):
    return next(f for f in result.findings if f.rule_id == rule_id and f.target == target)


def facts(result: Result, target: str, probe: str) -> dict:
    return next(t for t in result.targets if t.id == target).facts[probe]


# --- no HTTPS ------------------------------------------------------------------------------------

def test_plain_http_only_login_site_on_any_port_fails_https_and_gets_tls_errors(tmp_path, pki):
    """http://clinic.example:PORT/ with a password form and nothing on 443: no HTTPS is the finding."""
    plain = {"/": Route(200, LOGIN, PLAIN_HEADERS)}
    with servers(None, None, plain) as (https_port, plain_port):
        url = f"http://{HOST}:{plain_port}/"
        result = scan(tmp_path, pki, f"url: {url}\n      address: 127.0.0.1", https_port, closed_port())
    site = verdicts(result, url)
    assert site["HTTP-HTTPS-AVAILABLE"] == "fail"
    assert site["HTTP-HTTPS-REDIRECT"] == "fail"  # the plain address serves the site itself
    assert site["HTTP-FORM-INSECURE-ACTION"] == "fail"  # the password travels in clear text
    assert site["HTTP-HSTS"] == "fail"
    assert site["HTTP-COOKIE-SECURE"] == "fail"
    http = facts(result, url, "http")
    assert http["redirect"]["url"] == url and http["redirect"]["available"] is True
    assert http["https_url"] == f"https://{HOST}/" and "refused" in http["https_problem"]
    assert "https://clinic.example/" in finding(result, "HTTP-HTTPS-AVAILABLE", url).evidence["http.https_url"]
    # the TLS rules are there for the site's HTTPS, and none of them passes
    tls = verdicts(result, f"{HOST}:443")
    assert set(TLS_RULES) <= set(tls)
    assert {tls[r] for r in TLS_RULES} == {"error"}
    assert "no HTTPS to check" in finding(result, "TLS-CERT-TRUSTED", f"{HOST}:443").message


def test_site_whose_https_port_answers_plain_http_has_no_https(tmp_path, pki):
    """Something on 443 that does not speak TLS is no HTTPS either: fail, not error, not pass."""
    plain = {"/": Route(200, LOGIN, PLAIN_HEADERS)}
    with servers(None, None, plain) as (_, plain_port), HttpServer(routes=plain) as not_tls:
        url = f"http://{HOST}:{plain_port}/"
        result = scan(tmp_path, pki, f"url: {url}\n      address: 127.0.0.1", not_tls.port, closed_port())
    assert verdicts(result, url)["HTTP-HTTPS-AVAILABLE"] == "fail"
    assert "does not complete an HTTPS connection" in facts(result, url, "http")["https_problem"]
    assert verdicts(result, f"{HOST}:443")["TLS-CERT-TRUSTED"] == "error"


def test_http_site_whose_https_works_is_judged_over_https(tmp_path, pki):
    leaf = certs.issue(pki.intermediate, [HOST], days=200)
    tls = server_context(leaf.fullchain_pem, leaf.key_pem)
    with servers(tls, {"/": Route(200, LOGIN, HEADERS)},
                 {"/": Route(301, "", (("Location", f"https://{HOST}/"),))}) as (https_port, plain_port):
        url = f"http://{HOST}:{plain_port}/"
        result = scan(tmp_path, pki, f"url: {url}\n      address: 127.0.0.1", https_port, closed_port())
    site = verdicts(result, url)
    assert site["HTTP-HTTPS-AVAILABLE"] == "pass"
    assert site["HTTP-HTTPS-REDIRECT"] == "pass"
    assert site["HTTP-HSTS"] == "pass" and site["HTTP-FORM-INSECURE-ACTION"] == "pass"
    assert facts(result, url, "http")["final_url"] == f"https://{HOST}/"
    tls_site = verdicts(result, f"{HOST}:443")
    assert tls_site["TLS-CERT-TRUSTED"] == "pass" and tls_site["TLS-CERT-HOSTNAME"] == "pass"


def test_declared_https_url_on_another_port_is_where_https_is_checked(tmp_path, pki):
    leaf = certs.issue(pki.intermediate, [HOST], days=200)
    tls = server_context(leaf.fullchain_pem, leaf.key_pem)
    with servers(tls, {"/": Route(200, LOGIN, HEADERS)}, {"/": Route(200, LOGIN, PLAIN_HEADERS)}) as ports:
        https_port, plain_port = ports
        url = f"http://{HOST}:{plain_port}/"
        result = scan(tmp_path, pki, f"url: {url}\n      https_url: https://{HOST}:{https_port}/\n"
                                     f"      address: 127.0.0.1", closed_port(), closed_port())
    site = verdicts(result, url)
    assert site["HTTP-HTTPS-AVAILABLE"] == "pass"
    # HTTPS exists, but the plain address still shows the login page unencrypted
    assert site["HTTP-HTTPS-REDIRECT"] == "fail"
    assert verdicts(result, f"{HOST}:{https_port}")["TLS-CERT-TRUSTED"] == "pass"
    assert f"{HOST}:443" not in {t.id for t in result.targets}


def test_https_site_with_nothing_on_plain_http_passes_the_redirect_check(tmp_path, pki):
    leaf = certs.issue(pki.intermediate, [HOST], days=200)
    tls = server_context(leaf.fullchain_pem, leaf.key_pem)
    with servers(tls, {"/": Route(200, LOGIN, HEADERS)}, None) as (https_port, plain_port):
        result = scan(tmp_path, pki, f"url: https://{HOST}/", https_port, plain_port)
    site = verdicts(result, f"https://{HOST}/")
    assert site["HTTP-HTTPS-AVAILABLE"] == "pass"
    assert site["HTTP-HTTPS-REDIRECT"] == "pass"
    assert facts(result, f"https://{HOST}/", "http")["redirect"]["available"] is False


def test_nothing_on_plain_http_is_no_pass_when_the_https_site_does_not_work(tmp_path, pki):
    leaf = certs.issue(pki.intermediate, [HOST], days=200)
    tls = server_context(leaf.fullchain_pem, leaf.key_pem)
    broken = {"/": Route(503, "maintenance", (("Content-Type", "text/plain"),))}
    with servers(tls, broken, None) as (https_port, plain_port):
        result = scan(tmp_path, pki, f"url: https://{HOST}/", https_port, plain_port)
    site = verdicts(result, f"https://{HOST}/")
    assert site["HTTP-HTTPS-AVAILABLE"] == "fail"
    assert site["HTTP-HTTPS-REDIRECT"] == "fail"


def test_https_url_on_an_https_website_is_a_profile_error(tmp_path, cli):
    profile = tmp_path / "cyberaudit.yaml"
    profile.write_text("practice: {name: Clinic}\ntargets:\n  websites:\n"
                       f"    - url: https://{HOST}/\n      https_url: https://{HOST}:8443/\n")
    run = cli("scan", "-p", str(profile), "--quiet")
    assert run.code == 2
    assert "cyberaudit.yaml:4" in run.err
    assert "https_url is for a website whose url is http://" in run.err
    assert "Traceback" not in run.err


# --- broken certificates and old suites ----------------------------------------------------------

def _site_routes() -> dict[str, Route]:
    return {"/": Route(200, LOGIN, HEADERS), "/intake": Route(200, INTAKE, HEADERS)}


BROKEN = {
    "expired": ("TLS-CERT-NOT-EXPIRED", "certificate has expired"),
    "self-signed": ("TLS-CERT-TRUSTED", "self-signed certificate"),
    "wrong-name": ("TLS-CERT-HOSTNAME", "Hostname mismatch"),
    "incomplete-chain": ("TLS-CERT-TRUSTED", "unable to get local issuer certificate"),
}


def _broken(kind: str, pki: Pki) -> tuple[bytes, bytes]:
    if kind == "expired":
        leaf = certs.issue(pki.intermediate, [HOST], not_before=NOW - dt.timedelta(days=120),
                           not_after=NOW - dt.timedelta(days=3))
        return leaf.fullchain_pem, leaf.key_pem
    if kind == "self-signed":
        own = certs.make_ca(HOST)
        return own.cert_pem, own.key_pem
    if kind == "wrong-name":
        leaf = certs.issue(pki.intermediate, ["other-practice.example"], days=200)
        return leaf.fullchain_pem, leaf.key_pem
    leaf = certs.issue(pki.intermediate, [HOST], days=200)
    return leaf.cert_pem, leaf.key_pem  # the intermediate is not served


@pytest.mark.parametrize("kind", list(BROKEN))
def test_broken_certificate_site_is_inspected_and_the_tls_rules_fail(tmp_path, pki, kind):
    chain, key = _broken(kind, pki)
    failing_rule, verifier_words = BROKEN[kind]
    with servers(server_context(chain, key), _site_routes(), None) as (https_port, plain_port):
        result = scan(tmp_path, pki, f"url: https://{HOST}/", https_port, plain_port, pages="[/, /intake]")
    url = f"https://{HOST}/"
    site = verdicts(result, url)
    # the pages were read: header, cookie, form and tracker rules give real verdicts
    assert site["HTTP-CONTENT-TYPE-OPTIONS"] == "pass"
    assert site["HTTP-FRAME-OPTIONS"] == "pass"
    assert site["HTTP-CSP"] == "fail"
    assert site["HTTP-COOKIE-SECURE"] == "pass"
    assert site["HTTP-FORM-INSECURE-ACTION"] == "pass"
    assert site["HTTP-HTTPS-AVAILABLE"] == "pass"
    assert site["PRIV-TRACKERS"] == "fail"
    assert site["PRIV-TRACKERS-ON-FORMS"] == "fail"
    assert site["PRIV-AD-PIXELS"] == "fail"
    assert site["PRIV-PRIVACY-POLICY"] == "pass"
    # typed input can only be watched in a browser: a static scan says so (not applicable)
    assert [r for r, s in site.items() if s == "error"] == [], site
    assert site["PRIV-FORM-INPUT-LEAK"] == "not_applicable"
    # ... but trust still matters: HSTS from an untrusted certificate counts for nothing
    assert site["HTTP-HSTS"] == "fail"
    http = facts(result, url, "http")
    assert http["inspected_untrusted"] is True
    assert verifier_words in http["inspection"]
    # the report says how the pages were read, beside the verdicts drawn from them
    for rid in ("HTTP-CSP", "PRIV-TRACKERS-ON-FORMS"):
        evidence = finding(result, rid, url).evidence
        note = evidence.get("http.inspection") or evidence.get("privacy.inspection")
        assert "inspected although its certificate is not trusted" in note
    assert "inspected although its certificate is not trusted" in render_markdown(result)
    # the TLS rules report the certificate problem
    tls = verdicts(result, f"{HOST}:443")
    assert tls[failing_rule] == "fail"
    if kind == "incomplete-chain":
        assert facts(result, f"{HOST}:443", "tls")["intermediates_missing"] is True


def test_cbc_and_static_rsa_only_site_is_read_and_its_suites_fail(tmp_path, pki):
    leaf = certs.issue(pki.intermediate, [HOST], key_type="rsa", key_size=2048, days=200)
    # TLS 1.2 only, CBC suites with RSA key exchange only: what Python's default client refuses
    tls = server_context(leaf.fullchain_pem, leaf.key_pem, maximum=ssl.TLSVersion.TLSv1_2,
                         ciphers="AES128-SHA:AES256-SHA:AES128-SHA256")
    with servers(tls, _site_routes(), None) as (https_port, plain_port):
        result = scan(tmp_path, pki, f"url: https://{HOST}/", https_port, plain_port, pages="[/, /intake]")
    url = f"https://{HOST}/"
    site = verdicts(result, url)
    # typed input can only be watched in a browser: a static scan says so (not applicable)
    assert [r for r, s in site.items() if s == "error"] == [], site
    assert site["PRIV-FORM-INPUT-LEAK"] == "not_applicable"
    assert site["HTTP-HSTS"] == "pass"  # the certificate is trusted: a browser that connects keeps HSTS
    assert site["PRIV-TRACKERS-ON-FORMS"] == "fail"
    assert site["HTTP-HTTPS-AVAILABLE"] == "pass"
    http = facts(result, url, "http")
    assert http["inspected_untrusted"] is False
    assert "older encryption settings" in http["inspection"]
    tls_site = verdicts(result, f"{HOST}:443")
    assert tls_site["TLS-FORWARD-SECRECY"] == "fail"
    assert tls_site["TLS-PROTOCOL-TLS13"] == "fail"
    assert tls_site["TLS-CERT-TRUSTED"] == "pass"
