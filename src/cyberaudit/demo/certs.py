"""Certificates made on the fly with cryptography: good ones and the typical mistakes.

trustme covers the good case in tests; this module also makes what trustme will not (expired,
not yet valid, RSA-1024, SHA-1 signed) and is what `cyberaudit demo` uses at run time.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KeyType = Literal["rsa", "ec"]


@dataclass(frozen=True)
class Issued:
    """A key and certificate in PEM, plus the chain above it (without the root)."""

    cert_pem: bytes
    key_pem: bytes
    chain_pem: bytes = b""  # intermediates, leaf-first order after cert_pem
    cert: x509.Certificate | None = None
    key: object = None

    @property
    def fullchain_pem(self) -> bytes:
        return self.cert_pem + self.chain_pem


def _key(key_type: KeyType, size: int) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if key_type == "ec":
        curve = {256: ec.SECP256R1(), 384: ec.SECP384R1(), 521: ec.SECP521R1()}.get(size, ec.SECP256R1())
        return ec.generate_private_key(curve)
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def _hash(name: str) -> hashes.HashAlgorithm:
    return {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha1": hashes.SHA1(),
            "md5": hashes.MD5()}[name]


def _pem_key(key: object) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,  # type: ignore[attr-defined]
                             serialization.NoEncryption())


def make_ca(common_name: str = "cyberaudit Test Root CA", *, key_type: KeyType = "ec",
            key_size: int = 256, days: int = 3650) -> Issued:
    """A self-signed root CA."""
    key = _key(key_type, key_size)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cyberaudit loopback")])
    now = dt.datetime.now(dt.timezone.utc)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256()))
    return Issued(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key), b"", cert, key)


def issue(issuer: Issued, names: list[str], *, key_type: KeyType = "ec", key_size: int = 256,
          hash_name: str = "sha256", not_before: dt.datetime | None = None,
          not_after: dt.datetime | None = None, days: int = 90, is_ca: bool = False,
          common_name: str | None = None) -> Issued:
    """A certificate for `names` (DNS names or IPs) signed by `issuer` (a CA or intermediate)."""
    assert issuer.cert is not None and issuer.key is not None
    key = _key(key_type, key_size)
    now = dt.datetime.now(dt.timezone.utc)
    nb = not_before or (now - dt.timedelta(days=1))
    na = not_after or (now + dt.timedelta(days=days))
    sans: list[x509.GeneralName] = []
    for n in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            sans.append(x509.DNSName(n))
    cn = common_name or (names[0] if names else "cyberaudit intermediate")
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
               .issuer_name(issuer.cert.subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(nb).not_valid_after(na)
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None if is_ca else None),
                              critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer.cert.public_key()), critical=False))  # type: ignore[arg-type]
    if is_ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
            decipher_only=False), critical=True)
    else:
        builder = (builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.KeyUsage(
                       digital_signature=True, key_encipherment=key_type == "rsa", content_commitment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                       encipher_only=False, decipher_only=False), critical=True))
    cert = builder.sign(issuer.key, _hash(hash_name))  # type: ignore[arg-type]
    chain = b"" if issuer.cert.issuer == issuer.cert.subject else issuer.cert_pem + issuer.chain_pem
    return Issued(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key), chain, cert, key)
