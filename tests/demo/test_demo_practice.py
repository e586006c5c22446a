"""The demo practice itself: each planted mistake is really there, served on loopback only."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import socket
import ssl
import threading
import time
import warnings
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_der_public_key

from cyberaudit.demo.names import DOMAIN, PORTAL_HOST, THIRD_PARTY_HOSTS, WEBSITE_HOST
from cyberaudit.demo.practice import LoopbackPractice, demo_practice
from cyberaudit.network import Network
from cyberaudit.profile import build_targets, load_profile


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory):
    with demo_practice(tmp_path_factory.mktemp("demo")) as p:
        yield p


@pytest.fixture
def net(practice: LoopbackPractice):
    network = Network(practice.network_settings(connect_timeout=2, read_timeout=3, dns_timeout=1, dns_retries=0))
    yield network
    network.session().close()


def test_profile_is_valid_and_every_target_points_at_loopback(practice: LoopbackPractice) -> None:
    loaded = load_profile(practice.profile_path)
    prof = loaded.profile
    assert prof.practice.name.startswith("Lakeside Counseling")
    for site in prof.targets.websites:
        assert site.address == "127.0.0.1"
        assert site.host == WEBSITE_HOST
    for ep in prof.targets.endpoints:
        assert ep.address == "127.0.0.1"
    assert prof.dns.nameservers == [practice.dns.address]
    assert practice.dns.host == "127.0.0.1"
    assert Path(prof.tls.ca_bundle or "").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    kinds = [t.kind for t in build_targets(loaded)]
    assert kinds.count("website") == 1 and kinds.count("endpoint") == 2
    assert kinds.count("mail_domain") == 1 and kinds.count("platform") == 3


def test_every_server_binds_to_loopback(practice: LoopbackPractice) -> None:
    for server in practice.servers:
        assert server.host == "127.0.0.1"
    names = {t for t in practice.dns.records}
    for name in names:
        for rdtype, values in practice.dns.records[name].items():
            if rdtype == 1:  # A
                assert values == ["127.0.0.1"], name


def test_site_pages_carry_trackers_and_a_third_party_intake_form(practice: LoopbackPractice, net: Network) -> None:
    home = net.fetch(practice.website_url).final
    contact = net.fetch(practice.website_url + "contact").final
    intake = net.fetch(practice.website_url + "intake").final
    for r in (home, contact, intake):
        assert r.status == 200
    assert "googletagmanager.com/gtm.js" in home.text and "gtag('config'" in home.text
    assert "connect.facebook.net/en_US/fbevents.js" in contact.text and "fbq('init'" in contact.text
    assert "static.hotjar.com" in intake.text and "_hjSettings" in intake.text
    assert 'action="https://submit.jotform.com/' in intake.text
    for field in ("date_of_birth", "insurance_member_id", "diagnosis"):
        assert f'name="{field}"' in intake.text
    assert f"http://{WEBSITE_HOST}:{practice.website_http.port}/static/office.jpg" in home.text


def test_site_headers_miss_hsts_csp_referrer_policy_and_cookie_flags(practice: LoopbackPractice,
                                                                    net: Network) -> None:
    r = net.fetch(practice.website_url + "intake").final
    for name in ("strict-transport-security", "content-security-policy", "referrer-policy",
                 "x-frame-options"):
        assert r.header(name) is None
    cookie = r.header("set-cookie") or ""
    assert cookie.startswith("PHPSESSID=")
    for flag in ("secure", "httponly", "samesite"):
        assert flag not in cookie.lower()
    assert net.fetch(practice.website_url + ".well-known/security.txt").final.status == 404


def test_plain_http_serves_the_site_without_redirecting(practice: LoopbackPractice, net: Network) -> None:
    fetched = net.fetch(f"http://{WEBSITE_HOST}:{practice.website_http.port}/")
    assert not fetched.redirected
    assert fetched.final.status == 200 and "Lakeside Counseling" in fetched.final.text


def test_third_party_hosts_are_answered_locally(practice: LoopbackPractice, net: Network) -> None:
    for host in THIRD_PARTY_HOSTS:
        assert net.dns.query(host, "A").records == ("127.0.0.1",)
        r = net.fetch(f"https://{host}/some/script.js").final  # through the connect-to mapping, CA trusted
        assert r.status == 200
    assert THIRD_PARTY_HOSTS[0] in practice.hosts_served()


def _portal_handshake(practice: LoopbackPractice, version: ssl.TLSVersion) -> ssl.SSLSocket:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(str(practice.ca_bundle))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ctx.maximum_version = version
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    sock = socket.create_connection(("127.0.0.1", practice.portal.port), timeout=3)
    return ctx.wrap_socket(sock, server_hostname=PORTAL_HOST)


def test_portal_accepts_tls_1_0_with_a_certificate_expiring_in_ten_days(practice: LoopbackPractice) -> None:
    with _portal_handshake(practice, ssl.TLSVersion.TLSv1) as s:
        assert s.version() == "TLSv1"
        cert = x509.load_der_x509_certificate(s.getpeercert(binary_form=True) or b"")
    left = cert.not_valid_after_utc - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(days=9) < left <= dt.timedelta(days=10)
    with _portal_handshake(practice, ssl.TLSVersion.TLSv1_3) as s:
        assert s.version() == "TLSv1.3"


def test_mail_domain_has_weak_spf_and_dmarc_and_no_mta_sts_or_tls_rpt(practice: LoopbackPractice,
                                                                      net: Network) -> None:
    spf = [r for r in net.dns.txt(DOMAIN).records if r.startswith("v=spf1")]
    assert spf == ["v=spf1 a mx ?all"]
    dmarc = net.dns.txt(f"_dmarc.{DOMAIN}")
    assert dmarc.records == ("v=DMARC1; p=none",)
    assert "rua=" not in dmarc.records[0]
    assert net.dns.txt(f"_mta-sts.{DOMAIN}").status == "nxdomain"
    assert net.dns.txt(f"_smtp._tls.{DOMAIN}").status == "nxdomain"
    assert net.dns.query(DOMAIN, "CAA").status == "nodata"


def test_dkim_selectors_hold_a_1024_bit_key_and_a_revoked_one(practice: LoopbackPractice, net: Network) -> None:
    google = net.dns.txt(f"google._domainkey.{DOMAIN}").records[0]
    key_b64 = google.split("p=", 1)[1]
    key = load_der_public_key(base64.b64decode(key_b64))
    assert key.key_size == 1024  # type: ignore[attr-defined]
    revoked = net.dns.txt(f"s2019._domainkey.{DOMAIN}").records[0]
    assert revoked.endswith("p=")


def test_mfa_export_has_unenrolled_users_and_an_unenrolled_admin(practice: LoopbackPractice) -> None:
    with practice.mfa_export.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"Email Address [Required]", "2sv Enrolled [READ ONLY]", "Status [READ ONLY]"} <= set(rows[0])
    active = [r for r in rows if r["Status [READ ONLY]"] == "Active"]
    unenrolled = [r for r in active if r["2sv Enrolled [READ ONLY]"] == "False"]
    assert len(unenrolled) >= 2
    assert any(r["Admin Role [READ ONLY]"] for r in unenrolled)


def test_recordings_are_older_than_the_declared_period(practice: LoopbackPractice) -> None:
    ages = sorted((time.time() - f.stat().st_mtime) / 86400 for f in practice.recordings_dir.iterdir())
    assert len(ages) == 5
    assert sum(a > 30 for a in ages) == 4 and ages[0] < 30
    loaded = load_profile(practice.profile_path)
    assert loaded.profile.controls.retention.paths[0].max_age_days == 30


def test_stopping_leaves_no_thread_port_or_temporary_folder(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    with demo_practice(tmp_path) as p:
        ports = p.ports
        recordings = p.recordings_dir
        net = Network(p.network_settings(connect_timeout=2, read_timeout=3))
        assert net.fetch(p.website_url).final.status == 200
        net.session().close()
    _assert_stopped(before, ports)
    assert not recordings.exists()
    assert (tmp_path / "cyberaudit.yaml").is_file()  # the outputs stay


def test_an_error_inside_still_stops_everything(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    seen: dict[str, object] = {}
    with pytest.raises(KeyboardInterrupt), demo_practice(tmp_path) as p:
        seen["ports"], seen["recordings"] = p.ports, p.recordings_dir
        raise KeyboardInterrupt
    _assert_stopped(before, seen["ports"])  # type: ignore[arg-type]
    assert not Path(seen["recordings"]).exists()  # type: ignore[arg-type]


def _assert_stopped(before: set[threading.Thread], ports: tuple[int, ...]) -> None:
    deadline = time.monotonic() + 3
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(threading.enumerate()) - before == set()
    for port in ports:
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            pass
