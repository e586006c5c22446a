"""Zones served by the loopback DNS responder for the email probe tests: one domain per scenario."""

from __future__ import annotations

import base64
import secrets
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from cyberaudit.demo.dns_server import txt
from cyberaudit.probes.email.dkim import WELL_KNOWN_SELECTORS

GOOD_POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.good.test\r\nmx: *.good.test\r\nmax_age: 604800\r\n"
TESTING_POLICY = "version: STSv1\nmode: testing\nmx: mx.ststesting.test\nmax_age: 86400\n"
# *.stsmx.test covers mx1.stsmx.test but not mx.deep.stsmx.test: a wildcard is one label only.
STSMX_POLICY = "version: STSv1\nmode: enforce\nmx: *.stsmx.test\nmax_age: 86400\n"


def _spki(public_key: object) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER,  # type: ignore[attr-defined]
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


@cache
def rsa_key(bits: int) -> str:
    """Base64 SubjectPublicKeyInfo of an RSA key of `bits` bits, as DKIM's p= carries it."""
    if bits >= 1024:
        return _spki(rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key())
    # cryptography no longer generates keys this short; an odd modulus of the right length is
    # enough for a public key whose size is all that is read.
    modulus = (1 << (bits - 1)) | secrets.randbits(bits - 1) | 1
    return _spki(rsa.RSAPublicNumbers(65537, modulus).public_key())


@cache
def ed25519_key() -> str:
    raw = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _mail(domain: str, spf: str | None = "v=spf1 ip4:192.0.2.0/24 -all") -> dict[str, dict[str, list[str]]]:
    """A domain with MX hosts and, by default, a plain valid SPF record and nothing else."""
    zone: dict[str, dict[str, list[str]]] = {
        domain: {"MX": [f"10 mx1.{domain}."]},
        f"mx1.{domain}": {"A": ["127.0.0.1"]},  # loopback: a scan's smtp probe connects to MX hosts
    }
    if spf is not None:
        zone[domain]["TXT"] = [txt(spf)]
    return zone


def build_zone() -> dict[str, dict[str, list[str]]]:
    zone: dict[str, dict[str, list[str]]] = {}

    # good.test: every rule passes.
    zone.update({
        "good.test": {
            "MX": ["10 mx1.good.test.", "20 mx2.good.test."],
            "TXT": [txt("v=spf1 ip4:192.0.2.0/24 include:_spf.good.test mx -all"),
                    txt("google-site-verification=abc123")],
            "CAA": ['0 issue "letsencrypt.org"', '0 iodef "mailto:security@good.test"'],
        },
        "mx1.good.test": {"A": ["127.0.0.1"]},
        "mx2.good.test": {"A": ["127.0.0.1"]},
        "_spf.good.test": {"TXT": [txt("v=spf1 ip4:198.51.100.25 -all")]},
        "_dmarc.good.test": {"TXT": [txt("v=DMARC1; p=reject; rua=mailto:dmarc@good.test,"
                                         "mailto:agg@reports.test; ruf=mailto:forensic@good.test; adkim=s")]},
        "good.test._report._dmarc.reports.test": {"TXT": [txt("v=DMARC1")]},
        "google._domainkey.good.test": {"TXT": [txt(f"v=DKIM1; k=rsa; p={rsa_key(2048)}")]},
        "practice._domainkey.good.test": {"TXT": [txt(f"v=DKIM1; k=ed25519; p={ed25519_key()}")]},
        "_mta-sts.good.test": {"TXT": [txt("v=STSv1; id=20260101T000000")]},
        "_smtp._tls.good.test": {"TXT": [txt("v=TLSRPTv1; rua=mailto:tls-reports@good.test")]},
    })

    # SPF mistakes.
    zone.update(_mail("plusall.test", "v=spf1 +all"))
    zone.update(_mail("twospf.test", "v=spf1 ip4:192.0.2.1 -all"))
    zone["twospf.test"]["TXT"].append(txt("v=spf1 include:_spf.good.test -all"))
    zone.update(_mail("twospfmixed.test", "v=spf1 ip4:192.0.2.1 ~all"))  # a second record added, not merged
    zone["twospfmixed.test"]["TXT"].append(txt("v=spf1 include:_spf.good.test -all"))
    zone.update(_mail("lookups11.test", "v=spf1 include:l1.lookups11.test -all"))
    for n in range(1, 11):  # include:l1 ... include:l11: eleven DNS-mechanism lookups in all
        zone[f"l{n}.lookups11.test"] = {"TXT": [txt(f"v=spf1 include:l{n + 1}.lookups11.test -all")]}
    zone["l11.lookups11.test"] = {"TXT": [txt("v=spf1 ip4:192.0.2.99 -all")]}
    zone.update(_mail("void3.test", "v=spf1 a:gone1.void3.test a:gone2.void3.test a:gone3.void3.test "
                                    "ip4:192.0.2.0/24 -all"))
    zone.update(_mail("loop.test", "v=spf1 include:loop2.test -all"))
    zone["loop2.test"] = {"TXT": [txt("v=spf1 include:loop.test -all")]}
    zone.update(_mail("nospf.test", None))

    # DMARC.
    zone.update(_mail("dmarcnone.test"))
    zone["_dmarc.dmarcnone.test"] = {"TXT": [txt("v=DMARC1; p=none; rua=mailto:dmarc@dmarcnone.test")]}
    zone.update(_mail("nodmarc.test"))
    zone.update(_mail("mail.orgonly.test"))
    zone["orgonly.test"] = {"TXT": [txt("v=spf1 -all")], "CAA": ['0 issue "ca.example"']}
    zone["_dmarc.orgonly.test"] = {"TXT": [txt("v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@orgonly.test")]}
    zone.update(_mail("badp.test"))  # invalid p with a valid rua: read as p=none (RFC 7489 §6.6.3)
    zone["_dmarc.badp.test"] = {"TXT": [txt("v=DMARC1; p=block; rua=mailto:dmarc@badp.test")]}
    zone.update(_mail("extrua.test"))  # external rua whose domain never authorised the reports
    zone["_dmarc.extrua.test"] = {"TXT": [txt("v=DMARC1; p=reject; rua=mailto:agg@elsewhere.test")]}
    zone.update(_mail("twodmarc.test"))  # two records: receivers ignore both (RFC 7489 §6.6.3)
    zone["_dmarc.twodmarc.test"] = {"TXT": [txt("v=DMARC1; p=reject"), txt("v=DMARC1; p=none")]}
    zone.update(_mail("pct50.test"))
    zone["_dmarc.pct50.test"] = {"TXT": [txt("v=DMARC1; p=quarantine; pct=50; rua=mailto:d@pct50.test")]}

    # DKIM.
    zone.update(_mail("dkimrevoked.test"))
    zone["old._domainkey.dkimrevoked.test"] = {"TXT": [txt("v=DKIM1; k=rsa; p=")]}
    zone.update(_mail("dkimweak.test"))
    zone["weak._domainkey.dkimweak.test"] = {"TXT": [txt(f"v=DKIM1; k=rsa; p={rsa_key(512)}")]}
    zone.update(_mail("dkimmixed.test"))  # a good key does not excuse a 512-bit one beside it
    zone["selector1._domainkey.dkimmixed.test"] = {"TXT": [txt(f"v=DKIM1; p={rsa_key(2048)}")]}
    zone["s2._domainkey.dkimmixed.test"] = {"TXT": [txt(f"v=DKIM1; p={rsa_key(512)}")]}

    # MTA-STS.
    for name in ("ststesting", "stsredirect", "stshang", "ststype"):
        zone.update(_mail(f"{name}.test"))
        zone[f"_mta-sts.{name}.test"] = {"TXT": [txt("v=STSv1; id=1")]}
    zone["ststesting.test"]["MX"] = ["10 mx.ststesting.test."]
    zone.update(_mail("stsmx.test"))
    zone["stsmx.test"]["MX"] = ["10 mx1.stsmx.test.", "20 mx.deep.stsmx.test."]
    zone["_mta-sts.stsmx.test"] = {"TXT": [txt("v=STSv1; id=2")]}
    zone.update(_mail("ststwo.test"))
    zone["_mta-sts.ststwo.test"] = {"TXT": [txt("v=STSv1; id=1"), txt("v=STSv1; id=2")]}
    zone.update(_mail("stsnull.test"))
    zone["stsnull.test"]["MX"] = ["0 ."]

    # TLS-RPT mistakes: a rua that is not a report URI; two records.
    zone.update(_mail("rptbad.test"))
    zone["_smtp._tls.rptbad.test"] = {"TXT": [txt("v=TLSRPTv1; rua=ftp://reports.rptbad.test/")]}
    zone.update(_mail("rpttwo.test"))
    zone["_smtp._tls.rpttwo.test"] = {"TXT": [txt("v=TLSRPTv1; rua=mailto:a@rpttwo.test"),
                                              txt("v=TLSRPTv1; rua=mailto:b@rpttwo.test")]}

    # Lookups that fail: a silent zone, and single names that time out or get SERVFAIL.
    zone.update(_mail("silent.test"))
    zone.update(_mail("partial.test"))
    zone["_dmarc.partial.test"] = {"TXT": [txt("v=DMARC1; p=reject; rua=mailto:d@partial.test")]}
    zone.update(_mail("servfail.test"))
    zone["_mta-sts.servfail.test"] = {"TXT": [txt("v=STSv1; id=3")]}
    zone.update(_mail("slowdkim.test"))
    return zone


SILENT = ["silent.test", "_dmarc.partial.test",
          *(f"{sel}._domainkey.slowdkim.test" for sel in WELL_KNOWN_SELECTORS)]
SERVFAIL = ["_mta-sts.servfail.test"]
POLICY_HOSTS = ["good", "ststesting", "stsredirect", "stsmx", "stshang", "ststype"]
