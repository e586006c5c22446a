"""The http pack through the real scan and CLI: a loopback practice site with typical mistakes."""

from __future__ import annotations

import json

from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.network import NetworkSettings
from cyberaudit.scan import ScanRequest, run_scan

from .conftest import GOOD_CONTACT, GOOD_HOME, HOST, SITE, good_routes, with_headers

PROFILE = f"""\
practice: {{name: Lakeside Counseling}}
targets:
  websites:
    - url: {SITE}
      pages: [/, /contact]
waivers:
  - rule: HTTP-CSP
    target: {SITE}
    reason: CSP rollout scheduled with the web agency
    expires: 2099-01-31
"""


def _servers(pki):
    routes = good_routes()
    # no CSP yet (waived in the profile)
    routes["/"] = Route(200, GOOD_HOME, with_headers(drop=("Content-Security-Policy",)))
    # typical mistakes: a contact form that posts over plain HTTP and a tracking cookie without flags
    routes["/contact"] = Route(200, GOOD_CONTACT.replace("https://www.practice.example/send",
                                                         "http://www.practice.example/send"),
                               (("Content-Type", "text/html"), ("Set-Cookie", "visitor=TOPSECRET42; Max-Age=60")))
    tls = HttpServer(routes=routes, tls=server_context(pki.leaf.fullchain_pem, pki.leaf.key_pem)).start()
    plain = HttpServer(routes={"/": Route(301, "", (("Location", SITE),))}).start()
    return tls, plain


def test_run_scan_reports_http_findings(pki, write):
    tls, plain = _servers(pki)
    try:
        profile = write("cyberaudit.yaml", PROFILE)
        settings = NetworkSettings(connect_to={(HOST, 443): ("127.0.0.1", tls.port),
                                               (HOST, 80): ("127.0.0.1", plain.port)},
                                   ca_bundle=pki.ca_file, connect_timeout=5, read_timeout=5)
        result = run_scan(ScanRequest(profile_path=profile, network=settings, timeout=30))
    finally:
        tls.stop()
        plain.stop()
    http = {f.rule_id: f for f in result.findings if f.rule_id.startswith("HTTP-")}
    assert {rid: f.status for rid, f in http.items()} == {
        "HTTP-HTTPS-AVAILABLE": "pass", "HTTP-HTTPS-REDIRECT": "pass", "HTTP-HSTS": "pass", "HTTP-CSP": "waived",
        "HTTP-CONTENT-TYPE-OPTIONS": "pass", "HTTP-FRAME-OPTIONS": "pass", "HTTP-REFERRER-POLICY": "pass",
        "HTTP-COOKIE-SECURE": "fail", "HTTP-COOKIE-HTTPONLY": "fail", "HTTP-COOKIE-SAMESITE": "fail",
        "HTTP-MIXED-CONTENT": "fail", "HTTP-FORM-INSECURE-ACTION": "fail", "HTTP-SECURITY-TXT": "pass",
    }
    assert all(f.target == SITE for f in http.values())
    assert http["HTTP-FORM-INSECURE-ACTION"].severity == "critical"
    assert "TOPSECRET42" not in result.to_json()


def test_cli_scan_writes_json_with_the_same_findings(pki, write, cli, tmp_path):
    tls, plain = _servers(pki)
    out = tmp_path / "out.json"
    try:
        profile = write("cyberaudit.yaml", PROFILE)
        run = cli("scan", "-p", str(profile), "--connect-to", f"{HOST}:443:127.0.0.1:{tls.port}",
                  "--connect-to", f"{HOST}:80:127.0.0.1:{plain.port}", "--ca-bundle", str(pki.ca_file),
                  "-o", str(out), "--quiet")
    finally:
        tls.stop()
        plain.stop()
    assert run.code == 0, run.err
    data = json.loads(out.read_text())
    statuses = {f["rule_id"]: f["status"] for f in data["findings"] if f["rule_id"].startswith("HTTP-")}
    assert statuses["HTTP-FORM-INSECURE-ACTION"] == "fail"
    assert statuses["HTTP-HSTS"] == "pass"
    assert "TOPSECRET42" not in out.read_text()
    website = next(t for t in data["targets"] if t["kind"] == "website")
    assert website["facts"]["http"]["insecure_forms"][0]["page"] == "/contact"


def test_cli_scan_of_a_silent_site_gives_errors_not_passes(pki, write, cli, tmp_path):
    import socket

    out = tmp_path / "out.json"
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        profile = write("cyberaudit.yaml", PROFILE)
        run = cli("scan", "-p", str(profile), "--connect-to", f"{HOST}:443:127.0.0.1:{port}",
                  "--connect-to", f"{HOST}:80:127.0.0.1:{port}", "--ca-bundle", str(pki.ca_file),
                  "--timeout", "3", "--connect-timeout", "1", "-o", str(out), "--quiet")
    data = json.loads(out.read_text())
    statuses = {f["rule_id"]: f["status"] for f in data["findings"] if f["rule_id"].startswith("HTTP-")}
    assert set(statuses.values()) <= {"error", "waived"}, statuses
    assert run.code in (0, 1)


def test_facts_command_lists_the_http_facts(cli):
    run = cli("facts", "http")
    assert run.code == 0
    for path in ("http.hsts.max_age", "http.cookies[].samesite", "http.security_txt.expired"):
        assert path in run.out
