"""Interop: checkdmarc's STARTTLS test and the smtp probe on the same loopback mail servers.

checkdmarc (6.0.4, smtp.py) runs, per MX name, smtplib.SMTP(name) on port 25, EHLO, and if
STARTTLS is offered starttls(ssl.create_default_context()), then EHLO again; if not, it tries
implicit TLS on port 465. Its context verifies the chain (from the default trust store, pointed
here at the test CA with SSL_CERT_FILE) and the host name, and refuses anything below TLS 1.2
(Python's default minimum). So its `starttls` is true only when encryption works *and* the
certificate verifies; any failure becomes `starttls: false` with the reason in a warning. It
tries one address per MX (the first that connects), so each MX here has one address.

The servers listen on port 25 of 127.0.25.x, since checkdmarc cannot be told another port.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import ssl
import subprocess
import time
from contextlib import ExitStack

import pytest
from tests.interop.test_checkdmarc import HERE, _checkdmarc_python
from tests.probes.smtp.conftest import context, verdicts

from cyberaudit.demo import certs
from cyberaudit.demo.dns_server import DnsResponder, txt
from cyberaudit.demo.smtp_server import SmtpServer
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.packs import load_pack
from cyberaudit.probes.base import ProbeContext, ScanOptions
from cyberaudit.probes.email.probe import PROBE as EMAIL
from cyberaudit.probes.smtp.probe import PROBE as SMTP
from cyberaudit.probes.tls.handshake import library_protocols
from cyberaudit.profile import MailDomain, Practice, Profile
from cyberaudit.resources import builtin_rules_dir
from cyberaudit.targets import Target

pytestmark = pytest.mark.interop
NOW = dt.datetime.now(dt.timezone.utc)
CASES = ("good", "nostarttls", "brokentls", "selfsigned", "wrongname", "expired", "tls10")


def _server_for(case: str, mx: str, ca: certs.Issued) -> tuple[str, ssl.SSLContext | None]:
    if case == "nostarttls":
        return "no_starttls", None
    if case == "brokentls":
        return "broken_tls", None
    if case == "selfsigned":
        root = certs.make_ca(mx)
        return "good", context(certs.Issued(root.cert_pem, root.key_pem, b"", root.cert, root.key))
    if case == "wrongname":
        return "good", context(certs.issue(ca, ["mail.elsewhere.test"]))
    if case == "expired":
        return "good", context(certs.issue(ca, [mx], not_before=NOW - dt.timedelta(days=100),
                                           not_after=NOW - dt.timedelta(days=2)))
    if case == "tls10":
        leaf = certs.issue(ca, [mx], key_type="rsa", key_size=2048)
        return "good", context(leaf, minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1,
                               ciphers="DEFAULT:@SECLEVEL=0")
    return "good", context(certs.issue(ca, [mx]))


def _bind_port_25(address: str) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, 25))
        except OSError as exc:
            pytest.skip(f"checkdmarc dials port 25 only, and {address}:25 cannot be bound here "
                        f"({exc.strerror or exc}; it needs root or CAP_NET_BIND_SERVICE and a free port)")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict, dict[str, str]]]:
    """case → (checkdmarc's MX host, our smtp facts, our verdicts), from the same servers."""
    if not library_protocols()["tls1_0"][0]:
        pytest.skip("the linked OpenSSL cannot speak TLS 1.0, which the tls10 case needs")
    python = _checkdmarc_python()
    ca = certs.make_ca()
    ca_file = tmp_path_factory.mktemp("interop-smtp") / "ca.pem"
    ca_file.write_bytes(ca.cert_pem)
    pack = load_pack(builtin_rules_dir() / "email.yaml", builtin=True)
    zone: dict[str, dict[str, list[str]]] = {}
    with ExitStack() as stack:
        for i, case in enumerate(CASES):
            domain, mx, address = f"{case}.test", f"mx.{case}.test", f"127.0.25.{i + 1}"
            _bind_port_25(address)
            mode, tls = _server_for(case, mx, ca)
            stack.enter_context(SmtpServer(mode, tls, host=address, name=mx, port=25))  # type: ignore[arg-type]
            zone[domain] = {"MX": [f"10 {mx}."], "TXT": [txt("v=spf1 -all")]}
            zone[mx] = {"A": [address]}
        dns = stack.enter_context(DnsResponder(zone))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "REQUESTS_", "SSL_"))}
        run = subprocess.run([python, str(HERE / "checkdmarc_driver.py"), "--mx", "127.0.0.1", str(dns.port),
                              str(ca_file), *(f"{c}.test" for c in CASES)],
                             capture_output=True, text=True, timeout=180, env=env)
        assert run.returncode == 0, run.stderr[-2000:]
        theirs = json.loads(run.stdout)
        ours = {}
        for case in CASES:
            domain = f"{case}.test"
            # no --connect-to: the probe dials port 25 of the MX's address, as checkdmarc does
            network = Network(NetworkSettings(nameservers=(("127.0.0.1", dns.port),), ca_bundle=ca_file,
                                              dns_timeout=2.0, dns_retries=0, connect_timeout=2.0, read_timeout=5.0))
            profile = Profile(practice=Practice(name="t"))
            target = Target("mail_domain", domain, MailDomain(domain=domain))
            email = EMAIL.run(target, ProbeContext(profile=profile, network=network, options=ScanOptions(),
                                                   deadline=time.monotonic() + 20))
            out = SMTP.run(target, ProbeContext(profile=profile, network=network, options=ScanOptions(),
                                                deadline=time.monotonic() + 20, deps={"email": email}))
            ours[case] = (out.facts, verdicts(pack, out))
    result = {}
    for case in CASES:
        (host,) = theirs[f"{case}.test"]["hosts"]
        host["warnings"] = " ".join(theirs[f"{case}.test"]["warnings"])
        result[case] = (host, *ours[case])
    return result


def test_both_read_the_same_mx_and_address(both):
    for i, case in enumerate(CASES):
        theirs, facts, _ = both[case]
        assert theirs["hostname"] == facts["mx"][0] == f"mx.{case}.test"
        assert theirs["addresses"] == [s["address"] for s in facts["servers"]] == [f"127.0.25.{i + 1}"]


def test_good_server_agrees(both):
    theirs, facts, v = both["good"]
    assert theirs["starttls"] is True
    assert v["MAIL-MX-STARTTLS"] == v["MAIL-MX-CERT"] == "pass"


def test_no_starttls_agrees(both):
    theirs, facts, v = both["nostarttls"]
    assert theirs["starttls"] is False and "STARTTLS is not supported" in theirs["warnings"]
    assert v["MAIL-MX-STARTTLS"] == "fail" and facts["starttls"]["missing"] == ["mx.nostarttls.test (127.0.25.2)"]
    # checkdmarc then tries implicit TLS on port 465, which SMTP between servers never uses
    # (RFC 8314 is for submission); we do not, and nothing listens there
    assert "port 465" in theirs["warnings"]


def test_failing_handshake_agrees_that_encryption_does_not_work(both):
    # both see STARTTLS offered and the handshake fail; checkdmarc reports it as no STARTTLS, we
    # as an error with that reason: the server is broken, not known to lack encryption
    theirs, facts, v = both["brokentls"]
    assert theirs["starttls"] is False and "SSL error" in theirs["warnings"]
    assert v["MAIL-MX-STARTTLS"] == "error" and "TLS handshake failed" in facts["servers"][0]["reason"]


@pytest.mark.parametrize("case, their_words, our_fact", [
    ("selfsigned", "self-signed certificate", "trusted"),
    ("wrongname", "Hostname mismatch", "hostname_match"),
    ("expired", "certificate has expired", "expired"),
])
def test_bad_certificates_agree_on_the_certificate_differ_on_starttls(both, case, their_words, our_fact):
    theirs, facts, v = both[case]
    # The certificate verdict agrees, for the same reason: checkdmarc's verification error names it
    # and the same fact of ours is the failing one.
    assert "CERTIFICATE_VERIFY_FAILED" in theirs["warnings"] and their_words in theirs["warnings"]
    (s,) = facts["tls_servers"]
    assert s[our_fact] is (our_fact == "expired")
    assert v["MAIL-MX-CERT"] == "fail"
    # They differ on STARTTLS. checkdmarc verifies the certificate inside its STARTTLS test, so a bad
    # certificate reads "STARTTLS not supported". Senders do not verify MX certificates unless
    # MTA-STS or DANE tells them to (RFC 3207 §4.1, RFC 7435, RFC 8461 §1): they deliver to this
    # server encrypted. So MAIL-MX-STARTTLS passes and MAIL-MX-CERT carries the certificate problem.
    assert theirs["starttls"] is False
    assert v["MAIL-MX-STARTTLS"] == "pass" and s["tls_version"] in ("TLSv1.2", "TLSv1.3")


def test_tls_1_0_only_server_differs_on_starttls_agrees_it_is_too_old(both):
    theirs, facts, v = both["tls10"]
    # checkdmarc's default context refuses TLS 1.0 (Python's minimum is 1.2), so it says "no
    # STARTTLS". A sender that still has TLS 1.0 does encrypt with this server, so STARTTLS passes
    # for us and MAIL-MX-TLS-VERSIONS fails with the version.
    assert theirs["starttls"] is False and "SSL error" in theirs["warnings"]
    assert v["MAIL-MX-STARTTLS"] == "pass" and v["MAIL-MX-TLS-VERSIONS"] == "fail"
    assert facts["tls_versions"]["legacy"] == ["mx.tls10.test (127.0.25.7): TLSv1"]
