"""The tls pack end to end: a profile, run_scan and the CLI, against loopback servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tls_servers import HOST, RawServer, tls_server

from cyberaudit.network import NetworkSettings
from cyberaudit.scan import ScanRequest, run_scan

SRC = Path(__file__).resolve().parents[3] / "src"
TLS_IDS = {"TLS-CERT-TRUSTED", "TLS-CERT-HOSTNAME", "TLS-CERT-NOT-EXPIRED", "TLS-CERT-EXPIRY-WINDOW",
           "TLS-CERT-KEY-STRENGTH", "TLS-CERT-SIGNATURE", "TLS-PROTOCOL-LEGACY", "TLS-PROTOCOL-TLS13",
           "TLS-CIPHER-WEAK", "TLS-FORWARD-SECRECY"}


def _profile(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cyberaudit.yaml"
    path.write_text("practice: {name: Lakeside Counseling}\n" + body)
    return path


def _tls_findings(result) -> dict[tuple[str, str], str]:
    return {(f.rule_id, f.target): f.status for f in result.findings if f.rule_id.startswith("TLS-")}


def test_scan_of_a_good_endpoint_passes_every_catalogue_rule(tmp_path, good, bundle):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        profile = _profile(tmp_path, f"targets:\n  endpoints:\n    - host: {HOST}\n      port: 443\n")
        result = run_scan(ScanRequest(profile, network=NetworkSettings(
            connect_to={(HOST, 443): ("127.0.0.1", srv.port)}, ca_bundle=bundle)))
    statuses = _tls_findings(result)
    target = f"{HOST}:443"
    assert {rid for rid, _ in statuses} >= TLS_IDS
    for rid in TLS_IDS:
        assert statuses[(rid, target)] == "pass", rid
    facts = next(t for t in result.targets if t.id == target).facts["tls"]
    assert facts["protocols"]["tls1_3"] is True


def test_target_address_keeps_the_name_for_sni_and_certificate(tmp_path, good, bundle):
    """`address:` (like --resolve) changes where to connect, never the name that is checked."""
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        profile = _profile(tmp_path, f"targets:\n  endpoints:\n    - host: {HOST}\n      port: {srv.port}\n"
                                     f"      address: 127.0.0.1\n")
        result = run_scan(ScanRequest(profile, network=NetworkSettings(ca_bundle=bundle)))
    statuses = _tls_findings(result)
    assert statuses[("TLS-CERT-HOSTNAME", f"{HOST}:{srv.port}")] == "pass"
    assert statuses[("TLS-CERT-TRUSTED", f"{HOST}:{srv.port}")] == "pass"


def test_websites_are_probed_as_endpoints(tmp_path, good, bundle):
    with tls_server(good.fullchain_pem, good.key_pem) as srv:
        profile = _profile(tmp_path, f"targets:\n  websites:\n    - url: https://{HOST}:{srv.port}/\n"
                                     f"      address: 127.0.0.1\n")
        result = run_scan(ScanRequest(profile, network=NetworkSettings(ca_bundle=bundle)))
    assert _tls_findings(result)[("TLS-CERT-TRUSTED", f"{HOST}:{srv.port}")] == "pass"


def test_silent_endpoint_gives_error_findings_for_every_tls_rule(tmp_path):
    def silent(conn: socket.socket) -> None:
        conn.recv(65536)
        time.sleep(5)

    with RawServer(silent) as srv:
        profile = _profile(tmp_path, f"targets:\n  endpoints:\n    - host: {HOST}\n")
        start = time.monotonic()
        result = run_scan(ScanRequest(profile, network=NetworkSettings(
            connect_to={(HOST, 443): ("127.0.0.1", srv.port)}, connect_timeout=1.0, read_timeout=1.0)))
        elapsed = time.monotonic() - start
    statuses = _tls_findings(result)
    assert elapsed < 4.5  # the server would have kept us 5 s
    assert {rid for rid, _ in statuses} >= TLS_IDS
    assert set(statuses.values()) == {"error"}
    assert all(f.message for f in result.findings if f.rule_id.startswith("TLS-"))


def test_cli_scan_with_connect_to_and_ca_bundle(tmp_path, intermediate, bundle):
    from cyberaudit.demo import certs

    leaf = certs.issue(intermediate, ["other.lakeside.test"])  # wrong name: one rule fails
    with tls_server(leaf.fullchain_pem, leaf.key_pem) as srv:
        profile = _profile(tmp_path, f"targets:\n  endpoints:\n    - host: {HOST}\n")
        out = tmp_path / "out.json"
        env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", "cyberaudit", "scan", "-p", str(profile),
             "--connect-to", f"{HOST}:443:127.0.0.1:{srv.port}", "--ca-bundle", str(bundle),
             "--fail-on", "critical", "-o", str(out)],
            capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1, proc.stderr  # the failed critical rule trips the gate
    data = json.loads(out.read_text())
    by_rule = {f["rule_id"]: f["status"] for f in data["findings"] if f["target"] == f"{HOST}:443"}
    assert by_rule["TLS-CERT-HOSTNAME"] == "fail"
    assert by_rule["TLS-CERT-TRUSTED"] == "pass"


def test_cli_facts_lists_the_tls_facts():
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "cyberaudit", "facts", "tls"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    for path in ("tls.protocols.tls1_0", "tls.cert.days_remaining", "tls.trusted", "tls.ciphers.forward_secrecy"):
        assert path in proc.stdout
