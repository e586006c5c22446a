"""A real scan of loopback TLS servers, twice, through the CLI: reports, history and diff together."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from cyberaudit.history import load_history
from tests.render.htmlparse import parse_html
from tests.render.test_formats import SCHEMA

HOST = "portal.lakeside.test"


def _serve(leaf: certs.Issued) -> HttpServer:
    return HttpServer({"/": Route(200, "ok")}, tls=server_context(leaf.fullchain_pem, leaf.key_pem))


def _scan(cli, profile, port, bundle, out, *extra):
    return cli("scan", "-p", str(profile), "-q", "--connect-to", f"{HOST}:443:127.0.0.1:{port}",
               "--ca-bundle", str(bundle), "--timeout", "20", *extra,
               *[a for path in out for a in ("-o", str(path))])


def test_expiring_certificate_reported_then_fixed(cli, write, tmp_path):
    ca = certs.make_ca()
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca.cert_pem)
    profile = write("clinic/cyberaudit.yaml", f"""
        practice:
          name: Lakeside Counseling
        targets:
          endpoints:
            - host: {HOST}
              port: 443
        """)
    endpoint_line = profile.read_text().splitlines().index(f"    - host: {HOST}") + 1
    first = [tmp_path / "q1" / n for n in ("r.html", "r.sarif", "r.junit.xml", "r.json")]
    with _serve(certs.issue(ca, [HOST], days=10)) as srv:
        run = _scan(cli, profile, srv.port, bundle, first)
    assert run.code == 0, run.err
    findings = {f["rule_id"]: f for f in json.loads(first[3].read_text())["findings"]}
    assert findings["TLS-CERT-EXPIRY-WINDOW"]["status"] == "fail"
    assert findings["TLS-CERT-TRUSTED"]["status"] == "pass"

    doc = parse_html(first[0].read_text())
    assert any(t.startswith("Secure connection (TLS endpoint): portal.lakeside.test:443") for _, t in doc.headings)
    sarif = json.loads(first[1].read_text())
    assert list(jsonschema.validators.validator_for(SCHEMA)(SCHEMA).iter_errors(sarif)) == []
    expiry = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "TLS-CERT-EXPIRY-WINDOW"][0]
    assert expiry["locations"][0]["physicalLocation"]["region"]["startLine"] == endpoint_line
    cases = ET.parse(first[2]).getroot().findall(".//testcase")
    assert any(c.get("name").startswith("TLS-CERT-EXPIRY-WINDOW") and c.find("failure") is not None for c in cases)

    # next quarter: the certificate was renewed
    second = [tmp_path / "q2" / n for n in ("r.html", "r.md", "r.json")]
    with _serve(certs.issue(ca, [HOST], days=90)) as srv:
        run = _scan(cli, profile, srv.port, bundle, second)
    assert run.code == 0, run.err
    doc = parse_html(second[0].read_text())
    changes = doc.text.split("Changes since the last scan", 2)[2]
    fixed = changes.split("Fixed since last time", 1)[1].split("Still failing", 1)[0]
    assert "TLS-CERT-EXPIRY-WINDOW" in fixed
    assert "## Changes since the last scan" in second[1].read_text()

    saved = [e.path for e in load_history(profile.parent / ".cyberaudit-history")]
    assert len(saved) == 2
    diff = cli("diff", str(saved[0]), str(saved[1]), "--format", "json", "--fail-on-new", "low")
    assert diff.code == 0, diff.err
    assert ("TLS-CERT-EXPIRY-WINDOW", f"{HOST}:443") in {(c["rule_id"], c["target"])
                                                         for c in json.loads(diff.out)["fixed"]}
    # and backwards, the expiring certificate is a new failure that gates
    assert cli("diff", str(saved[1]), str(saved[0]), "--fail-on-new", "medium").code == 1
