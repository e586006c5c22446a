"""The record parsers on their own: the RFC rules that decide pass or fail."""

from __future__ import annotations

import pytest

from cyberaudit.probes.email.caa import parse_caa
from cyberaudit.probes.email.dkim import parse_dkim_key
from cyberaudit.probes.email.dmarc import parse_dmarc
from cyberaudit.probes.email.mta_sts import _parse_policy, mx_matches
from cyberaudit.probes.email.orgdomain import organizational_domain

from .zones import rsa_key


@pytest.mark.parametrize(("host", "pattern", "ok"), [
    ("mail.example.org", "mail.example.org", True),
    ("MAIL.example.org.", "mail.example.org", True),
    ("mx1.example.org", "*.example.org", True),
    ("a.b.example.org", "*.example.org", False),  # the wildcard covers exactly one label
    ("example.org", "*.example.org", False),
    ("mx1.example.org.evil.test", "*.example.org", False),
])
def test_mta_sts_mx_patterns(host, pattern, ok):
    assert mx_matches(host, pattern) is ok


def test_mta_sts_policy_limits():
    problems: list[str] = []
    version, mode, max_age, mx = _parse_policy("version: STSv1\nmode: enforce\nmx: a.example.org\n"
                                               "max_age: 31557601\nextension: ignored\n", problems)
    assert (version, mode, max_age, mx) == ("STSv1", "enforce", 31557601, ("a.example.org",))
    assert problems == ["max_age 31557601 exceeds 31557600 seconds (one year)"]
    problems = []
    _parse_policy("version: STSv1\nmode: enforce\nmax_age: 86400\n", problems)
    assert problems == ["the policy lists no mx patterns"]
    problems = []
    assert _parse_policy("version: STSv1\nmode: none\nmax_age: 86400\n", problems)[1] == "none"
    assert problems == []
    problems = []
    _parse_policy("version: STSv2\nmode: strict\nmx: x.*.org\n", problems)
    assert len(problems) == 4


def test_dmarc_defaults_and_dmarcbis_tags():
    rec = parse_dmarc("v=DMARC1; p=quarantine; np=reject; psd=n; t=y")
    assert (rec.policy, rec.subdomain_policy, rec.nonexistent_policy) == ("quarantine", "quarantine", "reject")
    assert (rec.pct, rec.adkim, rec.aspf, rec.psd, rec.testing) == (100, "r", "r", "n", True)
    assert rec.usable and rec.problems == ()


def test_dmarc_without_valid_p_or_rua_is_unusable():
    rec = parse_dmarc("v=DMARC1; p=maybe")
    assert rec.usable is False and rec.policy is None


def test_dmarc_report_uris_with_size_limits():
    rec = parse_dmarc("v=DMARC1; p=none; rua=mailto:a@x.example!10m, mailto:b@y.example; pct=150")
    assert rec.rua == ("mailto:a@x.example", "mailto:b@y.example")
    assert any("pct" in p for p in rec.problems) and rec.pct == 100


def test_dmarc_record_must_start_with_version():
    assert any("start with v=DMARC1" in p for p in parse_dmarc("p=reject; v=DMARC1").problems)


def test_dkim_keys():
    assert parse_dkim_key("s", "profile", f"v=DKIM1; k=rsa; p={rsa_key(1024)}").key_bits == 1024
    # p= without v= and with folded whitespace, as some DNS consoles publish it
    key = rsa_key(2048)
    assert parse_dkim_key("s", "profile", f"p={key[:40]} {key[40:]}").key_bits == 2048
    assert parse_dkim_key("s", "profile", "v=DKIM1; p=").status == "revoked"
    bad = parse_dkim_key("s", "profile", "v=DKIM1; p=not*base64")
    assert bad.status == "invalid" and bad.key_bits is None
    assert parse_dkim_key("s", "profile", "v=DKIM1; k=ed25519; p=AAAA").status == "invalid"
    sha1 = parse_dkim_key("s", "profile", f"v=DKIM1; h=sha1; p={rsa_key(2048)}")
    assert any("RFC 8301" in p for p in sha1.problems)


def test_caa_text():
    assert parse_caa('0 issue "letsencrypt.org"').value == "letsencrypt.org"
    assert parse_caa('128 issuewild ";"').flags == 128
    assert parse_caa("garbage") is None


def test_organizational_domain_uses_the_public_suffix_list():
    assert organizational_domain("mail.lakeside.co.uk") == "lakeside.co.uk"
    assert organizational_domain("a.b.lakeside.example") == "lakeside.example"
    assert organizational_domain("co.uk") == "co.uk"
