"""The demo practice's DNS zone: weak SPF and DMARC, a short DKIM key, no MTA-STS or TLS-RPT."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cyberaudit.demo.dns_server import txt
from cyberaudit.demo.names import (
    DOMAIN,
    LOOPBACK,
    MAIL_HOST,
    PORTAL_HOST,
    THIRD_PARTY_HOSTS,
    WEBSITE_HOST,
)

SPF = "v=spf1 a mx ?all"  # "?all" is neutral: anyone may send as the practice
DMARC = "v=DMARC1; p=none"  # monitor only, and no rua= so nobody reads the reports


def dkim_record(key_bits: int = 1024) -> str:
    """A DKIM TXT record with a fresh RSA public key of `key_bits` bits."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}"


def practice_zone() -> dict[str, dict[str, list[str]]]:
    """Every name the demo uses, all answering with loopback addresses."""
    zone: dict[str, dict[str, list[str]]] = {
        DOMAIN: {
            "SOA": [f"ns1.{DOMAIN}. hostmaster.{DOMAIN}. 2026010101 3600 600 1209600 300"],
            "NS": [f"ns1.{DOMAIN}."],
            "A": [LOOPBACK],
            "MX": [f"10 {MAIL_HOST}."],
            "TXT": [txt(SPF)],
        },
        f"ns1.{DOMAIN}": {"A": [LOOPBACK]},
        MAIL_HOST: {"A": [LOOPBACK]},
        WEBSITE_HOST: {"A": [LOOPBACK]},
        PORTAL_HOST: {"A": [LOOPBACK]},
        f"_dmarc.{DOMAIN}": {"TXT": [txt(DMARC)]},
        # A 1024-bit key: the minimum, long past its recommended lifetime (RFC 8301 asks for 2048).
        f"google._domainkey.{DOMAIN}": {"TXT": [txt(dkim_record(1024))]},
        # A key that was revoked (empty p=) but is still configured as a selector.
        f"s2019._domainkey.{DOMAIN}": {"TXT": [txt("v=DKIM1; k=rsa; p=")]},
    }
    for host in THIRD_PARTY_HOSTS:
        zone[host] = {"A": [LOOPBACK]}
    return zone
